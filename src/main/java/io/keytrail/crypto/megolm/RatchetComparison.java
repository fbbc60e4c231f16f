package io.keytrail.crypto.megolm;

/**
 * How a newly received copy of a Megolm session's ratchet relates to the copy we hold
 * (vodozemac's {@code SessionOrdering}).
 */
public enum RatchetComparison {
    /** Same session, the new copy starts at a lower message index: it can decrypt more. */
    BETTER,
    /** Same session, same first index. */
    EQUAL,
    /** Same session, the new copy starts at a higher index. */
    WORSE,
    /** Different signing key, or the ratchets do not derive from each other: not the same session. */
    UNCONNECTED
}
