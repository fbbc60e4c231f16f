package io.keytrail.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the per-session data keys live, wrapped by a sealing key (ADR 0012): a mutable table beside the
 * event store, never the event store itself, so that deleting a session's rows destroys its key material
 * for good while the session's events stay as they were.
 */
public interface DataKeys {
    /**
     * One wrapped data key.
     *
     * @param dataKeyId    random id, named by the {@code v2} sealed values it opens
     * @param aggregateId  the session it belongs to (forgetting the session deletes it)
     * @param sealingKeyId the id of the sealing key that wrapped it
     * @param wrapped      {@code <nonce>:<ciphertext>} of the data key under that sealing key
     */
    record Wrapped(String dataKeyId, String aggregateId, String sealingKeyId, String wrapped) {
        @Override
        public String toString() {
            return "Wrapped[" + dataKeyId + ", " + aggregateId + ", sealing key " + sealingKeyId + "]";
        }
    }

    void insert(Wrapped key);

    /** Inserts several data keys at once (the batch write path seals a chunk's sessions, then stores their keys). */
    default void insertAll(List<Wrapped> keys) {
        keys.forEach(this::insert);
    }

    Optional<Wrapped> find(String dataKeyId);

    /** Deletes every data key of the session; returns how many there were. */
    int deleteFor(String aggregateId);

    /** The distinct sealing key ids that wrapped the stored data keys (read from an index). */
    Set<String> sealingKeyIdsInUse();

    /**
     * Up to {@code limit} data keys wrapped by another sealing key than {@code sealingKeyId}, in data key id
     * order after {@code afterDataKeyId} ("" for the first page).
     */
    List<Wrapped> wrappedByOtherThan(String sealingKeyId, String afterDataKeyId, int limit);

    /** How many data keys are wrapped by another sealing key than {@code sealingKeyId}. */
    long countWrappedByOtherThan(String sealingKeyId);

    /**
     * Replaces the wrapping of {@code rewrapped.dataKeyId()} if it is still wrapped by
     * {@code expectedSealingKeyId} (another node may have done it already); returns whether it did.
     */
    boolean rewrap(Wrapped rewrapped, String expectedSealingKeyId);
}
