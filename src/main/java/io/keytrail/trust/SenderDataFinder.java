package io.keytrail.trust;

/** The sender-data decision (design section 3). Pure: no I/O, no framework. */
public final class SenderDataFinder {
    private SenderDataFinder() {
    }

    public static Decision decide(Evidence evidence) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
