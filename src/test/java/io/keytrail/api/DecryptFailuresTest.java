package io.keytrail.api;

import io.keytrail.errors.RefusalCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.errors.RefusalException;
import io.keytrail.trust.TrustPolicy;

/** Every way a decrypt fails has its own code of design section 10 (design section 7). */
@EngineSpringTest
class DecryptFailuresTest {
    @Autowired
    Keytrail keytrail;

    private Story received(Story story) {
        ObjectNode roomKey = story.roomKey();
        keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(), roomKey.get("plaintext"),
                Optional.of(Story.ME));
        return story;
    }

    private Story crossSigned() {
        Story story = received(new Story());
        keytrail.recordKeysQuery(story.keysQuery().get("body"));
        return story;
    }

    private AbstractThrowableAssert<?, ? extends Throwable> decrypting(Story story, TrustPolicy policy, JsonNode event) {
        return assertThatThrownBy(() -> keytrail.decrypt(story.room, policy, event)).isInstanceOf(RefusalException.class);
    }

    private static String code(Throwable e) {
        return ((RefusalException) e).code().name();
    }

    @Test
    void tamperedSignature_isBadSignature() {
        Story story = received(new Story());
        byte[] bytes = UnpaddedBase64.decode(story.encrypt("x"));
        bytes[bytes.length - 1] ^= 1;
        decrypting(story, TrustPolicy.SHOW_ALL, story.event(UnpaddedBase64.encode(bytes), story.eventId("sig")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("BAD_SIGNATURE"));
    }

    @Test
    void rightSignatureWrongRatchet_isBadMac() {
        Story story = received(new Story());
        decrypting(story, TrustPolicy.SHOW_ALL, story.event(story.encryptWithForeignRatchet("x"), story.eventId("mac")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("BAD_MAC"));
    }

    @Test
    void messageBeforeTheSharedIndex_isUnknownMessageIndex() {
        Story story = new Story();
        String early = story.encrypt("before the key was shared");
        received(story.shareFromCurrentIndex());
        decrypting(story, TrustPolicy.SHOW_ALL, story.event(early, story.eventId("early")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("UNKNOWN_MESSAGE_INDEX"));
    }

    @Test
    void sessionNeverReceived_isUnknownSession() {
        Story story = new Story();
        decrypting(story, TrustPolicy.SHOW_ALL, story.event(story.encrypt("x"), story.eventId("x")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("UNKNOWN_SESSION"));
    }

    @Test
    void sessionDiscardedForTampering_isSessionDiscarded() {
        Story story = new Story();
        keytrail.recordKeysQuery(story.tamperedKeysQuery().get("body"));
        assertThatThrownBy(() -> received(story)).hasFieldOrPropertyWithValue("code", RefusalCode.SESSION_DISCARDED);
        decrypting(story, TrustPolicy.SHOW_ALL, story.event(story.encrypt("x"), story.eventId("x")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("SESSION_DISCARDED"));
    }

    @Test
    void payloadNamingAnotherRoom_isInvalidInput() {
        Story story = received(new Story());
        String moved = story.session.encrypt(Story.payload("x", "!elsewhere:example.org"));
        decrypting(story, TrustPolicy.SHOW_ALL, story.event(moved, story.eventId("moved")))
                .hasMessageContaining("names room").satisfies(e -> assertThat(code(e)).isEqualTo("INVALID_INPUT"));
    }

    @Test
    void payloadWithoutRoomId_isShownWholeAsReceived() {
        Story story = crossSigned();
        String bare = story.session.encrypt(Story.payload("no room id", null));
        ObjectNode plaintext = keytrail.decrypt(story.room, TrustPolicy.CROSS_SIGNED, story.event(bare, story.eventId("bare")))
                .plaintext();
        assertThat(plaintext.toString())
                .isEqualTo("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"no room id\"}}");
    }

    @Test
    void payloadThatIsNotJson_isInvalidInput() {
        Story story = received(new Story());
        decrypting(story, TrustPolicy.SHOW_ALL, story.event(story.session.encrypt("plain words"), story.eventId("words")))
                .hasMessageContaining("not a JSON object").satisfies(e -> assertThat(code(e)).isEqualTo("INVALID_INPUT"));
    }

    @Test
    void ciphertextThatIsNotBase64_isInvalidInput() {
        Story story = received(new Story());
        decrypting(story, TrustPolicy.SHOW_ALL, story.event("not base64 !!", story.eventId("b64")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("INVALID_INPUT"));
    }

    @Test
    void eventOfAnotherTypeOrAlgorithm_isInvalidInput() {
        Story story = received(new Story());
        ObjectNode wrongType = story.event(story.encrypt("x"), story.eventId("t")).put("type", "m.room.message");
        decrypting(story, TrustPolicy.SHOW_ALL, wrongType).hasMessageContaining("not m.room.encrypted");
        ObjectNode olm = story.event(story.encrypt("y"), story.eventId("a"));
        ((ObjectNode) olm.get("content")).put("algorithm", "m.olm.v1.curve25519-aes-sha2");
        decrypting(story, TrustPolicy.SHOW_ALL, olm).hasMessageContaining("content.algorithm");
    }

    @Test
    void eventSenderIsNotTheSessionOwner_isWithheldAsMismatchedSender_unlessShowAll() {
        Story story = crossSigned();
        String ciphertext = story.encrypt("who sent this?");
        ObjectNode rewritten = story.event(ciphertext, story.eventId("who")).put("sender", "@mallory:example.org");

        decrypting(story, TrustPolicy.CROSS_SIGNED_OR_LEGACY, rewritten).satisfies(e -> {
            assertThat(code(e)).isEqualTo("SENDER_IDENTITY_NOT_TRUSTED");
            assertThat(((RefusalException) e).verificationLevel().textValue()).isEqualTo("MismatchedSender");
        });
        var shown = keytrail.decrypt(story.room, TrustPolicy.SHOW_ALL, rewritten);
        assertThat(shown.verificationState().toString()).isEqualTo("{\"Unverified\":\"MismatchedSender\"}");
        assertThat(shown.senderDevice()).isNull();
    }

    @Test
    void unknownDevice_isWithheldByCrossSigned_withMissingDevice() {
        Story story = received(new Story());
        decrypting(story, TrustPolicy.CROSS_SIGNED, story.event(story.encrypt("x"), story.eventId("x")))
                .satisfies(e -> assertThat(((RefusalException) e).verificationLevel().toString())
                        .isEqualTo("{\"None\":\"MissingDevice\"}"));
    }
}
