package io.keytrail.matrix;

/**
 * A Matrix JSON object that does not have the shape the spec requires (missing or mistyped field,
 * wrong key id, bad base64 inside it, ...). The message names the field.
 */
public class MatrixFormatException extends RuntimeException {
    public MatrixFormatException(String message) {
        super(message);
    }

    public MatrixFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
