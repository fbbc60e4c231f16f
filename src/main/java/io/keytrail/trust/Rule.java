package io.keytrail.trust;

/**
 * The step of the decision flow that produced an outcome (see {@link SenderDataFinder}). Recorded in
 * events as the "rule" of the audit trail, so its names are stable: never rename a constant.
 */
public enum Rule {
    /** A: the MSC4147 {@code sender_device_keys} name another user or their self-signature fails. Rejected. */
    SENDER_DEVICE_KEYS_INVALID("A"),
    /** B: no device of the sender has the Olm sender key: {@code UnknownDevice{legacy=false}}. */
    NO_DEVICE("B"),
    /** B: an imported session whose claimed device is unknown: {@code UnknownDevice{legacy=true}}. */
    IMPORTED_NO_DEVICE("B"),
    /**
     * C: an imported session whose claimed device is known. Its claims are unauthenticated, so the device
     * is never proven its owner: {@code UnknownDevice{legacy=true, owner_check_failed=true}}.
     */
    IMPORTED_NOT_OWNER("C"),
    /** D: the device's ed25519 or curve25519 key contradicts the session's claims: an attack. Rejected. */
    OWNER_CHECK_MISMATCH("D"),
    /** E: the device owns the session, but no cross-signing identity of its owner is known: {@code DeviceInfo}. */
    NO_OWNER_IDENTITY("E"),
    /** F: the device carries no signature by its owner's current SSK (none, or an older SSK's): {@code DeviceInfo}. */
    NOT_CROSS_SIGNED("F"),
    /** F: the device carries a signature under the current SSK's key id that does not verify. Tampered. */
    CROSS_SIGNING_SIGNATURE_INVALID("F"),
    /** G: cross-signed, and the local user verified this MSK: {@code SenderVerified}. */
    CROSS_SIGNED_VERIFIED("G"),
    /** G: cross-signed by an unverified MSK of a user whose earlier MSK was verified: {@code VerificationViolation}. */
    CROSS_SIGNED_PREVIOUSLY_VERIFIED("G"),
    /** H: cross-signed by an MSK never verified, trusted on first use: {@code SenderUnverified}. */
    CROSS_SIGNED_UNVERIFIED("H"),

    // Decisions made outside the flowchart (no step letter).

    /** The creator device's cross-signing rests on keys refused as tampered: the session is discarded. */
    TAINTED_DEVICE(""),
    /** An imported session (export file, key backup, forward): {@code UnknownDevice{legacy=true}} (design 6). */
    IMPORTED(""),
    /**
     * The local user verified exactly the MSK a {@code SenderUnverified} or {@code VerificationViolation}
     * session recorded: {@code SenderVerified} (design 9.3).
     */
    MSK_VERIFIED("");

    private final String step;

    Rule(String step) {
        this.step = step;
    }

    /** The step letter in {@link SenderDataFinder}'s flowchart; empty for a decision outside it. */
    public String step() {
        return step;
    }
}
