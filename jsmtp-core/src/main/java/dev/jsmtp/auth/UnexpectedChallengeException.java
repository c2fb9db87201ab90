package dev.jsmtp.auth;

import java.io.IOException;

/** A mechanism got a challenge its protocol (RFC 4422 §3) has no answer for; the exchange is cancelled. */
final class UnexpectedChallengeException extends IOException {

    UnexpectedChallengeException(String message) {
        super(message);
    }
}
