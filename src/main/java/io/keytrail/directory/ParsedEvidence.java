package io.keytrail.directory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.DeviceStanding;
import io.keytrail.trust.Evidence;
import io.keytrail.trust.OwnerIdentity;

/**
 * The local evidence about a creator in two forms: as recorded in the event ({@link #recorded}, signed
 * JSON as stored) and already parsed for the decision (typed device, MSK, SSK). The typed forms come
 * from a cache keyed by the stored text itself (issue 13): a device or key whose stored JSON is the
 * same string is the same evidence, so it is parsed (and canonicalised for its signatures) once, not
 * once per room key. Keyed by content rather than by user, the cache needs no invalidation when keys
 * change: new keys are new text, and a node that shares the store reads the rows on every decision.
 * Cached JSON trees are shared between decisions and events; nobody may modify them.
 */
public record ParsedEvidence(DecisionEvidence recorded, Optional<DeviceKeys> storedDevice,
                             Optional<OwnerIdentity> ownerIdentity, Optional<DeviceStanding> standing) {
    private static final int CAPACITY = 4_096;
    private static final Map<String, Parsed<?>> CACHE = new ConcurrentHashMap<>();

    /** Parsed JSON text: the tree and its typed form. */
    record Parsed<T>(ObjectNode json, T typed) {
    }

    /**
     * The decision's input for a room key that brings these facts, exactly what
     * {@link DecisionEvidence#toEvidence} rebuilds from {@code recorded.withSenderDeviceKeys(shipped)}.
     */
    public Evidence toEvidence(String sender, Curve25519PublicKey olmSenderKey, Ed25519PublicKey claimedEd25519,
                               Optional<DeviceKeys> shipped) {
        return new Evidence(sender, olmSenderKey, claimedEd25519, false, shipped,
                storedDevice.stream().toList(), ownerIdentity,
                storedDevice.isPresent() && standing.isPresent()
                        ? Map.of(storedDevice.get().deviceId(), standing.get()) : Map.of());
    }

    static Parsed<DeviceKeys> device(String text) {
        return parsed(text, DeviceKeys::parse);
    }

    static Parsed<CrossSigningKey> crossSigningKey(String text) {
        return parsed(text, CrossSigningKey::parse);
    }

    @SuppressWarnings("unchecked")
    private static <T> Parsed<T> parsed(String text, Function<ObjectNode, T> parse) {
        Parsed<?> known = CACHE.get(text);
        if (known == null) {
            ObjectNode json = JsonText.read(text);
            known = new Parsed<>(json, parse.apply(json));
            if (CACHE.size() >= CAPACITY) {
                CACHE.clear();
            }
            CACHE.put(text, known);
        }
        return (Parsed<T>) known;
    }
}
