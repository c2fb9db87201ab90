/** jsmtp: an SMTP client (RFC 5321) that depends on the JDK only. */
module dev.jsmtp {
    exports dev.jsmtp;
    exports dev.jsmtp.message;
}
