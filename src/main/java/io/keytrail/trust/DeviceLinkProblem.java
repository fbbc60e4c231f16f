package io.keytrail.trust;

/** Why no device could be linked to a session's creator (matrix-rust-sdk's {@code DeviceLinkProblem}). */
public enum DeviceLinkProblem {
    /** The creating device is not known (yet, or any more). JSON {@code "MissingDevice"}. */
    MISSING_DEVICE("MissingDevice"),
    /** The session came from a source that cannot prove its creator (import, backup, forward). */
    INSECURE_SOURCE("InsecureSource");

    private final String jsonName;

    DeviceLinkProblem(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
