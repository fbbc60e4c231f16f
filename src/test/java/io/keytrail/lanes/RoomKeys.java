package io.keytrail.lanes;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.directory.SessionView;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.TestAccount;

/** Room keys for the lane tests: fresh Megolm sessions from fixture accounts, addressed to us. */
final class RoomKeys {
    static final String ROOM = "!lanes:example.org";
    static final OwnDevice ME = TestAccount.create("@me:example.org", "me", "MYDEVICE").ownDevice("MYDEVICE");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A fixed sealing key for test engines, so that none generates a development key under ./data. */
    static final String SEALING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    /** A room key ready to be received; its sender's device is not announced (no sender_device_keys). */
    record Prepared(String sender, String senderKey, String sessionId, ObjectNode plaintext) {
        SessionView receiveOn(Keytrail keytrail) {
            return keytrail.receiveRoomKey(sender, senderKey, plaintext, Optional.of(ME));
        }
    }

    private RoomKeys() {
    }

    /** A user no other test uses: contexts (and their stores) are shared. */
    static TestAccount uniqueAccount(String name, String... deviceIds) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return TestAccount.create("@" + name + "-" + suffix + ":example.org", name + suffix, deviceIds);
    }

    static Prepared fromUnknownDevice(TestAccount sender, String deviceId) {
        OutboundGroupSession session = OutboundGroupSession.create(RANDOM);
        ObjectNode plaintext = sender.roomKeyPlaintext(deviceId, ME, ROOM, session.sessionId(),
                session.sessionKey().toBase64(), Optional.empty());
        return new Prepared(sender.userId(), sender.device(deviceId).curve25519().toBase64(), session.sessionId(),
                plaintext);
    }
}
