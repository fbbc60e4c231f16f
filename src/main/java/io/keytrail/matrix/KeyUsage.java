package io.keytrail.matrix;

import java.util.Optional;

/** The {@code usage} of a cross-signing key. */
public enum KeyUsage {
    MASTER("master"),
    SELF_SIGNING("self_signing"),
    USER_SIGNING("user_signing");

    private final String wireName;

    KeyUsage(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The usage spelled {@code wireName} in JSON, if it is one we know. */
    public static Optional<KeyUsage> fromWireName(String wireName) {
        for (KeyUsage usage : values()) {
            if (usage.wireName.equals(wireName)) {
                return Optional.of(usage);
            }
        }
        return Optional.empty();
    }
}
