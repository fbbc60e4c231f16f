package io.keytrail.matrix;

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
}
