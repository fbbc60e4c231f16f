package io.keytrail.session;

import io.keytrail.errors.RefusalCode;

/** What became of an offered room key: accepted (possibly merged), or refused with a code. */
public record ReceiveOutcome(RefusalCode refusedCode, String detail) {
    public static final ReceiveOutcome ACCEPTED = new ReceiveOutcome(null, null);

    public boolean refused() {
        return refusedCode != null;
    }
}
