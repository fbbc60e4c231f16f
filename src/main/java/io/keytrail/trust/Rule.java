package io.keytrail.trust;

/**
 * The step of the decision flow that produced an outcome (see {@link SenderDataFinder}). Recorded in
 * events as the "rule" of the audit trail, so its names are stable: never rename a constant.
 *
 * <p>Steps are numbered K1..K8 (Keytrail's own flow), not lettered: matrix-rust-sdk's flowchart uses
 * the letters A-H for other steps (its C is "no device", its E "owner check failed"), and one letter
 * meaning two things in the same audit trail would mislead.
 */
public enum Rule {
    /** K1: the MSC4147 {@code sender_device_keys} name another user or their self-signature fails. Rejected. */
    SENDER_DEVICE_KEYS_INVALID("K1"),
    /** K2: no device of the sender has the Olm sender key: {@code UnknownDevice{legacy=false}}. */
    NO_DEVICE("K2"),
    /** K2: an imported session whose claimed device is unknown: {@code UnknownDevice{legacy=true}}. */
    IMPORTED_NO_DEVICE("K2"),
    /**
     * K3: an imported session whose claimed device is known. Its claims are unauthenticated, so the device
     * is never proven its owner: {@code UnknownDevice{legacy=true, owner_check_failed=true}}.
     */
    IMPORTED_NOT_OWNER("K3"),
    /** K4: the device's ed25519 or curve25519 key contradicts the session's claims: an attack. Rejected. */
    OWNER_CHECK_MISMATCH("K4"),
    /** K6: the device owns the session, but no cross-signing identity of its owner is known: {@code DeviceInfo}. */
    NO_OWNER_IDENTITY("K6"),
    /** K7: the device carries no signature by its owner's current SSK (none, or an older SSK's): {@code DeviceInfo}. */
    NOT_CROSS_SIGNED("K7"),
    /** K7: the device carries a signature under the current SSK's key id that does not verify. Tampered. */
    CROSS_SIGNING_SIGNATURE_INVALID("K7"),
    /** K8: cross-signed, and the local user verified this MSK: {@code SenderVerified}. */
    CROSS_SIGNED_VERIFIED("K8"),
    /** K8: cross-signed by an unverified MSK of a user whose earlier MSK was verified: {@code VerificationViolation}. */
    CROSS_SIGNED_PREVIOUSLY_VERIFIED("K8"),
    /** K8: cross-signed by an MSK never verified, trusted on first use: {@code SenderUnverified}. */
    CROSS_SIGNED_UNVERIFIED("K8"),
    /**
     * K5: the device is validly signed by a self-signing key that was refused because its master-key
     * signature does not verify (its standing is {@link DeviceStanding.Kind#RELIES_ON_REFUSED_KEY}).
     * Tampered. Discards recorded before the evidence existed carry this name with no evidence.
     */
    TAINTED_DEVICE("K5"),

    // Decisions made outside the finder's flowchart (no step).

    /** An imported session (export file, key backup, forward): {@code UnknownDevice{legacy=true}} (design 6). */
    IMPORTED(""),
    /**
     * The local user verified exactly the MSK a {@code SenderUnverified} or {@code VerificationViolation}
     * session recorded: {@code SenderVerified} (design 9.3).
     */
    MSK_VERIFIED(""),
    /**
     * K3: an imported session whose claimed owner (a Keytrail export's or backup's claim, ADR 0018) has a
     * device with exactly the session's claimed curve25519 and ed25519 keys: {@code DeviceInfo{legacy=true}}.
     * The device is named, the session stays legacy: the claim matched, nothing proved it.
     */
    IMPORTED_CLAIMED_DEVICE("K3");

    private final String step;

    Rule(String step) {
        this.step = step;
    }

    /** The step in {@link SenderDataFinder}'s flowchart, {@code K1}..{@code K8}; empty outside it. */
    public String step() {
        return step;
    }
}
