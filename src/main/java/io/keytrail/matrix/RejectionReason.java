package io.keytrail.matrix;

/**
 * Which check refused a piece of a {@code /keys/query} response. Stable names: they end up in
 * events and in the replay output, so never rename a constant.
 */
public enum RejectionReason {
    /** Not the shape the spec requires (missing or mistyped field, bad key id, bad base64, ...). */
    MALFORMED(false),
    /** The {@code user_id} inside the object differs from the user it is filed under. */
    USER_ID_MISMATCH(false),
    /** The {@code device_id} inside the device keys differs from the device id it is filed under. */
    DEVICE_ID_MISMATCH(false),
    /** The device keys carry no signature by the device's own ed25519 key. */
    MISSING_SELF_SIGNATURE(false),
    /** The device's own signature does not verify: the keys were changed after the device signed them. */
    BAD_SELF_SIGNATURE(false),
    /** A cross-signing key is filed under {@code master_keys}, {@code self_signing_keys} or {@code user_signing_keys} without that usage. */
    WRONG_USAGE(false),
    /** A self-signing or user-signing key arrived without an accepted master key to check it against. */
    MISSING_MASTER_KEY(false),
    /** A self-signing or user-signing key carries no signature by the user's master key. */
    MISSING_MASTER_SIGNATURE(false),
    /**
     * A self-signing or user-signing key carries a master-key signature that does not verify. Nobody
     * honest produces this: it is evidence of tampering (design section 3, step 7).
     */
    BAD_MASTER_SIGNATURE(true),
    /**
     * Device keys carry a signature under the accepted self-signing key's id that does not verify.
     * Evidence of tampering; the device itself stays accepted (its own signature is good) so that
     * sessions relying on it can be found and discarded.
     */
    BAD_SELF_SIGNING_SIGNATURE(true),
    /**
     * A limit of design section 11 was exceeded: an id longer than 255 bytes, a key object larger than
     * {@link KeysQueryLimits#maxObjectChars()}, more devices than allowed for one user, or more users
     * than allowed in one response. Only that piece is refused.
     */
    OVER_LIMIT(false);

    private final boolean tampering;

    RejectionReason(boolean tampering) {
        this.tampering = tampering;
    }

    /**
     * True when the failure can only come from forged or altered signatures, as opposed to data that
     * is merely incomplete or malformed. The trust layer discards what relies on tampered material
     * instead of treating it as "not signed" (design section 9, item 6).
     */
    public boolean isTampering() {
        return tampering;
    }
}
