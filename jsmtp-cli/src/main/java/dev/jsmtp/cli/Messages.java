package dev.jsmtp.cli;

import java.util.List;
import java.util.Optional;

/**
 * The CLI's only door to the core's message package (RFC 5322, MIME): composes drafts and reads existing messages.
 * PLACEHOLDER until the message package is merged; the real version is in src/pending.
 */
final class Messages {

    private Messages() {
    }

    static Prepared compose(Draft draft) throws CliException {
        throw new UnsupportedOperationException("the message package is not merged yet");
    }

    /**
     * An existing message sent as it is, Bcc removed; the envelope's recipients are {@code to} when given, else
     * the message's To, Cc and Bcc; its sender is {@code from} when given, else the message's From. With
     * {@code removeBcc} the Bcc header field is taken out (RFC 5322 §3.6.3).
     */
    static Prepared raw(byte[] message, Optional<String> from, List<String> to, boolean addHeaderRecipients,
                        boolean removeBcc)
            throws CliException {
        if (!addHeaderRecipients && !removeBcc) {
            return asIs(message, from, to);
        }
        throw new UnsupportedOperationException("the message package is not merged yet");
    }


    /** As {@link #raw(byte[], Optional, List, boolean, boolean)}, reading the message from a file. */
    static Prepared raw(java.nio.file.Path file, Optional<String> from, List<String> to, boolean addHeaderRecipients,
                        boolean removeBcc) throws CliException {
        try {
            return raw(java.nio.file.Files.readAllBytes(file), from, to, addHeaderRecipients, removeBcc);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.IO_ERROR, file + ": " + e.getMessage());
        }
    }

    /** The octets untouched, to the given envelope: nothing in the message needs reading. */
    private static Prepared asIs(byte[] message, Optional<String> from, List<String> to) throws CliException {
        if (from.isEmpty()) {
            throw CliException.usage("no sender: give --from");
        }
        try {
            dev.jsmtp.Envelope envelope = dev.jsmtp.Envelope.of(from.get(), to.toArray(String[]::new));
            return new Prepared(envelope, dev.jsmtp.MessageContent.of(message));
        } catch (IllegalArgumentException e) {
            throw CliException.data(e.getMessage());
        }
    }
}
