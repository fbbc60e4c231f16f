package io.keytrail.session;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import io.keytrail.crypto.UnpaddedBase64;

/**
 * Encrypts Megolm session keys before they reach the event store (design section 8: they are secret,
 * never stored in clear, and can be crypto-shredded). ADR 0006 and ADR 0012.
 *
 * <p>Every sealed value is AES-256-GCM with a random 96-bit nonce and the session's aggregate id as
 * associated data (a stored blob cannot be moved to another session). Two stored forms:
 * <ul>
 *   <li>{@code v2:<data key id>:<nonce>:<ct>} (written today): sealed under a random data key of its own,
 *   which is stored wrapped by the current sealing key in {@link DataKeys}, outside the event store.
 *   Deleting the session's data keys ({@link #destroyDataKeys}) makes the value unreadable for good.</li>
 *   <li>{@code v1:<sealing key id>:<nonce>:<ct>} (stores written before ADR 0012): sealed directly by a
 *   sealing key. Still read; {@code audit rotate-key} re-seals such values as {@code v2} in new events.</li>
 * </ul>
 * Every value names the key it needs (a data key id, or a sealing key id for v1), never a key.
 */
public final class SessionKeyVault {
    private static final String V1 = "v1";
    private static final String V2 = "v2";
    private final SealingKeys keys;
    private final DataKeys dataKeys;
    private final SecureRandom random;

    public SessionKeyVault(SealingKeys keys, DataKeys dataKeys, SecureRandom random) {
        this.keys = keys;
        this.dataKeys = dataKeys;
        this.random = random;
    }

    /** One sealing key and data keys in memory: for tests without a store. */
    public SessionKeyVault(byte[] keyBytes, SecureRandom random) {
        this(new SealingKeys(keyBytes, List.of()), new InMemoryDataKeys(), random);
    }

    /** The id of the current sealing key. */
    public String keyId() {
        return keys.currentId();
    }

    public SealingKeys sealingKeys() {
        return keys;
    }

    public DataKeys dataKeys() {
        return dataKeys;
    }

    /** Seals {@code secret} for session {@code aggregateId} under a new data key (stored as a side effect). */
    public String seal(String secret, String aggregateId) {
        Sealed sealed = sealUnstored(secret, aggregateId);
        dataKeys.insert(sealed.dataKey());
        return sealed.value();
    }

    /**
     * A sealed value and the wrapped data key that opens it, the key not stored yet: the batch write path
     * (ADR 0022) seals the keys of many sessions on every core, then stores their data keys in one
     * statement ({@link #storeDataKeys}) in the transaction that appends their events. A value whose data
     * key is never stored can never be opened, so the caller must store them together.
     */
    public record Sealed(String value, DataKeys.Wrapped dataKey) {
        @Override
        public String toString() {
            return "Sealed[" + dataKey + "]";
        }
    }

    /** As {@link #seal}, without storing the data key (see {@link Sealed}); touches no store, safe on any thread. */
    public Sealed sealUnstored(String secret, String aggregateId) {
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        byte[] id = new byte[16];
        random.nextBytes(id);
        String dataKeyId = UnpaddedBase64.encode(id).replace('/', '_').replace('+', '-');
        try {
            DataKeys.Wrapped wrapped = new DataKeys.Wrapped(dataKeyId, aggregateId, keys.currentId(),
                    Gcm.seal(keys.current(), dataKey, wrapAad(dataKeyId, aggregateId), random));
            return new Sealed(V2 + ":" + dataKeyId + ":" + Gcm.seal(new SecretKeySpec(dataKey, "AES"),
                    secret.getBytes(StandardCharsets.UTF_8), aggregateId, random), wrapped);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Stores the data keys of values sealed by {@link #sealUnstored}, in one statement, in the caller's transaction. */
    public void storeDataKeys(List<Sealed> sealed) {
        dataKeys.insertAll(sealed.stream().map(Sealed::dataKey).toList());
    }

    /**
     * Seals for a chunk of imported sessions (ADR 0020), one at a time on the chunk's thread: each value is
     * sealed at once, and the data keys of all of them are stored by {@link Batch#store}, in the same unit
     * of work and before the events that name them commit.
     */
    public Batch batch() {
        return new Batch();
    }

    /** Values sealed for one chunk of new sessions, whose data keys are stored together. */
    public final class Batch {
        private final List<Sealed> pending = new ArrayList<>();

        private Batch() {
        }

        public String seal(String secret, String aggregateId) {
            Sealed sealed = sealUnstored(secret, aggregateId);
            pending.add(sealed);
            return sealed.value();
        }

        /** Stores the data keys of the values sealed since the last call, in one call to the store. */
        public void store() {
            storeDataKeys(List.copyOf(pending));
            pending.clear();
        }
    }

    /**
     * The pre-ADR-0012 form, sealed directly by the current sealing key with no data key. Nothing in the
     * engine writes it any more; tests and the golden event files use it to stand for older stores.
     */
    public String sealV1(String secret, String aggregateId) {
        return V1 + ":" + keys.currentId() + ":"
                + Gcm.seal(keys.current(), secret.getBytes(StandardCharsets.UTF_8), aggregateId, random);
    }

    public String open(String sealed, String aggregateId) {
        String[] parts = parts(sealed);
        if (V1.equals(parts[0])) {
            SecretKeySpec key = keys.byId(parts[1]);
            if (key == null) {
                throw new SessionKeyUnavailableException("stored session key was sealed with sealing key " + parts[1]
                        + ", which is not configured (configured: " + keys.ids() + ")");
            }
            return new String(Gcm.open(key, parts[2], parts[3], aggregateId, "stored session key"),
                    StandardCharsets.UTF_8);
        }
        DataKeys.Wrapped wrapped = dataKeys.find(parts[1]).orElseThrow(() -> new SessionKeyUnavailableException(
                "the data key " + parts[1] + " of this session was destroyed (session forgotten)"));
        if (!wrapped.aggregateId().equals(aggregateId)) {
            throw new SessionKeyUnavailableException("data key " + parts[1] + " belongs to another session");
        }
        byte[] dataKey = unwrap(wrapped);
        try {
            return new String(Gcm.open(new SecretKeySpec(dataKey, "AES"), parts[2], parts[3], aggregateId,
                    "stored session key"), StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Destroys every data key of the session: its v2 sealed values can never be opened again. */
    public int destroyDataKeys(String aggregateId) {
        return dataKeys.deleteFor(aggregateId);
    }

    /**
     * The sealing key id a v1 value names, or empty for a v2 value (whose data key names it instead).
     */
    public static Optional<String> legacySealingKeyId(String sealed) {
        String[] parts = parts(sealed);
        return V1.equals(parts[0]) ? Optional.of(parts[1]) : Optional.empty();
    }

    /**
     * Re-wraps one data key under the current sealing key (key rotation); false when another node did
     * it first. The data key itself, and so every value it sealed, stays as it is.
     */
    public boolean rewrap(DataKeys.Wrapped wrapped) {
        byte[] dataKey = unwrap(wrapped);
        try {
            return dataKeys.rewrap(new DataKeys.Wrapped(wrapped.dataKeyId(), wrapped.aggregateId(), keys.currentId(),
                    Gcm.seal(keys.current(), dataKey, wrapAad(wrapped.dataKeyId(), wrapped.aggregateId()), random)),
                    wrapped.sealingKeyId());
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private byte[] unwrap(DataKeys.Wrapped wrapped) {
        SecretKeySpec key = keys.byId(wrapped.sealingKeyId());
        if (key == null) {
            throw new SessionKeyUnavailableException("data key " + wrapped.dataKeyId() + " is wrapped by sealing key "
                    + wrapped.sealingKeyId() + ", which is not configured (configured: " + keys.ids() + ")");
        }
        String[] w = wrapped.wrapped().split(":");
        if (w.length != 2) {
            throw new SessionKeyUnavailableException("data key " + wrapped.dataKeyId() + " has an unknown format");
        }
        return Gcm.open(key, w[0], w[1], wrapAad(wrapped.dataKeyId(), wrapped.aggregateId()),
                "data key " + wrapped.dataKeyId());
    }

    /** A wrapped data key opens only as the key of its own id and session: rows cannot be swapped. */
    private static String wrapAad(String dataKeyId, String aggregateId) {
        return "keytrail-data-key:" + dataKeyId + ":" + aggregateId;
    }

    private static String[] parts(String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":");
        if (parts.length != 4 || !(V1.equals(parts[0]) || V2.equals(parts[0]))) {
            throw new SessionKeyUnavailableException("stored session key has an unknown format");
        }
        return parts;
    }

    /** The stored key cannot be opened: key not configured, data key destroyed, or a corrupted blob. */
    public static class SessionKeyUnavailableException extends RuntimeException {
        public SessionKeyUnavailableException(String message) {
            super(message);
        }
    }
}
