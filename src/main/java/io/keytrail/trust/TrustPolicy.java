package io.keytrail.trust;

/**
 * Which messages a reader is shown (design 7). The first three are matrix-rust-sdk's
 * {@code TrustRequirement} (reference 5.3); {@link #VERIFIED_ONLY} is ours (design 9.2).
 */
public enum TrustPolicy {
    /** Upstream {@code Untrusted}: everything that decrypts, even {@code MismatchedSender}. */
    SHOW_ALL,
    /** Upstream {@code CrossSignedOrLegacy}: cross-signed senders, plus legacy sessions. */
    CROSS_SIGNED_OR_LEGACY,
    /** Upstream {@code CrossSigned}: senders whose device is cross-signed by a non-violating identity. */
    CROSS_SIGNED,
    /** The seed's "paranoid" mode: only senders whose identity the local user verified. */
    VERIFIED_ONLY;

    /**
     * Whether a message in this state is shown.
     *
     * @param legacy the session's <em>stored</em> sender data has {@code legacy_session=true} (read before
     *               any decrypt-time re-decision, as upstream does); imported sessions keep the flag
     *               (design 9.4), so they pass {@link #CROSS_SIGNED_OR_LEGACY} consistently
     */
    public boolean allows(VerificationState state, boolean legacy) {
        if (this == SHOW_ALL || state instanceof VerificationState.Verified) {
            return true;
        }
        if (this == VERIFIED_ONLY) {
            return false;
        }
        switch (((VerificationState.Unverified) state).level()) {
            case UNVERIFIED_IDENTITY:
                return true;
            case UNSIGNED_DEVICE:
            case NONE_MISSING_DEVICE:
            case NONE_INSECURE_SOURCE:
                return this == CROSS_SIGNED_OR_LEGACY && legacy;
            case VERIFICATION_VIOLATION:
            case MISMATCHED_SENDER:
            default:
                return false;
        }
    }
}
