package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;
import io.keytrail.session.ImportSource;
import io.keytrail.trust.Rule;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.decrypt;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.payloadsOf;
import static io.keytrail.imports.ImportFixtures.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionEvents.SessionImported;

/**
 * Design 6 and 9.4: an imported session is {@code UnknownDevice{legacy_session:true}}, keeps the flag when
 * its claimed device shows up, passes CROSS_SIGNED_OR_LEGACY and fails the stricter policies with
 * {@code {"None":"InsecureSource"}}; its claimed sender fields stay claims in the audit trail.
 */
@EngineSpringTest
class LegacyImportSemanticsTest {
    static final JsonNode LEGACY = JSON.objectNode().set("UnknownDevice", JSON.objectNode().put("legacy_session", true));

    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;

    @Test
    void importedSession_isLegacyUnknownDevice_andDecryptsUnderCrossSignedOrLegacyOnly() {
        TestAccount alice = account("alice");
        Sender s = new Sender(room(), 2);

        ObjectNode result = keytrail.process(importRoomKeys(exportEntry(s, 0, alice)));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.path("imported")).hasSize(1);
        assertThat(result.at("/imported/0/room_id").asText()).isEqualTo(s.roomId);
        assertThat(result.at("/imported/0/session_id").asText()).isEqualTo(s.sessionId());
        assertThat(result.at("/imported/0/sender_data")).isEqualTo(LEGACY);
        assertPolicies(alice, s);
    }

    @Test
    void importedSession_keepsTheLegacyFlag_whenTheClaimedDeviceShowsUpCrossSigned() {
        TestAccount alice = account("alice");
        Sender s = new Sender(room(), 1);
        keytrail.process(importRoomKeys(exportEntry(s, 0, alice)));

        ObjectNode keys = JSON.objectNode().put("type", "keys_query_response");
        keys.set("body", KeysQueryBody.of(alice));
        ObjectNode keysResult = keytrail.process(keys);

        assertThat(keysResult.path("updated")).as("an import is never re-decided from keys").isEmpty();
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().senderData().legacySession()).isTrue();
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().imported()).isTrue();
        assertPolicies(alice, s);
        // verifying the claimed owner's key changes nothing either: the claim is not proof
        keytrail.verifyMasterKey(alice.userId(), alice.masterKey().publicKey().toBase64());
        assertPolicies(alice, s);
    }

    @Test
    void claimedSenderFields_areRecordedAsClaims_withTheSourceAndForwardingChain() {
        TestAccount alice = account("alice");
        TestAccount bob = account("bob");
        Sender s = new Sender(room(), 1);
        ObjectNode entry = exportEntry(s, 0, alice);
        entry.withArray("forwarding_curve25519_key_chain").add(bob.device("DEV").curve25519().toBase64());

        keytrail.process(importRoomKeys(entry));

        SessionImported event = (SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0);
        assertThat(event.source()).isEqualTo(ImportSource.ROOM_KEYS);
        assertThat(event.claimedSenderKey()).isEqualTo(alice.device("DEV").curve25519().toBase64());
        assertThat(event.claimedEd25519()).isEqualTo(alice.device("DEV").ed25519().publicKey().toBase64());
        assertThat(event.forwardingChain()).containsExactly(bob.device("DEV").curve25519().toBase64());
        assertThat(event.senderData().legacySession()).isTrue();
        assertThat(event.rule()).isEqualTo(Rule.IMPORTED);
        assertThat(event.sealedSessionKey()).doesNotContain(s.exportAt(0));
    }

    @Test
    void anExportWithoutClaimedKeys_isImported_withNoClaimedEd25519() {
        Sender s = new Sender(room(), 1);
        ObjectNode entry = exportEntry(s, 0, account("x").device("DEV").curve25519().toBase64(), null);

        ObjectNode result = keytrail.process(importRoomKeys(entry));

        assertThat(result.path("imported")).hasSize(1);
        SessionImported event = (SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0);
        assertThat(event.claimedEd25519()).isNull();
    }

    private void assertPolicies(TestAccount alice, Sender s) {
        ObjectNode legacy = keytrail.process(decrypt("CROSS_SIGNED_OR_LEGACY", alice.userId(), s, 0));
        assertThat(legacy.at("/plaintext/content/body").asText()).isEqualTo("message 0");
        assertThat(legacy.path("verification_state")).isEqualTo(
                JSON.objectNode().set("Unverified", JSON.objectNode().put("None", "InsecureSource")));
        assertThat(keytrail.process(decrypt("SHOW_ALL", alice.userId(), s, 0)).has("plaintext")).isTrue();
        for (String strict : new String[] {"CROSS_SIGNED", "VERIFIED_ONLY"}) {
            assertWithheldAsInsecureSource(keytrail, decrypt(strict, alice.userId(), s, 0));
        }
    }

    static void assertWithheldAsInsecureSource(Keytrail keytrail, ObjectNode decryptInput) {
        assertThatThrownBy(() -> keytrail.process(decryptInput)).isInstanceOfSatisfying(RefusalException.class, e -> {
            assertThat(e.code()).isEqualTo(RefusalCode.SENDER_IDENTITY_NOT_TRUSTED);
            assertThat(e.verificationLevel()).isEqualTo(JSON.objectNode().put("None", "InsecureSource"));
        });
    }
}
