package io.keytrail.session;

/** A room key for a new session was refused by the decision (e.g. MISMATCHED_IDENTITY_KEYS). */
public class RoomKeyRefusedException extends RuntimeException {
    private final String code;
    private final String rule;

    public RoomKeyRefusedException(String code, String detail, String rule) {
        super(detail);
        this.code = code;
        this.rule = rule;
    }

    public String code() {
        return code;
    }

    public String rule() {
        return rule;
    }
}
