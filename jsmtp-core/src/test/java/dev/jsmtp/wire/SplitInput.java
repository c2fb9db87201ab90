package dev.jsmtp.wire;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Test input delivered in given chunks: each read returns at most the rest of the current chunk. */
final class SplitInput extends InputStream {

    private final byte[] data;
    private final int[] ends;
    private int pos;
    private int chunk;
    int bytesRead;

    private SplitInput(byte[] data, int[] ends) {
        this.data = data;
        this.ends = ends;
    }

    /** A name and a stream factory for each way of cutting {@code data}. */
    record Split(String name, byte[] data, int[] ends) {
        SplitInput open() {
            return new SplitInput(data, ends);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Whole, one byte per read, and two reads cut at every offset. */
    static List<Split> splits(byte[] data) {
        List<Split> all = new ArrayList<>();
        all.add(new Split("whole", data, new int[] {data.length}));
        int[] single = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            single[i] = i + 1;
        }
        all.add(new Split("one byte per read", data, single));
        for (int k = 1; k < data.length; k++) {
            all.add(new Split("cut at " + k, data, new int[] {k, data.length}));
        }
        return all;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        while (chunk < ends.length && pos >= ends[chunk]) {
            chunk++;
        }
        if (pos >= data.length || chunk >= ends.length) {
            return -1;
        }
        int n = Math.min(len, ends[chunk] - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        bytesRead += n;
        return n;
    }
}
