package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.RANDOM;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.eventsOf;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importBackup;
import static io.keytrail.imports.ImportFixtures.importKeyExport;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.room;
import static io.keytrail.imports.ImportFixtures.roomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Optional;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Every failure path of the imports: problems of the whole input are an error with a clear message;
 * problems of one session are a {@code failed} entry and the other sessions are imported.
 */
@EngineSpringTest
class ImportFailurePathsTest {
    private static final String PASSPHRASE = "correct horse battery staple";

    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;

    private final TestAccount alice = account("alice");

    private String exportFile(JsonNode... entries) {
        ArrayNode array = JSON.arrayNode();
        for (JsonNode entry : entries) {
            array.add(entry);
        }
        return KeyExportFile.encrypt(array.toString(), PASSPHRASE, 10, RANDOM);
    }

    private void assertInputError(ObjectNode input, String code, String messagePart) {
        assertThatThrownBy(() -> keytrail.process(input)).isInstanceOfSatisfying(RefusalException.class, e -> {
            assertThat(e.code().name()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart).doesNotContain(PASSPHRASE);
        });
    }

    // --- key export files: whole-input problems ---------------------------------------------------------

    @Test
    void wrongPassphrase_isBadPassphrase_andImportsNothing() {
        Sender s = new Sender(room(), 1);
        assertInputError(importKeyExport("wrong passphrase", exportFile(exportEntry(s, 0, alice))),
                "BAD_PASSPHRASE", "passphrase is wrong");
        assertThat(keytrail.session(s.roomId, s.sessionId())).isEmpty();
    }

    @Test
    void fileCutOffBeforeItsFooter_isInvalidExport() {
        String file = exportFile(exportEntry(new Sender(room(), 1), 0, alice));
        assertInputError(importKeyExport(PASSPHRASE, file.substring(0, file.length() / 2)), "INVALID_EXPORT",
                "cut off");
    }

    @Test
    void fileTooShortForHeaderAndMac_isInvalidExport() {
        String file = KeyExportFile.HEADER + "\n" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4})
                + "\n" + KeyExportFile.FOOTER + "\n";
        assertInputError(importKeyExport(PASSPHRASE, file), "INVALID_EXPORT", "truncated");
    }

    @Test
    void fileMissingLinesInTheMiddle_failsTheMac() {
        String file = exportFile(exportEntry(new Sender(room(), 1), 0, alice), exportEntry(new Sender(room(), 1), 0, alice));
        String[] lines = file.split("\n");
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i != 2) {
                cut.append(lines[i]).append('\n');
            }
        }
        assertInputError(importKeyExport(PASSPHRASE, cut.toString()), "BAD_PASSPHRASE", "corrupted");
    }

    @Test
    void wrongHeader_isInvalidExport() {
        String file = exportFile(exportEntry(new Sender(room(), 1), 0, alice))
                .replace(KeyExportFile.HEADER, "-----BEGIN PGP MESSAGE-----");
        assertInputError(importKeyExport(PASSPHRASE, file), "INVALID_EXPORT", "not a Matrix key export file");
    }

    @Test
    void unknownFormatVersion_isInvalidExport() {
        byte[] body = new byte[100];
        body[0] = 2;
        String file = KeyExportFile.HEADER + "\n" + Base64.getEncoder().encodeToString(body) + "\n"
                + KeyExportFile.FOOTER;
        assertInputError(importKeyExport(PASSPHRASE, file), "INVALID_EXPORT", "version 2");
    }

    @Test
    void anExportThatIsNotAnArray_isInvalidExport() {
        String file = KeyExportFile.encrypt("{\"room_keys\":[]}", PASSPHRASE, 10, RANDOM);
        assertInputError(importKeyExport(PASSPHRASE, file), "INVALID_EXPORT", "JSON array");
    }

    @Test
    void anExportThatIsNotJson_isInvalidExport() {
        String file = KeyExportFile.encrypt("[{\"algorithm\": ", PASSPHRASE, 10, RANDOM);
        assertInputError(importKeyExport(PASSPHRASE, file), "INVALID_EXPORT", "not valid JSON");
    }

    @Test
    void anEmptyExport_importsNothing() {
        ObjectNode result = keytrail.process(importKeyExport(PASSPHRASE, exportFile()));
        assertThat(result.path("imported")).isEmpty();
        assertThat(result.path("failed")).isEmpty();
    }

    // --- per-session problems: the others are imported ---------------------------------------------------

    @Test
    void malformedElementsAmongGoodOnes_failAlone() {
        Sender good1 = new Sender(room(), 1);
        Sender good2 = new Sender(room(), 1);
        Sender bad = new Sender(room(), 1);
        ObjectNode wrongAlgorithm = exportEntry(bad, 0, alice).put("algorithm", "m.megolm.v2.aes-sha2");
        ObjectNode noSenderKey = exportEntry(new Sender(room(), 1), 0, alice);
        noSenderKey.remove("sender_key");

        ObjectNode result = keytrail.process(importKeyExport(PASSPHRASE, exportFile(exportEntry(good1, 0, alice),
                wrongAlgorithm, JSON.numberNode(42), noSenderKey, exportEntry(good2, 0, alice))));

        assertThat(result.path("imported")).extracting(n -> n.path("session_id").asText())
                .containsExactly(good1.sessionId(), good2.sessionId());
        assertThat(result.path("failed")).hasSize(3);
        assertThat(result.path("failed")).allSatisfy(f -> assertThat(f.path("code").asText()).isEqualTo("INVALID_INPUT"));
        assertThat(result.at("/failed/0/session_id").asText()).isEqualTo(bad.sessionId());
        assertThat(result.at("/failed/0/message").asText()).contains("room key 1", "algorithm");
        assertThat(result.at("/failed/1/session_id").isNull()).isTrue();
        assertThat(result.at("/failed/1/message").asText()).contains("room key 2");
        assertThat(result.at("/failed/2/message").asText()).contains("room key 3", "sender_key");
    }

    @Test
    void sessionKeyNotMatchingSessionId_failsAsInvalidSessionKey() {
        Sender a = new Sender(room(), 1);
        Sender b = new Sender(a.roomId, 1);
        ObjectNode swapped = exportEntry(a, 0, alice).put("session_key", b.exportAt(0));
        ObjectNode garbage = exportEntry(b, 0, alice).put("session_key", "AQAAAA");
        Sender c = new Sender(a.roomId, 1);
        ObjectNode signedFormat = exportEntry(c, 0, alice).put("session_key", c.signedKeyAt(0));

        ObjectNode result = keytrail.process(importRoomKeys(swapped, garbage, signedFormat));

        assertThat(result.path("imported")).isEmpty();
        assertThat(result.path("failed")).extracting(f -> f.path("code").asText())
                .containsExactly("INVALID_SESSION_KEY", "INVALID_SESSION_KEY", "INVALID_SESSION_KEY");
        assertThat(result.at("/failed/0/message").asText()).contains("is not the signing key inside session_key");
        assertThat(keytrail.session(a.roomId, a.sessionId())).isEmpty();
    }

    @Test
    void aRoomIdThatIsNotOne_failsThatSession() {
        Sender s = new Sender(room(), 1);
        ObjectNode entry = exportEntry(s, 0, alice).put("room_id", "#alias:example.org");
        ObjectNode result = keytrail.process(importRoomKeys(entry, exportEntry(s, 0, alice)));
        assertThat(result.at("/failed/0/code").asText()).isEqualTo("INVALID_INPUT");
        assertThat(result.path("imported")).hasSize(1);
    }

    @Test
    void unconnectedCopy_failsAndIsRecordedAsSuspicious() {
        Sender s = new Sender(room(), 1);
        keytrail.process(importRoomKeys(exportEntry(s, 0, alice)));
        ObjectNode result = keytrail.process(importKeyExport(PASSPHRASE, exportFile(exportEntry(s.impostor(), 0, alice))));
        assertThat(result.at("/failed/0/code").asText()).isEqualTo("INVALID_SESSION_KEY");
        assertThat(result.at("/failed/0/message").asText()).contains("unconnected");
        assertThat(eventsOf(eventStore, s.aggregateId())).containsExactly("SessionImported", "SessionCopyRefused");
    }

    @Test
    void importOfADiscardedSession_failsAsSessionDiscarded() {
        TestAccount dave = account("dave");
        ObjectNode keys = JSON.objectNode().put("type", "keys_query_response");
        keys.set("body", new KeysQueryBody().account(dave).device(dave, "DEV", DeviceSigning.BAD_CROSS_SIGNATURE).build());
        keytrail.process(keys);
        Sender s = new Sender(room(), 1);
        assertThatThrownBy(() -> keytrail.process(roomKey(dave, account("me").ownDevice("DEV"), s, 0, Optional.empty())))
                .isInstanceOfSatisfying(RefusalException.class, e -> assertThat(e.code()).isEqualTo(RefusalCode.SESSION_DISCARDED));

        ObjectNode result = keytrail.process(importRoomKeys(exportEntry(s, 0, dave)));

        assertThat(result.at("/failed/0/code").asText()).isEqualTo("SESSION_DISCARDED");
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().discarded()).isTrue();
    }

    // --- key backups ----------------------------------------------------------------------------------

    private static ObjectNode backupEntry(Sender s, TestAccount claimed, BackupDecryptionKey key) {
        ObjectNode plain = exportEntry(s, 0, claimed);
        plain.remove("room_id");
        plain.remove("session_id");
        ObjectNode data = JSON.objectNode().put("first_message_index", 0).put("forwarded_count", 0)
                .put("is_verified", false);
        data.set("session_data", BackupCipher.encrypt(plain.toString(), key.publicKey(), RANDOM));
        return data;
    }

    private static ObjectNode backupBody(String roomId, Object... sessionsAndEntries) {
        ObjectNode body = JSON.objectNode();
        ObjectNode sessions = body.putObject("rooms").putObject(roomId).putObject("sessions");
        for (int i = 0; i < sessionsAndEntries.length; i += 2) {
            sessions.set((String) sessionsAndEntries[i], (JsonNode) sessionsAndEntries[i + 1]);
        }
        return body;
    }

    @Test
    void backupSessionEncryptedForAnotherKey_failsAsBadMac_andTheOthersAreRestored() {
        BackupDecryptionKey key = BackupDecryptionKey.generate(RANDOM);
        BackupDecryptionKey other = BackupDecryptionKey.generate(RANDOM);
        String roomId = room();
        Sender a = new Sender(roomId, 1);
        Sender b = new Sender(roomId, 1);
        Sender c = new Sender(roomId, 1);
        ObjectNode malformed = backupEntry(c, alice, key);
        malformed.remove("is_verified");
        Sender d = new Sender(roomId, 1);
        ObjectNode body = backupBody(roomId, a.sessionId(), backupEntry(a, alice, key),
                b.sessionId(), backupEntry(b, alice, other), c.sessionId(), malformed,
                d.sessionId(), backupEntry(d, alice, key));

        ObjectNode result = keytrail.process(importBackup(key.toRecoveryKey(), body));

        assertThat(result.path("imported")).extracting(n -> n.path("session_id").asText())
                .containsExactly(a.sessionId(), d.sessionId());
        assertThat(result.path("failed")).extracting(f -> f.path("session_id").asText() + " " + f.path("code").asText())
                .containsExactly(b.sessionId() + " BAD_MAC", c.sessionId() + " INVALID_INPUT");
        assertThat(eventsOf(eventStore, a.aggregateId())).containsExactly("SessionImported");
    }

    @Test
    void wrongBackupKey_isAnErrorForTheWholeBody_andImportsNothing() {
        BackupDecryptionKey key = BackupDecryptionKey.generate(RANDOM);
        String roomId = room();
        Sender a = new Sender(roomId, 1);
        Sender b = new Sender(roomId, 1);
        ObjectNode body = backupBody(roomId, a.sessionId(), backupEntry(a, alice, key),
                b.sessionId(), backupEntry(b, alice, key));
        String wrong = BackupDecryptionKey.generate(RANDOM).toBase64();

        assertThatThrownBy(() -> keytrail.process(importBackup(wrong, body)))
                .isInstanceOfSatisfying(RefusalException.class, e -> {
                    assertThat(e.code()).isEqualTo(RefusalCode.BAD_MAC);
                    assertThat(e.getMessage()).contains("does not open this key backup").doesNotContain(wrong);
                });
        assertThat(keytrail.session(roomId, a.sessionId())).isEmpty();
    }

    @Test
    void mistypedRecoveryKey_isInvalidInput() {
        String mistyped = "EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4e";
        assertInputError(importBackup(mistyped, backupBody(room())), "INVALID_INPUT", "decryption_key");
    }

    @Test
    void backupBodyWithoutRooms_isInvalidInput() {
        String key = BackupDecryptionKey.generate(RANDOM).toBase64();
        assertInputError(importBackup(key, JSON.objectNode().put("version", "1")), "INVALID_INPUT", "rooms");
    }

    // --- input shape ------------------------------------------------------------------------------------

    @Test
    void importInputs_areStrict_andTyped() {
        assertInputError(importRoomKeys().put("passphrase", "x"), "INVALID_INPUT", "unknown field \"passphrase\"");
        assertInputError(JSON.objectNode().put("type", "import_room_keys").put("keys", "[]"), "INVALID_INPUT",
                "JSON array");
        assertInputError(JSON.objectNode().put("type", "import_key_export").put("file", "x"), "INVALID_INPUT",
                "passphrase");
        assertInputError((ObjectNode) importBackup("x", JSON.objectNode()).put("extra", 1), "INVALID_INPUT", "unknown field");
    }
}
