package io.keytrail.matrix;

/**
 * What an accepted device's keys say about its owner's self-signing key (SSK). A sum type rather than
 * a bare {@link SignatureCheck}, because "no SSK to check against" and "signed by an SSK we refused"
 * lead to different decisions than "not signed": the first is merely unknown, the second means the
 * device relies on material we refused (possibly tampered).
 */
public sealed interface SelfSigningCheck {

    /** The response holds no self-signing key for the user, or one too malformed to read a key from. */
    record NoSelfSigningKey() implements SelfSigningCheck {
    }

    /**
     * Checked against the user's accepted SSK. VALID: cross-signed by its owner. ABSENT: not
     * cross-signed (maybe signed by an older SSK, which is not tampering). INVALID: tampering.
     */
    record ByAcceptedKey(String keyId, SignatureCheck signature) implements SelfSigningCheck {
    }

    /**
     * The user's SSK was refused ({@code sskRejectedFor}); {@code signature} is the device's signature
     * by that refused key. VALID means the device relies on refused material.
     */
    record ByRejectedKey(String keyId, SignatureCheck signature, RejectionReason sskRejectedFor)
            implements SelfSigningCheck {
    }
}
