package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;
import io.keytrail.session.ImportSource;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.decrypt;
import static io.keytrail.imports.ImportFixtures.eventsOf;
import static io.keytrail.imports.ImportFixtures.payloadsOf;
import static io.keytrail.imports.ImportFixtures.room;
import static io.keytrail.imports.ImportFixtures.roomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.directory.OwnDevices;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.trust.SenderData;

/**
 * {@code m.forwarded_room_key}: accepted only from one of our own devices that our own identity
 * cross-signs (issue 12), and then an import (legacy), whose forwarding chain gains the forwarder's key.
 */
@EngineSpringTest
class ForwardedRoomKeyImportTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;
    @Autowired
    ApplicationContext context;

    /** We are "me" on device DEV; our other device PHONE forwards. */
    private final TestAccount me = account("me").withDevice("PHONE");
    private final OwnDevice ownDevice = me.ownDevice("DEV");
    private final TestAccount alice = account("alice");
    private final TestAccount carol = account("carol");

    @BeforeEach
    void weAreMe() {
        ObjectNode own = JSON.objectNode().put("type", "own_device").put("user_id", me.userId()).put("device_id", "DEV")
                .put("curve25519", ownDevice.curve25519().toBase64()).put("ed25519", ownDevice.ed25519().toBase64());
        keytrail.process(own);
    }

    @AfterEach
    void forgetWhoWeAre() {
        OwnDevices.forget(context);
    }

    private void ourKeysArrive(DeviceSigning phone) {
        ObjectNode keys = JSON.objectNode().put("type", "keys_query_response");
        keys.set("body", new KeysQueryBody().account(me).device(me, "PHONE", phone).build());
        keytrail.process(keys);
    }

    /** Our PHONE forwards Alice's session, which Carol's device had forwarded to it before. */
    private ObjectNode forwarded(Sender s, int index) {
        return forwarded(me, "PHONE", s, index);
    }

    private ObjectNode forwarded(TestAccount forwarder, String deviceId, Sender s, int index) {
        ObjectNode plaintext = forwarder.roomKeyPlaintext(deviceId, ownDevice, s.roomId, s.sessionId(),
                s.exportAt(index), Optional.empty());
        plaintext.put("type", "m.forwarded_room_key");
        ObjectNode content = (ObjectNode) plaintext.get("content");
        content.put("sender_key", alice.device("DEV").curve25519().toBase64());
        content.put("sender_claimed_ed25519_key", alice.device("DEV").ed25519().publicKey().toBase64());
        content.putArray("forwarding_curve25519_key_chain").add(carol.device("DEV").curve25519().toBase64());
        ObjectNode input = JSON.objectNode().put("type", "forwarded_room_key").put("sender", forwarder.userId())
                .put("sender_key", forwarder.device(deviceId).curve25519().toBase64());
        input.set("plaintext", plaintext);
        return input;
    }

    private void assertRefusedAsNotOurs(ObjectNode input, Sender s) {
        assertThatThrownBy(() -> keytrail.process(input)).isInstanceOfSatisfying(RefusalException.class,
                e -> assertThat(e.code()).isEqualTo(RefusalCode.FORWARD_NOT_FROM_OWN_DEVICE));
        assertThat(keytrail.session(s.roomId, s.sessionId())).as("nothing stored").isEmpty();
        assertThat(eventsOf(eventStore, s.aggregateId())).isEmpty();
    }

    @Test
    void forwardFromAStranger_isRefused_andNothingIsStored() {
        ourKeysArrive(DeviceSigning.CROSS_SIGNED);
        TestAccount stranger = account("stranger");
        ObjectNode keys = JSON.objectNode().put("type", "keys_query_response");
        keys.set("body", KeysQueryBody.of(stranger));
        keytrail.process(keys);
        Sender s = new Sender(room(), 1);

        assertRefusedAsNotOurs(forwarded(stranger, "DEV", s, 0), s);
    }

    @Test
    void forwardFromOurOwnDeviceThatOurIdentityDoesNotCrossSign_isRefused() {
        ourKeysArrive(DeviceSigning.SELF_SIGNED_ONLY);
        Sender s = new Sender(room(), 1);

        assertRefusedAsNotOurs(forwarded(s, 0), s);
    }

    @Test
    void forwardFromOurOwnDeviceBeforeWeKnowItsKeys_isRefused() {
        Sender s = new Sender(room(), 1);

        assertRefusedAsNotOurs(forwarded(s, 0), s);
    }

    @Test
    void forwardWhenWeDoNotKnowWhoWeAre_isRefused() {
        ourKeysArrive(DeviceSigning.CROSS_SIGNED);
        OwnDevices.forget(context);
        Sender s = new Sender(room(), 1);

        assertRefusedAsNotOurs(forwarded(s, 0), s);
    }

    @Test
    void forwardFromOurOwnCrossSignedDevice_isAccepted() {
        ourKeysArrive(DeviceSigning.CROSS_SIGNED);
        Sender s = new Sender(room(), 1);

        ObjectNode result = keytrail.process(forwarded(s, 0));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.at("/imported/0/session_id").asText()).isEqualTo(s.sessionId());
    }

    @Test
    void forwardedKey_isALegacyImport_withTheForwarderAppendedToTheChain() {
        ourKeysArrive(DeviceSigning.CROSS_SIGNED);
        Sender s = new Sender(room(), 1);

        ObjectNode result = keytrail.process(forwarded(s, 0));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.at("/imported/0/sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
        SessionImported event = (SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0);
        assertThat(event.source()).isEqualTo(ImportSource.FORWARDED);
        assertThat(event.claimedSenderKey()).isEqualTo(alice.device("DEV").curve25519().toBase64());
        assertThat(event.claimedEd25519()).isEqualTo(alice.device("DEV").ed25519().publicKey().toBase64());
        assertThat(event.forwardingChain()).containsExactly(carol.device("DEV").curve25519().toBase64(),
                me.device("PHONE").curve25519().toBase64());
        assertThat(keytrail.process(decrypt("CROSS_SIGNED_OR_LEGACY", alice.userId(), s, 0))
                .at("/plaintext/content/body").asText()).isEqualTo("message 0");
        LegacyImportSemanticsTest.assertWithheldAsInsecureSource(keytrail, decrypt("CROSS_SIGNED", alice.userId(), s, 0));
    }

    @Test
    void forwardedCopyOfAnAuthenticatedSession_neverLowersItsTrust() {
        ourKeysArrive(DeviceSigning.CROSS_SIGNED);
        Sender s = new Sender(room(), 1);
        ObjectNode keys = JSON.objectNode().put("type", "keys_query_response");
        keys.set("body", KeysQueryBody.of(alice));
        keytrail.process(keys);
        keytrail.process(roomKey(alice, ownDevice, s, 0, Optional.empty()));

        ObjectNode result = keytrail.process(forwarded(s, 0));

        assertThat(result.at("/imported/0/sender_data").has("SenderUnverified")).isTrue();
        assertThat(eventsOf(eventStore, s.aggregateId())).containsExactly("SessionReceived", "SessionCopyKept");
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().senderData())
                .isInstanceOf(SenderData.SenderUnverified.class);
    }

    @Test
    void forwardedKeyFromAnotherSenderThanItsEnvelope_isRefused() {
        ObjectNode input = forwarded(new Sender(room(), 1), 0).put("sender", carol.userId());
        assertThatThrownBy(() -> keytrail.process(input)).isInstanceOfSatisfying(RefusalException.class,
                e -> assertThat(e.code()).isEqualTo(RefusalCode.MISMATCHED_SENDER));
    }

    @Test
    void forwardedKeyWhoseSessionKeyIsAnotherSessions_fails() {
        ourKeysArrive(DeviceSigning.CROSS_SIGNED);
        Sender s = new Sender(room(), 1);
        ObjectNode input = forwarded(s, 0);
        ((ObjectNode) input.at("/plaintext/content")).put("session_key", new Sender(s.roomId, 1).exportAt(0));

        ObjectNode result = keytrail.process(input);

        assertThat(result.path("imported")).isEmpty();
        assertThat(result.at("/failed/0/code").asText()).isEqualTo("INVALID_SESSION_KEY");
        assertThat(keytrail.session(s.roomId, s.sessionId())).isEmpty();
    }

    @Test
    void forwardedKeyInput_isStrict() {
        ObjectNode input = forwarded(new Sender(room(), 1), 0).put("keys", "[]");
        assertThatThrownBy(() -> keytrail.process(input)).isInstanceOfSatisfying(RefusalException.class,
                e -> assertThat(e.code()).isEqualTo(RefusalCode.INVALID_INPUT));
    }
}
