package io.keytrail.trust;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * How much a decrypted message's sender is trusted (matrix-rust-sdk's {@code VerificationState}).
 * JSON as upstream: {@code "Verified"}, {@code {"Unverified":"UnsignedDevice"}},
 * {@code {"Unverified":{"None":"MissingDevice"}}}.
 */
@JsonSerialize(using = VerificationJson.StateSerializer.class)
@JsonDeserialize(using = VerificationJson.StateDeserializer.class)
public sealed interface VerificationState permits VerificationState.Verified, VerificationState.Unverified {
    Verified VERIFIED = new Verified();

    static Unverified unverified(VerificationLevel level) {
        return new Unverified(level);
    }

    /** The sender's device is cross-signed by an identity the local user verified. */
    record Verified() implements VerificationState {
    }

    /** Anything less, and why. */
    record Unverified(VerificationLevel level) implements VerificationState {
        public Unverified {
            java.util.Objects.requireNonNull(level, "level");
        }
    }
}
