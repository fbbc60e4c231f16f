package io.keytrail.errors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An input that the engine refused, with one of the error codes of design section 10 and a message a
 * user can act on. {@code verificationLevel} is set for {@code SENDER_IDENTITY_NOT_TRUSTED}.
 */
public class IntakeException extends RuntimeException {
    private final String code;
    private final transient JsonNode verificationLevel;

    public IntakeException(String code, String message) {
        this(code, message, null);
    }

    public IntakeException(String code, String message, JsonNode verificationLevel) {
        super(message);
        this.code = code;
        this.verificationLevel = verificationLevel;
    }

    public String code() {
        return code;
    }

    public JsonNode verificationLevel() {
        return verificationLevel;
    }

    public static IntakeException invalidInput(String message) {
        return new IntakeException(ErrorCodes.INVALID_INPUT, message);
    }
}
