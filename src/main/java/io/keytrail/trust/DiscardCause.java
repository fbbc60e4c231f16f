package io.keytrail.trust;

/**
 * Why a session was discarded (design 5: the two exceptions to "trust only moves up"). Stored by name in
 * {@code SessionDiscarded} (revision 2): never rename a constant.
 */
public enum DiscardCause {
    /**
     * Evidence of tampering (design 3.7): a refused self-signing key the device relies on, or a
     * cross-signing signature that does not verify. The rule names the step, the evidence the key.
     */
    TAMPERING,
    /** A re-decision proved the creator a mismatch (an attack); the refusal code says which. */
    PROVEN_MISMATCH
}
