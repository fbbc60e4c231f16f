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
     * A cross-signing signature that should be valid is not: tampering. The session is discarded.
     *
     * @param keyId the key id whose signature failed, e.g. {@code ed25519:<ssk>}
     */
    record Tampered(Rule rule, String what, String keyId, String detail) implements Decision {
    }
}
