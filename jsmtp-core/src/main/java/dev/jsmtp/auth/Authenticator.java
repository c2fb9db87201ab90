package dev.jsmtp.auth;

import dev.jsmtp.EnhancedStatus;
import dev.jsmtp.Escaping;
import dev.jsmtp.Reply;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpProtocolException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Drives one SMTP AUTH exchange (RFC 4954 §4) over an abstract {@link AuthChannel}: the AUTH command with or
 * without an initial response, base64 answers to 334 challenges, and the final 235 or refusal. It never falls
 * back to another mechanism after a refusal: a second try would only leak the secret to one more mechanism.
 *
 * <p>Everything handed to the channel as transcript text is masked: {@code AUTH PLAIN ****} and {@code ****}.
 */
public final class Authenticator {

    /** RFC 5321 §4.5.3.1.4: a command line, CRLF included, is at most 512 octets. */
    static final int MAX_COMMAND_LINE = 512;
    /** No mechanism here needs more than two challenges; a server that keeps asking is stopped. */
    static final int MAX_CHALLENGES = 8;
    static final String MASK = "****";

    private static final Base64.Encoder ENCODER = Base64.getEncoder();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private Authenticator() {
    }

    /** Where the exchange runs: the session writes each line with CRLF, flushes, and reads the reply. */
    public interface AuthChannel {
        /**
         * Sends {@code line} (without CRLF) and returns the server's complete reply.
         *
         * @param transcriptText what a transcript may show instead of the line: the secret masked
         */
        Reply exchange(String line, String transcriptText) throws IOException;
    }

    /**
     * Authenticates, returning normally on a 2yz reply.
     *
     * @param alwaysSendInitialResponse put the initial response on the AUTH line even past 512 octets
     * @param server                    {@code host:port}, for error messages
     * @throws SmtpAuthenticationException on a 4yz or 5yz reply (the secret is never part of its message)
     * @throws SmtpProtocolException       on a challenge that is not base64, or an unexpected reply
     */
    public static void authenticate(AuthChannel channel, SaslMechanism mechanism, boolean alwaysSendInitialResponse,
                                    String server) throws IOException {
        new Exchange(channel, mechanism, server).run(alwaysSendInitialResponse);
    }

    /** The state of one exchange: what was sent (to scrub it from messages) and the token error seen. */
    private static final class Exchange {
        private final AuthChannel channel;
        private final SaslMechanism mechanism;
        private final String server;
        private final String command;
        private final List<String> sent = new ArrayList<>();
        private boolean errorChallengeSeen;
        private Optional<OAuthError> oauthError = Optional.empty();
        private String rawErrorChallenge = "";

        Exchange(AuthChannel channel, SaslMechanism mechanism, String server) {
            this.channel = channel;
            this.mechanism = mechanism;
            this.server = server;
            this.command = "AUTH " + mechanism.name();
        }

        void run(boolean alwaysSendInitialResponse) throws IOException {
            try {
                exchangeAll(alwaysSendInitialResponse);
            } catch (SmtpException e) {
                throw scrubbed(e);
            }
        }

        private void exchangeAll(boolean alwaysSendInitialResponse) throws IOException {
            byte[] pending = null;
            try {
                Optional<byte[]> initial = mechanism.initialResponse();
                Reply reply;
                if (initial.isPresent()) {
                    byte[] response = initial.get();
                    String encoded = response.length == 0 ? "=" : ENCODER.encodeToString(response);
                    String line = command + " " + encoded;
                    if (alwaysSendInitialResponse || line.length() + 2 <= MAX_COMMAND_LINE) {
                        Secrets.clear(response);
                        sent.add(encoded);
                        reply = channel.exchange(line, command + " " + MASK);
                    } else {
                        pending = response;
                        reply = channel.exchange(command, command);
                    }
                } else {
                    reply = channel.exchange(command, command);
                }
                // After the token went out, any challenge of a token mechanism is the server's error report.
                boolean tokenSent = mechanism.usesToken() && initial.isPresent() && pending == null;
                for (int challenges = 0; reply.code() == 334; challenges++) {
                    if (challenges == MAX_CHALLENGES) {
                        throw cancelled(new SmtpProtocolException(command + ": the server sent more than "
                                + MAX_CHALLENGES + " challenges", server));
                    }
                    byte[] challenge = decode(reply);
                    byte[] response;
                    if (pending != null) {
                        response = pending;
                        pending = null;
                        tokenSent = mechanism.usesToken();
                    } else {
                        if (tokenSent) {
                            noteErrorChallenge(challenge);
                        }
                        response = respond(challenge);
                    }
                    String encoded = ENCODER.encodeToString(response);
                    Secrets.clear(response);
                    sent.add(encoded);
                    reply = channel.exchange(encoded, MASK);
                }
                finish(reply);
            } finally {
                Secrets.clear(pending);
            }
        }

        private byte[] decode(Reply reply) throws IOException {
            String text = String.join("", reply.lines()).strip();
            try {
                return DECODER.decode(text);
            } catch (IllegalArgumentException e) {
                throw cancelled(new SmtpProtocolException(command + ": the server's challenge is not base64: \""
                        + Escaping.escape(abbreviate(text)) + "\"", server));
            }
        }

        private byte[] respond(byte[] challenge) throws IOException {
            try {
                return mechanism.respond(challenge);
            } catch (UnexpectedChallengeException e) {
                throw cancelled(new SmtpProtocolException(command + " cancelled: " + e.getMessage()
                        + " (challenge \"" + Escaping.escape(abbreviate(new String(challenge, StandardCharsets.UTF_8)))
                        + "\")", server, e));
            } catch (IOException e) {
                // The secret could not be had (a vault, a token endpoint): end the exchange before going on.
                throw cancelled(e);
            }
        }

        private void noteErrorChallenge(byte[] challenge) {
            errorChallengeSeen = true;
            oauthError = OAuthError.parse(challenge);
            rawErrorChallenge = new String(challenge, StandardCharsets.UTF_8);
        }

        /**
         * RFC 4954 §4: a single "*" cancels the exchange; the server's 501 tells nothing new, and a failure to send
         * it is kept with {@code failure}, which is returned for throwing.
         */
        private IOException cancelled(IOException failure) {
            try {
                channel.exchange("*", "*");
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
            return failure;
        }

        private void finish(Reply reply) throws IOException {
            if (reply.isPositive()) {
                return;
            }
            if (reply.isIntermediate()) {
                throw new SmtpProtocolException(command + ": unexpected reply \"" + scrub(reply.toString()) + "\"",
                        server);
            }
            boolean token = mechanism.usesToken();
            String status = reply.status().map(EnhancedStatus::toString).orElse("");
            boolean freshTokenMayHelp = token && (errorChallengeSeen
                    || (reply.code() == 535 && (status.equals("5.7.8") || status.equals("5.7.3"))));
            StringBuilder message = new StringBuilder(command).append(" rejected: ").append(scrub(reply.toString()));
            if (errorChallengeSeen) {
                message.append("; the server refused the token");
                if (oauthError.isPresent()) {
                    oauthError.get().status().ifPresent(s -> message.append(": status ").append(Escaping.escape(s)));
                    oauthError.get().scope().ifPresent(s -> message.append(", scope ").append(Escaping.escape(s)));
                } else {
                    message.append(": \"").append(Escaping.escape(abbreviate(rawErrorChallenge))).append('"');
                }
            }
            AuthFailureHints.hint(reply, token).ifPresent(h -> message.append(" (").append(h).append(')'));
            throw new SmtpAuthenticationException(message.toString(), Optional.of(reply), mechanism.name(),
                    freshTokenMayHelp, server);
        }

        /**
         * The reply text with control characters escaped and anything we sent masked, should a server echo it:
         * each response in base64 and, decoded, each of its fields (the password, the bearer token) as text and
         * in base64.
         */
        private String scrub(String text) {
            return mask(Escaping.escape(text));
        }

        /** Masks the secret forms in already escaped text. */
        private String mask(String escaped) {
            for (String s : secretForms()) {
                escaped = escaped.replace(s, MASK);
            }
            return escaped;
        }

        private List<String> secretForms() {
            return Authenticator.secretForms(sent);
        }

        /**
         * Errors from the channel may quote what the server sent (a malformed reply, a partial one before the
         * connection closed); a server echoing our secret must not put it in them. Rebuilt without the cause,
         * whose message holds the same quote.
         */
        private IOException scrubbed(SmtpException e) {
            String message = e.getMessage();
            String suffix = " (" + e.server() + ")";
            if (!e.server().isEmpty() && message.endsWith(suffix)) {
                message = message.substring(0, message.length() - suffix.length());
            }
            String clean = mask(message);
            if (clean.equals(message)) {
                return e;
            }
            if (e instanceof SmtpProtocolException) {
                return new SmtpProtocolException(clean, e.server());
            }
            if (e instanceof SmtpConnectionException) {
                return new SmtpConnectionException(clean, e.server(), null, false);
            }
            return e;
        }

        private static String abbreviate(String text) {
            return text.length() <= 200 ? text : text.substring(0, 200) + "...";
        }
    }

    /**
     * The forms in which a secret we sent may come back in a server's text, escaped as transcripts show text:
     * each base64 response whole and, decoded, each of its fields (the password, the bearer token) as text and in
     * base64. Longest first, so a blob is masked whole before any field inside it.
     */
    public static List<String> secretForms(List<String> sentBase64) {
        List<String> forms = new ArrayList<>();
        for (String s : sentBase64) {
            forms.add(s);
            String decoded;
            try {
                decoded = new String(DECODER.decode(s), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            // PLAIN separates its fields with NUL, XOAUTH2 and OAUTHBEARER with ^A (RFC 4616, RFC 7628).
            for (String field : decoded.split("[\\x00\\x01]")) {
                String value = field.startsWith("auth=Bearer ") ? field.substring(12) : field;
                forms.add(Escaping.escape(value));
                forms.add(ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        // Longest first, so a blob is masked whole before any field inside it.
        forms.removeIf(f -> f.length() < 4);
        forms.sort((a, b) -> b.length() - a.length());
        return forms;
    }
}
