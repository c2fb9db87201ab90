package dev.jsmtp.message;

import java.io.OutputStream;

/** Counts octets and discards them; used to measure encoded sizes in advance. */
final class CountingOutputStream extends OutputStream {

    private long count;

    @Override
    public void write(int b) {
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        count += len;
    }

    long count() {
        return count;
    }
}
