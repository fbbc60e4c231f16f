package io.keytrail.matrix;

/** Outcome of looking for one signature on a signed JSON object. */
public enum SignatureCheck {
    /** The signature exists and verifies. */
    VALID,
    /** No signature under that entity and key id. */
    ABSENT,
    /** A signature under that entity and key id exists but does not verify (or is not valid base64). */
    INVALID
}
