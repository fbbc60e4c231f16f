package com.example.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.directory.SessionView;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.trust.SenderData;

/** The host boots with Keytrail from the installed artifact and decides the example's first room key. */
@SpringBootTest(properties = {"spring.datasource.url=jdbc:h2:mem:embedded-host",
        "keytrail.session-key-encryption-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"})
class EmbeddedHostApplicationTest {
    @Autowired
    RoomEvents roomEvents;

    @Test
    void roomKeyFromAnUnknownDevice_isUnknownDevice_untilItsKeysArrive() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(Path.of("..", "quickstart.jsonl"));
        JsonNode me = json.readTree(lines.get(0));
        JsonNode roomKey = json.readTree(lines.get(1));

        SessionView session = roomEvents.onRoomKey(roomKey.get("sender").textValue(),
                roomKey.get("sender_key").textValue(), roomKey.get("plaintext"), OwnDevice.parse(me));
        assertThat(session.senderData()).isInstanceOf(SenderData.UnknownDevice.class);

        roomEvents.onKeysQuery(json.readTree(lines.get(2)).get("body"));
        assertThat(roomEvents.session(session.roomId(), session.sessionId())).get()
                .extracting(SessionView::senderData).isInstanceOf(SenderData.SenderUnverified.class);
    }
}
