package io.keytrail.session;

/**
 * What made a session's sender data be decided again, recorded in {@code SenderDataChanged} for the
 * audit trail. Stored by name: never rename a constant (append new ones).
 */
public enum Trigger {
    /** Another copy of the session arrived over Olm and carried more trust. */
    RE_RECEIPT,
    /** New device keys or a new cross-signing identity of the creator were fetched (or recorded). */
    DEVICE_KEYS_FETCHED,
    /** The local user verified the master key the session recorded. */
    VERIFY_MASTER_KEY,
    /** The local user withdrew their verification of the creator's identity. */
    VERIFICATION_WITHDRAWN,
    /** An imported session's claim named its owner (ADR 0018), whose keys were already stored. */
    IMPORT_CLAIM
}
