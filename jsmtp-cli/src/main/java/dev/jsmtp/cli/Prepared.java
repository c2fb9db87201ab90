package dev.jsmtp.cli;

import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;

/** A message ready for one transaction: its envelope (RFC 5321 §2.3.1) and its octets. */
record Prepared(Envelope envelope, MessageContent content) {
}
