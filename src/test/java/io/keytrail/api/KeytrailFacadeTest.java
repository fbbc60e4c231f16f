package io.keytrail.api;

import io.keytrail.errors.RefusalCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.decrypt.DecryptService.Decrypted;
import io.keytrail.errors.RefusalException;
import io.keytrail.redecision.KeysIntake.KeysResult;
import io.keytrail.directory.SessionView;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.TrustPolicy;

/** The embedding use of the README: inject {@link Keytrail}, feed it what the service sees, decrypt. */
@EngineSpringTest
class KeytrailFacadeTest {
    @Autowired
    Keytrail keytrail;

    @Test
    void embeddingService_receivesRoomKey_recordsKeys_andDecryptsUnderAPolicy() {
        Story story = new Story();
        ObjectNode roomKey = story.roomKey();

        SessionView received = keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(),
                roomKey.get("plaintext"), Optional.of(Story.ME));
        assertThat(received.senderData()).isInstanceOf(SenderData.UnknownDevice.class);

        KeysResult keys = keytrail.recordKeysQuery(story.keysQuery().get("body"));
        assertThat(keys.updated()).singleElement()
                .satisfies(v -> assertThat(v.senderData()).isInstanceOf(SenderData.SenderUnverified.class));

        String ciphertext = story.encrypt("hello from an embedding test");
        Decrypted shown = keytrail.decrypt(story.room, TrustPolicy.CROSS_SIGNED,
                story.event(ciphertext, story.eventId("hello")));
        assertThat(shown.plaintext().at("/content/body").textValue()).isEqualTo("hello from an embedding test");
        assertThat(shown.verificationState().toString()).isEqualTo("{\"Unverified\":\"UnverifiedIdentity\"}");
        assertThat(shown.senderDevice()).isEqualTo(story.deviceId);

        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.VERIFIED_ONLY,
                story.event(ciphertext, story.eventId("hello"))))
                .isInstanceOfSatisfying(RefusalException.class, e -> {
                    assertThat(e.code()).isEqualTo(RefusalCode.SENDER_IDENTITY_NOT_TRUSTED);
                    assertThat(e.verificationLevel().textValue()).isEqualTo("UnverifiedIdentity");
                });
        assertThat(keytrail.session(story.room, story.sessionId())).get()
                .satisfies(v -> assertThat(v.senderData()).isInstanceOf(SenderData.SenderUnverified.class));
    }

    @Test
    void processTakesTheSameInputObjectsAsARecording() {
        Story story = new Story();
        ObjectNode result = keytrail.process(story.roomKey());
        assertThat(result.get("session_id").textValue()).isEqualTo(story.sessionId());
        assertThat(result.get("sender_data").toString()).isEqualTo("{\"UnknownDevice\":{\"legacy_session\":false}}");
    }
}
