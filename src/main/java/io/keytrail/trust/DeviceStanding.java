package io.keytrail.trust;

import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.matrix.SignatureCheck;

/**
 * What the arrival checks of a {@code /keys/query} response found about one device's cross-signing: the
 * device's signature by its owner's self-signing key (SSK) is verified there, once, and this is the
 * recorded result (see {@link SenderDataFinder}, step K5 and K7). Recorded in the directory and in the
 * evidence of every decision that used the device, so the audit can see what the decision rested on.
 *
 * @param kind                  the outcome
 * @param selfSigningKeyId      the key id of the SSK the device was checked against ({@code ed25519:<ssk>}):
 *                              the accepted SSK, or for {@link Kind#RELIES_ON_REFUSED_KEY} the refused one;
 *                              null for {@link Kind#UNCHECKED}
 * @param refusedSelfSigningKey for {@link Kind#RELIES_ON_REFUSED_KEY}: the refused SSK, signed JSON as received
 * @param refusedFor            for {@link Kind#RELIES_ON_REFUSED_KEY}: why the SSK was refused (a
 *                              {@code RejectionReason} name, e.g. {@code BAD_MASTER_SIGNATURE})
 * @param refusingMasterKey     for {@link Kind#RELIES_ON_REFUSED_KEY}: the master key, signed JSON as received, whose
 *                              signature on the SSK failed; lets an auditor re-verify the refusal
 */
public record DeviceStanding(Kind kind, String selfSigningKeyId, ObjectNode refusedSelfSigningKey, String refusedFor,
                             ObjectNode refusingMasterKey) {

    /** Stable names: recorded in events. Never rename a constant. */
    public enum Kind {
        /** Validly signed by the owner's accepted SSK {@code selfSigningKeyId}. */
        CROSS_SIGNED,
        /** No signature under the accepted SSK's key id (none, or an older SSK's): merely not cross-signed. */
        NOT_CROSS_SIGNED,
        /** A signature under the accepted SSK's key id that does not verify: tampering (design 3.7, 9.6). */
        BAD_SELF_SIGNING_SIGNATURE,
        /**
         * Validly signed by an SSK that was refused because its master-key signature does not verify: the
         * device's cross-signing rests on tampered material, and sessions that depend on it are discarded.
         */
        RELIES_ON_REFUSED_KEY,
        /** Not checked against any accepted SSK (the response carried none we accepted). */
        UNCHECKED
    }

    public DeviceStanding {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.RELIES_ON_REFUSED_KEY && refusedFor == null) {
            throw new IllegalArgumentException("a device relying on a refused key names why the key was refused");
        }
    }

    public static DeviceStanding checked(String selfSigningKeyId, SignatureCheck signature) {
        Kind kind = switch (signature) {
            case VALID -> Kind.CROSS_SIGNED;
            case ABSENT -> Kind.NOT_CROSS_SIGNED;
            case INVALID -> Kind.BAD_SELF_SIGNING_SIGNATURE;
        };
        return new DeviceStanding(kind, selfSigningKeyId, null, null, null);
    }

    public static DeviceStanding reliesOnRefusedKey(String refusedKeyId, ObjectNode refusedSelfSigningKey,
                                                    String refusedFor, ObjectNode refusingMasterKey) {
        return new DeviceStanding(Kind.RELIES_ON_REFUSED_KEY, refusedKeyId, refusedSelfSigningKey, refusedFor,
                refusingMasterKey);
    }

    public static DeviceStanding unchecked() {
        return new DeviceStanding(Kind.UNCHECKED, null, null, null, null);
    }

    /** The device's trust would rest on refused (tampered) material. */
    public boolean tainted() {
        return kind == Kind.RELIES_ON_REFUSED_KEY;
    }

    /**
     * The recorded signature check against the accepted SSK {@code keyId}, if the device was checked
     * against exactly that key on arrival; empty when it was not (another SSK, or none).
     */
    public java.util.Optional<SignatureCheck> signatureBy(String keyId) {
        if (keyId == null || !keyId.equals(selfSigningKeyId)) {
            return java.util.Optional.empty();
        }
        return switch (kind) {
            case CROSS_SIGNED -> java.util.Optional.of(SignatureCheck.VALID);
            case NOT_CROSS_SIGNED -> java.util.Optional.of(SignatureCheck.ABSENT);
            case BAD_SELF_SIGNING_SIGNATURE -> java.util.Optional.of(SignatureCheck.INVALID);
            case RELIES_ON_REFUSED_KEY, UNCHECKED -> java.util.Optional.empty();
        };
    }
}
