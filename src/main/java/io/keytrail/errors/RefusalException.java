package io.keytrail.errors;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An input the engine refused, with its {@link RefusalCode} and a message a user can act on. Every room
 * raises this one type, so every interface answers it the same way. {@code verificationLevel} is set
 * for {@link RefusalCode#SENDER_IDENTITY_NOT_TRUSTED} (matrix-rust-sdk's JSON).
 */
public class RefusalException extends RuntimeException {
    private final RefusalCode code;
    private final transient JsonNode verificationLevel;

    public RefusalException(RefusalCode code, String message) {
        this(code, message, null);
    }

    public RefusalException(RefusalCode code, String message, JsonNode verificationLevel) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.verificationLevel = verificationLevel;
    }

    public RefusalCode code() {
        return code;
    }

    public JsonNode verificationLevel() {
        return verificationLevel;
    }

    public static RefusalException invalidInput(String message) {
        return new RefusalException(RefusalCode.INVALID_INPUT, message);
    }
}
