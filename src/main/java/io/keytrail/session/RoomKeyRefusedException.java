package io.keytrail.session;

import io.keytrail.errors.RefusalCode;

/** A room key for a new session was refused by the decision (e.g. MISMATCHED_IDENTITY_KEYS). */
public class RoomKeyRefusedException extends RuntimeException {
    private final RefusalCode code;
    private final String rule;

    public RoomKeyRefusedException(RefusalCode code, String detail, String rule) {
        super(detail);
        this.code = code;
        this.rule = rule;
    }

    public RefusalCode code() {
        return code;
    }

    public String rule() {
        return rule;
    }
}
