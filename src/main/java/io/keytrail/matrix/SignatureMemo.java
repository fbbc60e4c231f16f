package io.keytrail.matrix;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keytrail.crypto.Ed25519PublicKey;

/**
 * Remembers the outcome of recent signed-JSON checks, so that the same signature over the same bytes by
 * the same key is verified once (issue 13): a device's self-signature and its cross-signature arrive
 * again with every room key the device sends ({@code sender_device_keys}) and with every decision that
 * reads the stored device. An Ed25519 check is a pure function of (key, message, signature), so a
 * remembered outcome is exactly the outcome a new check would give; nothing here depends on time,
 * trust or the store. The key holds the whole message, never a hash of it, so no collision can answer
 * for another message. Bounded: when full it starts again from empty.
 */
final class SignatureMemo {
    static final int CAPACITY = 8_192;
    private static final Map<String, SignatureCheck> OUTCOMES = new ConcurrentHashMap<>();

    private SignatureMemo() {
    }

    static SignatureCheck check(byte[] signed, String signatureBase64, Ed25519PublicKey key,
                                java.util.function.Supplier<SignatureCheck> verify) {
        String memoKey = key.toBase64() + '\n' + signatureBase64 + '\n' + new String(signed, StandardCharsets.ISO_8859_1);
        SignatureCheck known = OUTCOMES.get(memoKey);
        if (known != null) {
            return known;
        }
        SignatureCheck outcome = verify.get();
        if (OUTCOMES.size() >= CAPACITY) {
            OUTCOMES.clear();
        }
        OUTCOMES.put(memoKey, outcome);
        return outcome;
    }

    /** Entries held now (tests). */
    static int size() {
        return OUTCOMES.size();
    }
}
