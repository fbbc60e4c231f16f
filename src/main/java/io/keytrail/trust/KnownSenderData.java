package io.keytrail.trust;

import java.util.Objects;

import io.keytrail.crypto.Ed25519PublicKey;

/**
 * Who created a session, once cross-signing proved it: the owner, the device and the owner's master
 * key (MSK) at the time of the decision. {@code deviceId} is null only in data read from old
 * matrix-rust-sdk stores.
 */
public record KnownSenderData(String userId, String deviceId, Ed25519PublicKey masterKey) {
    public KnownSenderData {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(masterKey, "masterKey");
    }
}
