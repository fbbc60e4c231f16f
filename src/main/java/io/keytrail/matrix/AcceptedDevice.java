package io.keytrail.matrix;

import java.util.Objects;

/**
 * Device keys from {@code /keys/query} that passed every device check (shape, ids, self-signature),
 * with what they say about the owner's self-signing key.
 */
public record AcceptedDevice(DeviceKeys keys, SelfSigningCheck selfSigning) {
    public AcceptedDevice {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(selfSigning, "selfSigning");
    }

    /** Validly signed by the owner's accepted SSK (which the accepted MSK signed): cross-signed. */
    public boolean isCrossSigned() {
        return selfSigning instanceof SelfSigningCheck.ByAcceptedKey k && k.signature() == SignatureCheck.VALID;
    }

    /** Carries an invalid signature under the accepted SSK's key id: evidence of tampering. */
    public boolean hasBadSelfSigningSignature() {
        return selfSigning instanceof SelfSigningCheck.ByAcceptedKey k && k.signature() == SignatureCheck.INVALID;
    }

    /** Validly signed by an SSK that was refused because its master signature is bad: relies on tampered material. */
    public boolean reliesOnTamperedKey() {
        return selfSigning instanceof SelfSigningCheck.ByRejectedKey k && k.signature() == SignatureCheck.VALID
                && k.sskRejectedFor().isTampering();
    }
}
