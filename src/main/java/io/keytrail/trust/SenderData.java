package io.keytrail.trust;

import java.util.Optional;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * What we know about who created a Megolm session (design section 2), in increasing trust.
 *
 * <p>Serialized everywhere (events, HTTP, replay output) in matrix-rust-sdk's externally tagged JSON,
 * so state can move between the two systems.
 */
@JsonSerialize(using = SenderDataJson.Serializer.class)
@JsonDeserialize(using = SenderDataJson.Deserializer.class)
public sealed interface SenderData
        permits SenderData.UnknownDevice, SenderData.DeviceInfo, SenderData.CrossSigned {

    /** The one definition of the trust ranks (design section 2), used by the aggregate, trust and queries. */
    int UNKNOWN_DEVICE_RANK = 0;
    int DEVICE_INFO_RANK = 1;
    int VERIFICATION_VIOLATION_RANK = 2;
    /** Cross-signed by the owner: trust at or above it no longer rests on the creator device's current keys. */
    int SENDER_UNVERIFIED_RANK = 3;
    int SENDER_VERIFIED_RANK = 4;

    /** Trust rank 0..4; only this is compared (flags, keys and users are ignored), as upstream does. */
    int rank();

    /** The session owner's user id, when the state names one. {@code UnknownDevice} names none. */
    Optional<String> userId();

    /**
     * Who cross-signing proved created the session (user, device, MSK), for the three cross-signed
     * states; empty for {@code UnknownDevice} and {@code DeviceInfo}.
     */
    default Optional<KnownSenderData> signer() {
        return Optional.empty();
    }

    /**
     * The signer whose MSK, once verified by the local user, upgrades this state to {@code SenderVerified}
     * (design 9.3): present for {@code VerificationViolation} and {@code SenderUnverified} only.
     */
    default Optional<KnownSenderData> signerAwaitingVerification() {
        return rank() < SENDER_VERIFIED_RANK ? signer() : Optional.empty();
    }

    /** True for sessions whose sender cannot be proven by design (imported, forwarded, pre-sender-data). */
    default boolean legacySession() {
        return false;
    }

    static UnknownDevice unknown() {
        return new UnknownDevice(false, false);
    }

    static UnknownDevice legacy() {
        return new UnknownDevice(true, false);
    }

    /** No signed device keys for the creator yet, or the device could not be proven to own the session. */
    record UnknownDevice(boolean legacySession, boolean ownerCheckFailed) implements SenderData {
        @Override
        public int rank() {
            return UNKNOWN_DEVICE_RANK;
        }

        @Override
        public Optional<String> userId() {
            return Optional.empty();
        }
    }

    /**
     * Device keys known and matching, device not cross-signed by its owner's current identity.
     * Holds the signed device keys JSON as received (unknown fields included).
     */
    record DeviceInfo(com.fasterxml.jackson.databind.node.ObjectNode deviceKeys, boolean legacySession)
            implements SenderData {
        public DeviceInfo {
            deviceKeys = deviceKeys.deepCopy();
        }

        @Override
        public com.fasterxml.jackson.databind.node.ObjectNode deviceKeys() {
            return deviceKeys.deepCopy();
        }

        @Override
        public int rank() {
            return DEVICE_INFO_RANK;
        }

        @Override
        public Optional<String> userId() {
            return Optional.ofNullable(deviceKeys.path("user_id").textValue());
        }

        public Optional<String> deviceId() {
            return Optional.ofNullable(deviceKeys.path("device_id").textValue());
        }
    }

    /**
     * The three states in which cross-signing proved who created the session: the owner's user id, the
     * device and the MSK ({@link #known()}, also the {@link #signer()}) are recorded.
     */
    sealed interface CrossSigned extends SenderData
            permits VerificationViolation, SenderUnverified, SenderVerified {
        KnownSenderData known();

        @Override
        default Optional<String> userId() {
            return Optional.of(known().userId());
        }

        @Override
        default Optional<KnownSenderData> signer() {
            return Optional.of(known());
        }
    }

    /** Cross-signed by the owner's current MSK, which is not verified, but an earlier MSK was. */
    record VerificationViolation(KnownSenderData known) implements CrossSigned {
        @Override
        public int rank() {
            return VERIFICATION_VIOLATION_RANK;
        }
    }

    /** Cross-signed by the owner's current MSK, trusted on first use. */
    record SenderUnverified(KnownSenderData known) implements CrossSigned {
        @Override
        public int rank() {
            return SENDER_UNVERIFIED_RANK;
        }
    }

    /** Cross-signed by an MSK that the local user verified. */
    record SenderVerified(KnownSenderData known) implements CrossSigned {
        @Override
        public int rank() {
            return SENDER_VERIFIED_RANK;
        }
    }
}
