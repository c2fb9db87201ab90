package dev.jsmtp.session;

import dev.jsmtp.Envelope;
import dev.jsmtp.Extensions;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import dev.jsmtp.Reply;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.TlsInfo;

import java.io.IOException;
import java.util.Optional;

/** PLACEHOLDER: one SMTP session's state machine (RFC 5321 §3); being written. */
public final class Session implements SmtpConnection {

    public static Session open(SessionConfig config) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public void abort() {
    }

    @Override public Reply greeting() { throw new UnsupportedOperationException(); }
    @Override public Extensions extensions() { throw new UnsupportedOperationException(); }
    @Override public Optional<Extensions> extensionsBeforeTls() { throw new UnsupportedOperationException(); }
    @Override public Optional<TlsInfo> tls() { throw new UnsupportedOperationException(); }
    @Override public Stage stage() { throw new UnsupportedOperationException(); }
    @Override public void advanceTo(Stage stage) throws IOException { throw new UnsupportedOperationException(); }
    @Override public SendResult send(Envelope e, MessageContent c) { throw new UnsupportedOperationException(); }
    @Override public Reply mail(Envelope e, MessageContent c) { throw new UnsupportedOperationException(); }
    @Override public Reply rcpt(Path p, Envelope e) { throw new UnsupportedOperationException(); }
    @Override public Reply rset() { throw new UnsupportedOperationException(); }
    @Override public Reply noop() { throw new UnsupportedOperationException(); }
    @Override public boolean isUsable() { return false; }
    @Override public void close() { }
}
