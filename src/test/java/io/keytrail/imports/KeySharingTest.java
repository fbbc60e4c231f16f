package io.keytrail.imports;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.decrypt;
import static io.keytrail.imports.ImportFixtures.importBackup;
import static io.keytrail.imports.ImportFixtures.importKeyExport;
import static io.keytrail.imports.ImportFixtures.payloadsOf;
import static io.keytrail.imports.ImportFixtures.room;
import static io.keytrail.imports.ImportFixtures.roomKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.TestStores;
import io.keytrail.api.Keytrail;
import io.keytrail.audit.DecisionReverifier;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.BackupMac2;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.BackupMacCheck;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionRef;
import io.keytrail.session.Trigger;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * Issue 12: key sharing that keeps who sent each session (ADR 0018). Sessions leave one Keytrail in an
 * export file or a key backup and arrive in a fresh one ({@link TestStores#empty}, the same engine).
 */
@EngineSpringTest
class KeySharingTest {
    private static final String PASSPHRASE = "a long export passphrase";
    private static final OwnDevice ME = account("me").ownDevice("DEV");

    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;
    @Autowired
    ApplicationContext context;
    @Autowired
    DecisionReverifier reverifier;
    /** Called directly to write exports with few PBKDF2 rounds: the facade's minimum would only slow the test. */
    @Autowired
    KeyExportService exports;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private final BackupDecryptionKey backupKey = BackupDecryptionKey.generate(new java.security.SecureRandom());

    private ObjectNode keysOf(TestAccount... accounts) {
        ObjectNode keys = JSON.objectNode().put("type", "keys_query_response");
        keys.set("body", KeysQueryBody.of(accounts));
        return keytrail.process(keys);
    }

    /** Alice's session, received over Olm once her keys are known: SenderUnverified. */
    private Sender aliceSessionCrossSigned(TestAccount alice) {
        Sender s = new Sender(room(), 1);
        keysOf(alice);
        ObjectNode received = keytrail.process(roomKey(alice, ME, s, 0, Optional.empty()));
        assertThat(received.path("sender_data").has("SenderUnverified")).isTrue();
        return s;
    }

    private static Set<String> fieldsOf(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private JsonNode sessionView(Sender s) {
        return keytrail.session(s.roomId, s.sessionId()).map(v -> {
            ObjectNode out = JSON.objectNode();
            out.put("legacy", v.senderData().legacySession());
            out.put("claimed_user", v.claim() == null ? null : v.claim().userId());
            return (JsonNode) out;
        }).orElseThrow();
    }

    @Test
    void exportImportedIntoAFreshKeytrail_claimsArrive_sessionsStayLegacy_andTheClaimedUsersKeysReDecideThem() {
        TestAccount alice = account("alice");
        Sender s = aliceSessionCrossSigned(alice);
        KeyExportService.ExportedFile file = exports.export(PASSPHRASE,
                KeyExportService.selection(List.of(s.roomId), List.of()), 1_000);
        JsonNode exported = BackupVectorsJson.read(KeyExportFile.decrypt(file.text(), PASSPHRASE)).get(0);
        assertThat(exported.get("io.keytrail.sender").asText()).isEqualTo(alice.userId());
        assertThat(exported.at("/io.keytrail.sender_data/SenderUnverified/user_id").asText()).isEqualTo(alice.userId());

        TestStores.empty(context);
        ObjectNode result = keytrail.process(importKeyExport(PASSPHRASE, file.text()));

        assertThat(result.path("failed")).isEmpty();
        JsonNode imported = result.at("/imported/0");
        assertThat(imported.get("sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
        assertThat(imported.at("/claimed_owner/user_id").asText()).isEqualTo(alice.userId());
        assertThat(imported.at("/claimed_owner/sender_data/SenderUnverified/user_id").asText()).isEqualTo(alice.userId());
        assertThat(imported.has("backup_mac")).isFalse();
        SessionImported event = (SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0);
        assertThat(event.claimedSender()).isEqualTo(alice.userId());
        assertThat(event.claimedSenderData()).isInstanceOf(SenderData.SenderUnverified.class);
        assertThat(event.senderData()).isEqualTo(SenderData.legacy());
        assertThat(sessionView(s).get("claimed_user").asText()).isEqualTo(alice.userId());

        // The background's answer for the claimed user (here as an input: no homeserver in tests).
        ObjectNode keys = keysOf(alice);

        assertThat(keys.at("/updated/0/session_id").asText()).isEqualTo(s.sessionId());
        assertThat(keys.at("/updated/0/sender_data/DeviceInfo/legacy_session").asBoolean()).isTrue();
        assertThat(keys.at("/updated/0/claimed_owner/user_id").asText()).isEqualTo(alice.userId());
        // 0: SessionImported, 1: SenderKeysWanted (the claimed owner's keys, ADR 0019), 2: the re-decision
        SenderDataChanged changed = (SenderDataChanged) payloadsOf(eventStore, s.aggregateId()).get(2);
        assertThat(changed.rule()).isEqualTo(Rule.IMPORTED_CLAIMED_DEVICE);
        assertThat(changed.trigger()).isEqualTo(Trigger.DEVICE_KEYS_FETCHED);
        // Still legacy: shown where legacy is, withheld where proof is asked for.
        assertThat(keytrail.process(decrypt("CROSS_SIGNED_OR_LEGACY", alice.userId(), s, 0))
                .at("/plaintext/content/body").asText()).isEqualTo("message 0");
        assertThat(keytrail.process(decrypt("SHOW_ALL", alice.userId(), s, 0)).path("verification_state").toString())
                .contains("UnsignedDevice");
        assertWithheld(decrypt("CROSS_SIGNED", alice.userId(), s, 0), JSON.textNode("UnsignedDevice"));
        assertConfirmedOnReplay(s, Rule.IMPORTED_CLAIMED_DEVICE);
    }

    @Test
    void claimWhoseOwnerIsAlreadyKnown_isComparedAtImport() {
        TestAccount alice = account("alice");
        Sender s = aliceSessionCrossSigned(alice);
        String file = exports.export(PASSPHRASE, KeyExportService.selection(List.of(s.roomId), List.of()), 1_000).text();
        TestStores.empty(context);
        keysOf(alice);

        ObjectNode result = keytrail.process(importKeyExport(PASSPHRASE, file));

        assertThat(result.at("/imported/0/sender_data/DeviceInfo/legacy_session").asBoolean()).isTrue();
        // 0: SessionImported, 1: SenderKeysWanted (recorded for every claimed import, as the old saga queried
        // for every one), 2: the comparison at import
        SenderDataChanged changed = (SenderDataChanged) payloadsOf(eventStore, s.aggregateId()).get(2);
        assertThat(changed.trigger()).isEqualTo(Trigger.IMPORT_CLAIM);
        assertConfirmedOnReplay(s, Rule.IMPORTED_CLAIMED_DEVICE);
    }

    @Test
    void claimNamingAnotherUserThanTheKeysOwner_namesNoDevice_andStaysUnknownDevice() {
        TestAccount alice = account("alice");
        TestAccount mallory = account("mallory");
        Sender s = new Sender(room(), 1);
        ObjectNode entry = ImportFixtures.exportEntry(s, 0, alice);
        entry.put("io.keytrail.sender", mallory.userId());
        ObjectNode input = JSON.objectNode().put("type", "import_room_keys");
        input.putArray("keys").add(entry);
        keytrail.process(input);

        ObjectNode keys = keysOf(mallory, alice);

        assertThat(keys.path("updated")).isEmpty();
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().senderData()).isEqualTo(SenderData.legacy());
    }

    @Test
    void malformedClaim_isNoClaim_andTheSessionImportsAsFromAnyClient() {
        Sender s = new Sender(room(), 1);
        ObjectNode entry = ImportFixtures.exportEntry(s, 0, account("alice"));
        entry.put("io.keytrail.sender", "not a user id");
        entry.put("io.keytrail.sender_data", "SenderVerified");
        ObjectNode input = JSON.objectNode().put("type", "import_room_keys");
        input.putArray("keys").add(entry);

        ObjectNode result = keytrail.process(input);

        assertThat(result.at("/imported/0").has("claimed_owner")).isFalse();
        assertThat(((SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0)).claim()).isNull();
    }

    private ObjectNode writeBackup(Sender s) {
        KeyExportService.WrittenBackup backup = keytrail.writeBackup(backupKey.toRecoveryKey(),
                KeyExportService.selection(List.of(s.roomId), List.of()));
        assertThat(backup.sessionCount()).isEqualTo(1);
        return backup.body();
    }

    private static ObjectNode sessionData(ObjectNode body, Sender s) {
        return (ObjectNode) body.at("/rooms/" + s.roomId.replace("~", "~0").replace("/", "~1") + "/sessions/"
                + s.sessionId().replace("~", "~0").replace("/", "~1") + "/session_data");
    }

    @Test
    void backupWithAGoodMac2_restoresNonLegacy_andIsDecidedOnceTheDeviceIsKnown() {
        TestAccount alice = account("alice");
        Sender s = aliceSessionCrossSigned(alice);
        ObjectNode body = writeBackup(s);
        assertThat(fieldsOf(sessionData(body, s))).contains("ephemeral", "ciphertext", "mac", BackupMac2.UNSTABLE_FIELD);

        TestStores.empty(context);
        ObjectNode result = keytrail.process(importBackup(backupKey.toBase64(), body));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.at("/imported/0/backup_mac").asText()).isEqualTo("valid");
        assertThat(result.at("/imported/0/sender_data"))
                .isEqualTo(JSON.objectNode().set("UnknownDevice", JSON.objectNode().put("legacy_session", false)));
        SessionReceived received = (SessionReceived) payloadsOf(eventStore, s.aggregateId()).get(0);
        assertThat(received.authenticatedBy()).isEqualTo(BackupMacCheck.MSC4048_MAC2_VALID);
        assertThat(received.sender()).isEqualTo(alice.userId());

        ObjectNode keys = keysOf(alice);

        assertThat(keys.at("/updated/0/sender_data/SenderUnverified/user_id").asText()).isEqualTo(alice.userId());
        assertThat(keytrail.process(decrypt("CROSS_SIGNED", alice.userId(), s, 0)).at("/plaintext/content/body").asText())
                .isEqualTo("message 0");
        assertConfirmedOnReplay(s, Rule.NO_DEVICE, Rule.CROSS_SIGNED_UNVERIFIED);
    }

    @Test
    void backupWithAGoodMac2_whoseDeviceIsKnown_restoresCrossSignedAtOnce() {
        TestAccount alice = account("alice");
        Sender s = aliceSessionCrossSigned(alice);
        ObjectNode body = writeBackup(s);
        TestStores.empty(context);
        keysOf(alice);

        ObjectNode result = keytrail.process(importBackup(backupKey.toRecoveryKey(), body));

        assertThat(result.at("/imported/0/sender_data/SenderUnverified/user_id").asText()).isEqualTo(alice.userId());
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().imported()).isFalse();
    }

    @Test
    void backupEntryWithAGoodMac2_thatTheRulesRefuse_failsAndIsRecordedAsARefusalWithItsEvidence() throws Exception {
        TestAccount alice = account("alice");
        TestAccount other = account("other");
        Sender s = aliceSessionCrossSigned(alice);
        ObjectNode body = writeBackup(s);
        // A holder of the backup key claims another signing key for Alice's device, with a valid mac2.
        ObjectNode entry = (ObjectNode) MAPPER.readTree(BackupCipher.decrypt(sessionData(body, s), backupKey));
        ((ObjectNode) entry.get("sender_claimed_keys")).put("ed25519", other.device("DEV").ed25519().publicKey().toBase64());
        ObjectNode forged = BackupMac2.sign(BackupCipher.encrypt(entry.toString(), backupKey.publicKey(),
                new java.security.SecureRandom()), BackupMac2.macKey(backupKey));
        ObjectNode sessionEntry = (ObjectNode) body.at("/rooms/" + s.roomId.replace("~", "~0").replace("/", "~1")
                + "/sessions/" + s.sessionId().replace("~", "~0").replace("/", "~1"));
        sessionEntry.set("session_data", forged);
        TestStores.empty(context);
        keysOf(alice);
        long refusalsBefore = refusalsOf(s);

        ObjectNode result = keytrail.process(importBackup(backupKey.toBase64(), body));

        assertThat(result.path("imported")).as(result.toString()).isEmpty();
        assertThat(result.at("/failed/0/code").asText()).isEqualTo("MISMATCHED_IDENTITY_KEYS");
        assertThat(keytrail.session(s.roomId, s.sessionId())).isEmpty();
        assertThat(refusalsOf(s)).isEqualTo(refusalsBefore + 1);
        String refusal = jdbc.queryForObject("select utf8tostring(payload) from domain_event_entry where payload_type = ?"
                + " and utf8tostring(payload) like ? order by global_index desc limit 1", String.class,
                RoomKeyRefused.class.getName(), "%" + s.sessionId() + "%");
        JsonNode recorded = MAPPER.readTree(refusal);
        assertThat(recorded.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(recorded.path("code").asText()).isEqualTo("MISMATCHED_IDENTITY_KEYS");
        assertThat(recorded.at("/evidence/storedDevice/device_id").asText())
                .as("the stored device the decision compared with, in the evidence").isEqualTo("DEV");
    }

    private long refusalsOf(Sender s) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where payload_type = ?"
                + " and utf8tostring(payload) like ?", Long.class, RoomKeyRefused.class.getName(), "%" + s.sessionId() + "%");
    }

    @Test
    void oneFlippedBitInMac2_restoresLegacy_andIsReportedInTheResultAndTheEvent() {
        TestAccount alice = account("alice");
        Sender s = aliceSessionCrossSigned(alice);
        ObjectNode body = writeBackup(s);
        ObjectNode data = sessionData(body, s);
        byte[] mac = UnpaddedBase64.decode(data.get(BackupMac2.UNSTABLE_FIELD).asText());
        mac[0] ^= 0x01;
        data.put(BackupMac2.UNSTABLE_FIELD, UnpaddedBase64.encode(mac));

        TestStores.empty(context);
        ObjectNode result = keytrail.process(importBackup(backupKey.toBase64(), body));

        assertThat(result.path("failed")).isEmpty();
        assertThat(result.at("/imported/0/backup_mac").asText()).isEqualTo("invalid");
        assertThat(result.at("/imported/0/sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
        SessionImported event = (SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0);
        assertThat(event.backupMac()).isEqualTo(BackupMacCheck.MSC4048_MAC2_INVALID);
        assertThat(event.senderData()).isEqualTo(SenderData.legacy());
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().imported()).isTrue();
        LegacyImportSemanticsTest.assertWithheldAsInsecureSource(keytrail, decrypt("CROSS_SIGNED", alice.userId(), s, 0));
    }

    @Test
    void backupWithoutMac2_restoresLegacy_withNoMacReported() {
        TestAccount alice = account("alice");
        Sender s = aliceSessionCrossSigned(alice);
        ObjectNode body = writeBackup(s);
        sessionData(body, s).remove(BackupMac2.UNSTABLE_FIELD);
        TestStores.empty(context);

        ObjectNode result = keytrail.process(importBackup(backupKey.toBase64(), body));

        assertThat(result.at("/imported/0").has("backup_mac")).isFalse();
        assertThat(result.at("/imported/0/sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
        assertThat(((SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0)).backupMac()).isNull();
    }

    @Test
    void legacySessionInABackup_isMarkedUnauthenticated_andRestoresLegacyEvenWithAGoodMac2() {
        TestAccount alice = account("alice");
        Sender s = new Sender(room(), 1);
        ObjectNode input = JSON.objectNode().put("type", "import_room_keys");
        input.putArray("keys").add(ImportFixtures.exportEntry(s, 0, alice));
        keytrail.process(input);
        ObjectNode body = writeBackup(s);
        TestStores.empty(context);

        ObjectNode result = keytrail.process(importBackup(backupKey.toBase64(), body));

        assertThat(result.at("/imported/0/backup_mac").asText()).isEqualTo("valid");
        assertThat(result.at("/imported/0/sender_data")).isEqualTo(LegacyImportSemanticsTest.LEGACY);
    }

    private void assertWithheld(ObjectNode decryptInput, JsonNode level) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keytrail.process(decryptInput))
                .isInstanceOfSatisfying(io.keytrail.errors.RefusalException.class, e -> {
                    assertThat(e.code()).isEqualTo(io.keytrail.errors.RefusalCode.SENDER_IDENTITY_NOT_TRUSTED);
                    assertThat(e.verificationLevel()).isEqualTo(level);
                });
    }

    /** Parses JSON text. */
    private static final class BackupVectorsJson {
        static JsonNode read(String text) {
            return io.keytrail.crypto.backup.BackupVectors.json(text);
        }
    }

    private void assertConfirmedOnReplay(Sender s, Rule... rules) {
        String id = new SessionRef(s.roomId, s.sessionId()).aggregateId();
        List<DecisionReverifier.Finding> mine = reverifier.reverifyAll().findings().stream()
                .filter(f -> f.aggregateId().equals(id)).toList();
        assertThat(mine).extracting(DecisionReverifier.Finding::rule).containsExactly(rules);
        assertThat(mine).allMatch(f -> f.verdict() == DecisionReverifier.Verdict.CONFIRMED
                || f.verdict() == DecisionReverifier.Verdict.UNVERIFIABLE, "confirmed");
    }
}
