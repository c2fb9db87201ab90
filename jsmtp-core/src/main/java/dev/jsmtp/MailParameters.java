package dev.jsmtp;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The optional MAIL and RCPT parameters a sender chooses: delivery status notifications (RFC 3461: RET, ENVID,
 * NOTIFY, ORCPT) and REQUIRETLS (RFC 8689). SIZE, BODY and SMTPUTF8 are derived from the content and the server.
 *
 * @param dsnReturn   RET=FULL or RET=HDRS
 * @param envelopeId  ENVID, printable ASCII; xtext-encoded on the wire
 * @param dsnNotify   NOTIFY for every recipient without its own entry in {@code perRecipient}; empty for none
 * @param perRecipient NOTIFY and ORCPT for particular recipients
 * @param requireTls  ask for REQUIRETLS (RFC 8689); fails when the server does not offer it
 */
public record MailParameters(Optional<DsnReturn> dsnReturn, Optional<String> envelopeId, Set<DsnNotify> dsnNotify,
                             Map<Path, RecipientParameters> perRecipient, boolean requireTls) {

    /** No optional parameters. */
    public static final MailParameters NONE =
            new MailParameters(Optional.empty(), Optional.empty(), Set.of(), Map.of(), false);

    public MailParameters {
        dsnReturn = dsnReturn == null ? Optional.empty() : dsnReturn;
        envelopeId = envelopeId == null ? Optional.empty() : envelopeId;
        envelopeId.ifPresent(MailParameters::checkEnvelopeId);
        dsnNotify = Set.copyOf(dsnNotify);
        RecipientParameters.checkNotify(dsnNotify);
        perRecipient = Map.copyOf(perRecipient);
    }

    /** NOTIFY and ORCPT for one recipient (RFC 3461 §4.1, §4.2). */
    public record RecipientParameters(Set<DsnNotify> dsnNotify, Optional<String> originalRecipient) {
        public RecipientParameters {
            dsnNotify = Set.copyOf(dsnNotify);
            checkNotify(dsnNotify);
            originalRecipient = originalRecipient == null ? Optional.empty() : originalRecipient;
            originalRecipient.ifPresent(o -> {
                for (int i = 0; i < o.length(); i++) {
                    if (o.charAt(i) < 0x20 || o.charAt(i) == 0x7f) {
                        throw new IllegalArgumentException("ORCPT contains a control character");
                    }
                }
            });
        }

        static void checkNotify(Set<DsnNotify> notify) {
            if (notify.contains(DsnNotify.NEVER) && notify.size() > 1) {
                throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other values");
            }
        }
    }

    /** The NOTIFY and ORCPT that apply to {@code recipient}. */
    public RecipientParameters forRecipient(Path recipient) {
        RecipientParameters own = perRecipient.get(recipient);
        return own != null ? own : new RecipientParameters(dsnNotify, Optional.empty());
    }

    /** True when any DSN parameter is set, so the server must offer DSN. */
    public boolean usesDsn() {
        if (dsnReturn.isPresent() || envelopeId.isPresent() || !dsnNotify.isEmpty()) {
            return true;
        }
        for (RecipientParameters r : perRecipient.values()) {
            if (!r.dsnNotify().isEmpty() || r.originalRecipient().isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static void checkEnvelopeId(String id) {
        if (id.isEmpty() || id.getBytes(StandardCharsets.US_ASCII).length > 100) {
            throw new IllegalArgumentException("ENVID must be 1 to 100 characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("ENVID must be printable US-ASCII");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MailParameters}. */
    public static final class Builder {
        private DsnReturn dsnReturn;
        private String envelopeId;
        private final Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        private final Map<Path, RecipientParameters> perRecipient = new LinkedHashMap<>();
        private boolean requireTls;

        public Builder dsnReturn(DsnReturn ret) {
            this.dsnReturn = ret;
            return this;
        }

        public Builder envelopeId(String id) {
            this.envelopeId = id;
            return this;
        }

        public Builder notify(Set<DsnNotify> values) {
            notify.clear();
            notify.addAll(values);
            return this;
        }

        public Builder recipient(Path recipient, Set<DsnNotify> notify, String originalRecipient) {
            perRecipient.put(recipient, new RecipientParameters(notify, Optional.ofNullable(originalRecipient)));
            return this;
        }

        public Builder requireTls(boolean requireTls) {
            this.requireTls = requireTls;
            return this;
        }

        public MailParameters build() {
            return new MailParameters(Optional.ofNullable(dsnReturn), Optional.ofNullable(envelopeId), notify,
                    perRecipient, requireTls);
        }
    }
}
