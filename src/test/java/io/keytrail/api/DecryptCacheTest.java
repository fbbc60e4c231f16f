package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.trust.TrustPolicy;

/**
 * Decryption keeps opened sessions in memory (decrypt.OpenedSessions), but what it shows always follows
 * the store: a re-decision, a discard or a better copy of the key after a session was opened takes
 * effect at the very next message.
 */
@EngineSpringTest
class DecryptCacheTest {
    @Autowired
    Keytrail keytrail;

    private Story openedSession() {
        Story story = new Story();
        ObjectNode roomKey = story.roomKey();
        keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(), roomKey.get("plaintext"),
                Optional.of(Story.ME));
        keytrail.recordKeysQuery(story.keysQuery().get("body"));
        assertThat(keytrail.decrypt(story.room, TrustPolicy.CROSS_SIGNED, story.event(story.encrypt("opened"),
                story.eventId("opened"))).verificationState().toString()).contains("UnverifiedIdentity");
        return story;
    }

    @Test
    void verificationAfterTheSessionWasOpened_showsAtTheNextMessage() {
        Story story = openedSession();
        keytrail.process(story.verifyMasterKey());

        assertThat(keytrail.decrypt(story.room, TrustPolicy.VERIFIED_ONLY, story.event(story.encrypt("after"),
                story.eventId("after"))).verificationState().asText()).isEqualTo("Verified");
    }

    @Test
    void discardAfterTheSessionWasOpened_refusesTheNextMessage() {
        Story story = new Story();
        ObjectNode roomKey = story.roomKey();
        keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(), roomKey.get("plaintext"),
                Optional.of(Story.ME));
        assertThat(keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(story.encrypt("opened"),
                story.eventId("opened"))).plaintext().at("/content/body").textValue()).isEqualTo("opened");

        // The device shows up signed by a self-signing key whose signature does not verify: tampering.
        keytrail.process(story.tamperedKeysQuery());

        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(story.encrypt("after"),
                story.eventId("after")))).isInstanceOfSatisfying(RefusalException.class,
                e -> assertThat(e.code()).isEqualTo(RefusalCode.SESSION_DISCARDED));
    }

    @Test
    void sameEventDecryptedTwiceFromTheCache_isShownTwice_andAnotherEventForItsIndexIsAReplay() {
        Story story = openedSession();
        String ciphertext = story.encrypt("twice");
        for (int i = 0; i < 2; i++) {
            assertThat(keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(ciphertext, story.eventId("twice")))
                    .plaintext().at("/content/body").textValue()).isEqualTo("twice");
        }
        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL,
                story.event(ciphertext, story.eventId("copy")))).hasMessageContaining("replayed message");
    }
}
