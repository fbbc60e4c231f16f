package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.decrypt.DecryptService;
import io.keytrail.decrypt.DecryptedIndexRows;
import io.keytrail.decrypt.MessageIndexLedger;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.trust.TrustPolicy;

/**
 * Decryption of an array (ADR 0021): a sync's events decrypted together (an HTTP array or a replay run
 * through {@link InputProcessor#processAll}, a facade list through {@link Keytrail#decryptAll}), each
 * answered in input order as if decrypted alone after the ones before it, with today's replay protection
 * inside the array and across arrays.
 */
@EngineSpringTest
class DecryptBatchTest {
    @Autowired
    InputProcessor processor;
    @Autowired
    Keytrail keytrail;
    @Autowired
    MessageIndexLedger ledger;
    @Autowired
    DecryptedIndexRows indexes;

    private Story received(boolean crossSigned) {
        Story story = new Story();
        ObjectNode roomKey = story.roomKey();
        keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(), roomKey.get("plaintext"),
                Optional.of(Story.ME));
        if (crossSigned) {
            keytrail.recordKeysQuery(story.keysQuery().get("body"));
        }
        return story;
    }

    private static String code(JsonNode outcome) {
        return outcome.has("error") ? outcome.at("/error/code").textValue() : "shown";
    }

    @Test
    void arrayMixingShownWithheldUnknownBadMacAndReplays_answersEachAsAloneInInputOrder() {
        Story alice = received(true);
        Story bob = received(false);
        Story neverReceived = new Story();
        String first = alice.encrypt("first");
        String withheld = alice.encrypt("withheld");
        List<JsonNode> array = List.of(
                alice.decrypt("CROSS_SIGNED", first, alice.eventId("first")),
                alice.decrypt("VERIFIED_ONLY", withheld, alice.eventId("withheld")),
                neverReceived.decrypt("SHOW_ALL", neverReceived.encrypt("lost"), neverReceived.eventId("lost")),
                bob.decrypt("SHOW_ALL", bob.encryptWithForeignRatchet("forged"), bob.eventId("forged")),
                alice.decrypt("SHOW_ALL", first, alice.eventId("copy-of-first")),
                alice.decrypt("CROSS_SIGNED", first, alice.eventId("first")),
                alice.decrypt("SHOW_ALL", withheld, alice.eventId("copy-of-withheld")),
                bob.decrypt("SHOW_ALL", bob.encrypt("bob's"), bob.eventId("bob")),
                bob.decrypt("CROSS_SIGNED", bob.encrypt("unsigned device"), bob.eventId("unsigned")),
                alice.decrypt("NO_SUCH_POLICY", alice.encrypt("typo"), alice.eventId("typo")),
                alice.decrypt("SHOW_ALL", alice.encrypt("last"), null));

        List<ObjectNode> outcomes = processor.processAll(array);

        assertThat(outcomes).extracting(DecryptBatchTest::code).containsExactly("shown", "SENDER_IDENTITY_NOT_TRUSTED",
                "UNKNOWN_SESSION", "BAD_MAC", "INVALID_INPUT", "shown", "INVALID_INPUT", "shown",
                "SENDER_IDENTITY_NOT_TRUSTED", "INVALID_INPUT", "shown");
        assertThat(outcomes.get(0).at("/result/plaintext/content/body").textValue()).isEqualTo("first");
        assertThat(outcomes.get(1).at("/error/verification_level").textValue()).isEqualTo("UnverifiedIdentity");
        assertThat(outcomes.get(4).at("/error/message").textValue()).contains("replayed message",
                alice.eventId("first"), alice.eventId("copy-of-first"));
        assertThat(outcomes.get(6).at("/error/message").textValue()).contains("replayed message",
                alice.eventId("withheld"));
        assertThat(outcomes.get(7).at("/result/plaintext/content/body").textValue()).isEqualTo("bob's");
        assertThat(outcomes.get(8).at("/error/verification_level").toString()).isEqualTo("{\"None\":\"MissingDevice\"}");
        assertThat(outcomes.get(9).at("/error/message").textValue()).contains("unknown policy");
        assertThat(outcomes.get(10).at("/result/plaintext/content/body").textValue()).isEqualTo("last");
    }

    @Test
    void replayAcrossArrays_isRefused_whileTheFirstEventStaysShown_alsoWhenTheClaimIsReadFromTheStore() {
        Story story = received(true);
        String first = story.encrypt("first");
        String second = story.encrypt("second");
        processor.processAll(List.of(story.decrypt("SHOW_ALL", first, story.eventId("first")),
                story.decrypt("SHOW_ALL", second, story.eventId("second"))));
        // Claims answered from the store, not from memory: what a restarted node or another node sees.
        ledger.forgetRemembered();
        long before = indexes.count();

        List<ObjectNode> again = processor.processAll(List.of(
                story.decrypt("SHOW_ALL", second, story.eventId("second-replayed")),
                story.decrypt("SHOW_ALL", first, story.eventId("first")),
                story.decrypt("SHOW_ALL", story.encrypt("third"), story.eventId("third")),
                story.decrypt("SHOW_ALL", first, story.eventId("first-replayed"))));

        assertThat(again).extracting(DecryptBatchTest::code).containsExactly("INVALID_INPUT", "shown", "shown",
                "INVALID_INPUT");
        assertThat(again.get(0).at("/error/message").textValue()).contains(story.eventId("second"));
        assertThat(again.get(3).at("/error/message").textValue()).contains(story.eventId("first"));
        assertThat(indexes.count()).as("only the third message's index is new").isEqualTo(before + 1);
    }

    @Test
    void facadeList_givesEachEventItsOutcome_orThrowGivesWhatDecryptWouldThrow() {
        Story story = received(true);
        String once = story.encrypt("once");
        List<DecryptService.Request> events = new ArrayList<>();
        events.add(new DecryptService.Request(story.room, TrustPolicy.CROSS_SIGNED, story.event(once, story.eventId("once"))));
        events.add(new DecryptService.Request(story.room, TrustPolicy.SHOW_ALL, story.event(once, story.eventId("twice"))));
        events.add(new DecryptService.Request("!elsewhere:example.org", TrustPolicy.SHOW_ALL,
                story.event(story.encrypt("moved"), story.eventId("moved"))));
        events.add(new DecryptService.Request(story.room, TrustPolicy.VERIFIED_ONLY,
                story.event(story.encrypt("paranoid"), story.eventId("paranoid"))));

        List<DecryptService.Outcome> outcomes = keytrail.decryptAll(events);

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0).orThrow().plaintext().at("/content/body").textValue()).isEqualTo("once");
        assertThat(outcomes.get(0).orThrow().verificationState().toString()).contains("UnverifiedIdentity");
        assertThat(outcomes.subList(1, 4)).extracting(o -> ((RefusalException) o.failure()).code())
                .containsExactly(RefusalCode.INVALID_INPUT, RefusalCode.INVALID_INPUT,
                        RefusalCode.SENDER_IDENTITY_NOT_TRUSTED);
        assertThat(outcomes.get(2).failure()).hasMessageContaining("differs from the room it arrived in");
        assertThat(keytrail.decryptAll(List.of())).isEmpty();
    }

    @Test
    void sessionDiscardedBetweenTwoArrays_refusesTheWholeNextArray() {
        Story story = received(false);
        assertThat(processor.processAll(List.of(story.decrypt("SHOW_ALL", story.encrypt("a"), story.eventId("a")),
                story.decrypt("SHOW_ALL", story.encrypt("b"), story.eventId("b")))))
                .extracting(DecryptBatchTest::code).containsExactly("shown", "shown");

        keytrail.process(story.tamperedKeysQuery());

        assertThat(processor.processAll(List.of(story.decrypt("SHOW_ALL", story.encrypt("c"), story.eventId("c")),
                story.decrypt("SHOW_ALL", story.encrypt("d"), story.eventId("d")))))
                .extracting(DecryptBatchTest::code).containsExactly("SESSION_DISCARDED", "SESSION_DISCARDED");
    }
}
