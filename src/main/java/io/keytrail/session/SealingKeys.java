package io.keytrail.session;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import io.keytrail.crypto.UnpaddedBase64;

/**
 * The configured sealing keys (key-encryption keys, ADR 0012): the current one, which seals everything
 * new, and older ones kept only so that what they sealed stays readable until {@code audit rotate-key}
 * has re-wrapped it. A key is known by its id, a hash prefix of the key: the id is stored beside every
 * sealed value and may be logged; the key never is.
 */
public final class SealingKeys {
    private final String currentId;
    private final Map<String, SecretKeySpec> byId = new LinkedHashMap<>();

    /**
     * @param current the key that seals from now on (32 bytes)
     * @param older   keys that only open (32 bytes each); a repeat of {@code current} is ignored
     */
    public SealingKeys(byte[] current, List<byte[]> older) {
        currentId = add(current);
        for (byte[] key : older) {
            add(key);
        }
    }

    private String add(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("a sealing key must be 32 bytes");
        }
        String id = idOf(key);
        byId.putIfAbsent(id, new SecretKeySpec(key.clone(), "AES"));
        return id;
    }

    public String currentId() {
        return currentId;
    }

    /** Every configured key id, the current one first. */
    public Set<String> ids() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    SecretKeySpec current() {
        return byId.get(currentId);
    }

    /** The key with {@code id}, or null when it is not configured. */
    SecretKeySpec byId(String id) {
        return byId.get(id);
    }

    /** The id of {@code key}: the first 6 bytes of its SHA-256, URL-safe base64 (8 characters). */
    public static String idOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return UnpaddedBase64.encode(Arrays.copyOf(digest, 6)).replace('/', '_').replace('+', '-');
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SealingKeys[current=" + currentId + ", all=" + byId.keySet() + "]";
    }
}
