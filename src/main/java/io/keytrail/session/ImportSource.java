package io.keytrail.session;

/**
 * Where an imported (legacy) session came from (design section 6). Stored by name in
 * {@code SessionImported}: never rename a constant (append new ones).
 */
public enum ImportSource {
    /** The decrypted JSON array of a key export, or restored backup sessions, given as JSON. */
    ROOM_KEYS,
    /** A passphrase-protected key export file. */
    KEY_EXPORT,
    /** A server-side key backup ({@code /room_keys/keys}). */
    KEY_BACKUP,
    /** An {@code m.forwarded_room_key} from another device. */
    FORWARDED
}
