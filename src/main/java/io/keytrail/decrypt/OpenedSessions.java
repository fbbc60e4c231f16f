package io.keytrail.decrypt;

import java.util.Objects;
import java.util.function.Supplier;

import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.trust.SenderData;

/**
 * Inbound Megolm sessions already opened (unsealed and parsed) and their parsed sender data, so that the
 * next message of a session costs neither the AES-GCM unsealing nor the parsing, and advances its ratchet
 * from the furthest message decrypted so far ({@link InboundGroupSession.Cursor}). A bounded, striped
 * LRU ({@link StripedLru}): concurrent decryptions of different sessions do not wait for one another.
 *
 * <p>An entry is only used while the store still says the same thing: it remembers the sealed key, the
 * sender data JSON and the sealing key's id it was derived from, and {@link #get} misses as soon as any
 * differs (a better ratchet grafted on, a re-decision, a key rotation) or the session is gone. The
 * discarded flag and the row itself are read for every event (directory.SessionLookup), never cached, so
 * a session discarded on another node is refused at once.
 */
final class OpenedSessions {
    /** An opened session and what it was derived from. */
    record Opened(String sealedSessionKey, String senderDataJson, String sealingKeyId, InboundGroupSession.Cursor session,
                  SenderData senderData) {
        boolean derivedFrom(String sealed, String senderData, String keyId) {
            return Objects.equals(sealedSessionKey, sealed) && Objects.equals(senderDataJson, senderData)
                    && Objects.equals(sealingKeyId, keyId);
        }
    }

    private final StripedLru<Opened> cache;

    OpenedSessions(int capacity) {
        this.cache = new StripedLru<>(capacity);
    }

    /**
     * The opened session of {@code aggregateId} if one derived from exactly these stored values is
     * cached, else {@code open}'s answer, which is then cached (opening happens outside any lock).
     */
    Opened get(String aggregateId, String sealedSessionKey, String senderDataJson, String sealingKeyId,
               Supplier<Opened> open) {
        Opened cached = cache.get(aggregateId);
        if (cached != null && cached.derivedFrom(sealedSessionKey, senderDataJson, sealingKeyId)) {
            return cached;
        }
        Opened opened = open.get();
        cache.put(aggregateId, opened);
        return opened;
    }

    /** Forgets one session (it was removed or shredded). */
    void forget(String aggregateId) {
        cache.remove(aggregateId);
    }

    /** Forgets everything (e.g. after the sealing key was rotated or destroyed). */
    void clear() {
        cache.clear();
    }

    int size() {
        return cache.size();
    }
}
