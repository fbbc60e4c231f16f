package io.keytrail.trust;

import io.keytrail.errors.RefusalCode;

import java.util.Optional;

import io.keytrail.matrix.DeviceKeys;

/** The outcome of {@link SenderDataFinder#decide}: sender data, a rejection, or evidence of tampering. */
public sealed interface Decision {
    Rule rule();

    /** Sender data was decided; {@code device} is the device keys the decision used, if any. */
    record Decided(SenderData senderData, Rule rule, Optional<DeviceKeys> device) implements Decision {
    }

    /** The room key must be refused (e.g. the device's keys contradict the Olm payload: an attack). */
    record Rejected(Rule rule, RefusalCode code, String detail) implements Decision {
    }

    /**
     * Evidence of tampering: a cross-signing signature that should be valid is not, or the device's
     * cross-signing rests on a key refused for one. A session that depends on it is discarded
     * ({@link SenderDataChange}).
     *
     * @param keyId    the key id whose signature failed or that was refused, e.g. {@code ed25519:<ssk>}
     * @param standing the device's standing from arrival that shows it (with the refused key as received),
     *                 or null when the finder found the bad signature itself
     */
    record Tampered(Rule rule, String what, String keyId, String detail, DeviceStanding standing)
            implements Decision {
        public Tampered(Rule rule, String what, String keyId, String detail) {
            this(rule, what, keyId, detail, null);
        }
    }
}
