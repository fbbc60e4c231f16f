package com.example.embedded;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.api.Keytrail;
import io.keytrail.directory.SessionView;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.redecision.KeysIntake.KeysResult;

/** What a host writes: inject the facade and hand it what the host's Olm machine decrypted. */
@Service
public class RoomEvents {
    private static final Logger log = LoggerFactory.getLogger(RoomEvents.class);
    private final Keytrail keytrail;

    public RoomEvents(Keytrail keytrail) {
        this.keytrail = keytrail;
    }

    /** A to-device m.room_key, after Olm decryption: decided at once, from what is stored. */
    public SessionView onRoomKey(String sender, String olmSenderKey, JsonNode olmPlaintext, OwnDevice me) {
        SessionView session = keytrail.receiveRoomKey(sender, olmSenderKey, olmPlaintext, Optional.of(me));
        log.info("session {} from {}: {}", session.sessionId(), sender, session.senderData());
        return session;
    }

    /** A /keys/query response: affected sessions are re-decided. */
    public KeysResult onKeysQuery(JsonNode responseBody) {
        return keytrail.recordKeysQuery(responseBody);
    }

    public Optional<SessionView> session(String roomId, String sessionId) {
        return keytrail.session(roomId, sessionId);
    }
}
