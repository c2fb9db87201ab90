package dev.jsmtp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The SMTP envelope of one mail transaction (RFC 5321 §2.3.1): the reverse-path of MAIL FROM (empty for the null
 * path {@code <>}), the forward-paths of RCPT TO in order, and the optional parameters.
 */
public record Envelope(Optional<Path> reversePath, List<Path> forwardPaths, MailParameters parameters) {

    public Envelope {
        reversePath = reversePath == null ? Optional.empty() : reversePath;
        // Duplicates are dropped: one RCPT per address, one result per address.
        forwardPaths = List.copyOf(new LinkedHashSet<>(forwardPaths));
        if (forwardPaths.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        parameters = parameters == null ? MailParameters.NONE : parameters;
    }

    /** An envelope from {@code from} (empty string for the null reverse-path) to each of {@code to}. */
    public static Envelope of(String from, String... to) {
        List<Path> paths = new ArrayList<>(to.length);
        for (String t : to) {
            paths.add(Path.of(t));
        }
        return new Envelope(from.isEmpty() ? Optional.empty() : Optional.of(Path.of(from)), paths,
                MailParameters.NONE);
    }

    /** A copy with other parameters. */
    public Envelope withParameters(MailParameters newParameters) {
        return new Envelope(reversePath, forwardPaths, newParameters);
    }

    /** True when any envelope address has a non-ASCII local part. */
    public boolean requiresSmtpUtf8() {
        if (reversePath.isPresent() && reversePath.get().requiresSmtpUtf8()) {
            return true;
        }
        for (Path p : forwardPaths) {
            if (p.requiresSmtpUtf8()) {
                return true;
            }
        }
        return false;
    }
}
