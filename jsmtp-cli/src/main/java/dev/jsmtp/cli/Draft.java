package dev.jsmtp.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A message to compose from {@code send}'s options: header fields (RFC 5322), a text and/or HTML body, attachments. */
record Draft(String from, List<String> to, List<String> cc, List<String> bcc, Optional<String> subject,
             Optional<String> text, Optional<String> html, List<Path> attachments,
             List<Map.Entry<String, String>> headers) {

    Draft {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        attachments = List.copyOf(attachments);
        headers = List.copyOf(headers);
    }
}
