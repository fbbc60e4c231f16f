package io.keytrail.directory;

import io.keytrail.directory.SessionRow;
import io.keytrail.trust.SenderDataJson;

public final class SessionViews {
    private SessionViews() {
    }

    public static SessionView of(SessionRow row) {
        return new SessionView(row.getRoomId(), row.getSessionId(),
                SenderDataJson.read(JsonText.parse(row.getSenderDataJson())), row.isImported(), row.isDiscarded(),
                row.claim(), row.isForgotten());
    }
}
