package io.keytrail.session;

import io.keytrail.errors.RefusalCode;
import io.keytrail.trust.Rule;

/** A room key for a new session was refused by the decision (e.g. MISMATCHED_IDENTITY_KEYS). */
public class RoomKeyRefusedException extends RuntimeException {
    private final RefusalCode code;
    private final Rule rule;

    public RoomKeyRefusedException(RefusalCode code, String detail, Rule rule) {
        super(detail);
        this.code = code;
        this.rule = rule;
    }

    public RefusalCode code() {
        return code;
    }

    public Rule rule() {
        return rule;
    }
}
