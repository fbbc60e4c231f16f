package io.keytrail.api;

import io.keytrail.errors.RefusalCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.decrypt.DecryptedIndexRows;
import io.keytrail.errors.RefusalException;
import io.keytrail.trust.TrustPolicy;

/**
 * Megolm replay protection (Matrix spec "Megolm"; reference matrix-spec 4.3): a message index belongs
 * to the first event that decrypted it. The restart case is in {@link ReplayCommandTest} (two replays
 * on one store).
 */
@EngineSpringTest
class ReplayProtectionTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    DecryptedIndexRows indexes;

    private Story knownSender() {
        Story story = new Story();
        ObjectNode roomKey = story.roomKey();
        keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(), roomKey.get("plaintext"),
                Optional.of(Story.ME));
        keytrail.recordKeysQuery(story.keysQuery().get("body"));
        return story;
    }

    @Test
    void sameEventDecryptedAgain_isShownAgain_underAnyPolicy() {
        Story story = knownSender();
        String ciphertext = story.encrypt("once");
        String eventId = story.eventId("once");

        keytrail.decrypt(story.room, TrustPolicy.CROSS_SIGNED, story.event(ciphertext, eventId));
        keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(ciphertext, eventId));

        assertThat(keytrail.decrypt(story.room, TrustPolicy.CROSS_SIGNED, story.event(ciphertext, eventId))
                .plaintext().at("/content/body").textValue()).isEqualTo("once");
    }

    @Test
    void sameIndexUnderAnotherEventId_isRefusedAsReplay_evenUnderShowAll() {
        Story story = knownSender();
        String ciphertext = story.encrypt("original");
        keytrail.decrypt(story.room, TrustPolicy.CROSS_SIGNED, story.event(ciphertext, story.eventId("original")));

        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL,
                story.event(ciphertext, story.eventId("copy"))))
                .isInstanceOfSatisfying(RefusalException.class, e -> {
                    assertThat(e.code()).isEqualTo(RefusalCode.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("replayed message", "index 0", story.eventId("original"),
                            story.eventId("copy"));
                });
    }

    @Test
    void nextIndexUnderANewEvent_isShown() {
        Story story = knownSender();
        keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(story.encrypt("first"), story.eventId("first")));

        assertThat(keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL,
                story.event(story.encrypt("second"), story.eventId("second"))).plaintext().at("/content/body").textValue())
                .isEqualTo("second");
    }

    @Test
    void eventWithheldByPolicy_stillOwnsItsIndex() {
        Story story = knownSender();
        String ciphertext = story.encrypt("withheld");
        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.VERIFIED_ONLY,
                story.event(ciphertext, story.eventId("withheld"))))
                .hasFieldOrPropertyWithValue("code", RefusalCode.SENDER_IDENTITY_NOT_TRUSTED);

        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL,
                story.event(ciphertext, story.eventId("other"))))
                .hasFieldOrPropertyWithValue("code", RefusalCode.INVALID_INPUT);
    }

    @Test
    void failedDecryption_claimsNothing() {
        Story story = knownSender();
        String ciphertext = story.encrypt("moved");
        ObjectNode wrongRoom = story.event(ciphertext, story.eventId("moved"));
        wrongRoom.put("room_id", "!elsewhere-" + story.tag + ":example.org");
        assertThatThrownBy(() -> keytrail.decrypt("!elsewhere-" + story.tag + ":example.org", TrustPolicy.SHOW_ALL,
                wrongRoom)).hasFieldOrPropertyWithValue("code", RefusalCode.UNKNOWN_SESSION);

        keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(ciphertext, story.eventId("real")));
    }

    @Test
    void eventWithoutEventId_isDecryptedButNotRemembered() {
        Story story = knownSender();
        String ciphertext = story.encrypt("anonymous");
        long before = indexes.count();

        keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(ciphertext, null));

        assertThat(indexes.count()).isEqualTo(before);
        keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, story.event(ciphertext, story.eventId("later")));
    }

    @Test
    void eventIdThatIsNotAString_isInvalidInput() {
        Story story = knownSender();
        ObjectNode event = story.event(story.encrypt("x"), null);
        event.put("event_id", 42);
        assertThatThrownBy(() -> keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, event))
                .hasFieldOrPropertyWithValue("code", RefusalCode.INVALID_INPUT)
                .hasMessageContaining("event.event_id");
    }
}
