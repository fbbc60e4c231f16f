package io.keytrail.imports;

import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.BackupVectors;

import static io.keytrail.crypto.backup.BackupVectors.JSSDK;
import static io.keytrail.crypto.backup.BackupVectors.MAPPER;
import static io.keytrail.crypto.backup.BackupVectors.RUST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.imports.KeyBackupRestore.Failed;
import io.keytrail.imports.KeyBackupRestore.Failure;
import io.keytrail.imports.KeyBackupRestore.Restored;
import io.keytrail.imports.KeyBackupRestore.Result;
import io.keytrail.matrix.MatrixFormatException;

class KeyBackupRestoreTest {
    private static final String ALICE_SESSION = "ipdI6Zs/7DzFTEhiA2iGaMDfHkIYCleqXT6L+5e1/co";
    private static final BackupDecryptionKey KEY = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(3));

    private final ObjectNode body = MAPPER.createObjectNode();

    private ObjectNode sessions(String roomId) {
        ObjectNode rooms = body.has("rooms") ? (ObjectNode) body.get("rooms") : body.putObject("rooms");
        return rooms.has(roomId) ? (ObjectNode) rooms.get(roomId).get("sessions")
                : rooms.putObject(roomId).putObject("sessions");
    }

    /** A KeyBackupData entry encrypted for {@link #KEY} whose plaintext is {@code plaintext}. */
    private static ObjectNode entry(String plaintext) {
        ObjectNode entry = MAPPER.createObjectNode().put("first_message_index", 5).put("forwarded_count", 1)
                .put("is_verified", false);
        entry.set("session_data", BackupCipher.encrypt(plaintext, KEY.publicKey(), new BackupVectors.FixedRandom(11)));
        return entry;
    }

    private static String validSession() {
        return RUST.get("expected_plaintext_json").toString();
    }

    @Test
    void jsSdkBackupResponse_restoresTheSessionUnderTheMapKeys() {
        sessions("!room:id").set(ALICE_SESSION, JSSDK.get("CURVE25519_KEY_BACKUP_DATA"));
        BackupDecryptionKey key = BackupDecryptionKey.parse(JSSDK.get("BACKUP_DECRYPTION_KEY_BASE58").asText());

        List<Result> results = KeyBackupRestore.restore(body, key);

        assertThat(results).singleElement().isInstanceOfSatisfying(Restored.class, r -> {
            assertThat(r.roomId()).isEqualTo("!room:id");
            assertThat(r.sessionId()).isEqualTo(ALICE_SESSION);
            assertThat(r.firstMessageIndex()).isEqualTo(1);
            assertThat(r.forwardedCount()).isZero();
            assertThat(r.isVerified()).isFalse();
            assertThat(r.key().roomId()).isEqualTo("!room:id");
            assertThat(r.key().sessionId()).isEqualTo(ALICE_SESSION);
            assertThat(r.key().senderKey().toBase64()).isEqualTo(JSSDK.at("/MEGOLM_SESSION_DATA/sender_key").asText());
            assertThat(r.key().sessionKey()).isEqualTo(JSSDK.at("/MEGOLM_SESSION_DATA/session_key").asText());
            assertThat(r.key().sharedHistory()).isTrue();
        });
    }

    @Test
    void rustSdkEntryWithoutIdsInThePlaintext_takesThemFromTheMap() {
        sessions("!r:x").set("S1", RUST.get("key_backup_data"));
        assertThat(KeyBackupRestore.restore(body, BackupVectors.rustKey())).singleElement()
                .isInstanceOfSatisfying(Restored.class, r -> {
                    assertThat(r.key().roomId()).isEqualTo("!r:x");
                    assertThat(r.key().sessionId()).isEqualTo("S1");
                    assertThat(r.key().senderClaimedEd25519()).isPresent();
                });
    }

    @Test
    void wrongKey_failsEverySessionWithBadMac_andIsCaughtUpFrontByMatches() {
        sessions("!r:x").set("S1", RUST.get("key_backup_data"));
        sessions("!room:id").set(ALICE_SESSION, JSSDK.get("CURVE25519_KEY_BACKUP_DATA"));

        List<Result> results = KeyBackupRestore.restore(body, KEY);

        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.failure()).isEqualTo(Failure.BAD_MAC)));
        assertThat(KEY.matches(BackupVectors.rustKey().publicKey())).isFalse();
    }

    @Test
    void oneBadSessionAmongGoodOnes_failsAlone() {
        sessions("!a:x").set("good1", entry(validSession()));
        ObjectNode broken = entry(validSession());
        ((ObjectNode) broken.get("session_data")).remove("ephemeral");
        sessions("!a:x").set("broken", broken);
        sessions("!a:x").set("good2", entry(validSession()));
        sessions("!b:x").set("good3", entry(validSession()));

        List<Result> results = KeyBackupRestore.restore(body, KEY);

        assertThat(results).hasSize(4);
        assertThat(results).filteredOn(Restored.class::isInstance).extracting(r -> ((Restored) r).sessionId())
                .containsExactly("good1", "good2", "good3");
        assertThat(results.get(1)).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.roomId()).isEqualTo("!a:x");
            assertThat(f.sessionId()).contains("broken");
            assertThat(f.failure()).isEqualTo(Failure.MALFORMED_SESSION_DATA);
            assertThat(f.message()).contains("ephemeral");
        });
    }

    @Test
    void plaintextThatIsNotJson_isInvalidJson() {
        sessions("!a:x").set("s", entry("{not json"));
        assertFailure(Failure.INVALID_JSON, "not valid JSON");
    }

    @Test
    void plaintextWithTrailingGarbage_isInvalidJson() {
        sessions("!a:x").set("s", entry(validSession() + " trailing"));
        assertFailure(Failure.INVALID_JSON, "not valid JSON");
    }

    @Test
    void plaintextThatIsAJsonArray_isInvalidJson() {
        sessions("!a:x").set("s", entry("[1,2]"));
        assertFailure(Failure.INVALID_JSON, "not a JSON object");
    }

    @Test
    void plaintextWithoutSenderKey_isAnInvalidSessionNamingTheField() {
        ObjectNode session = (ObjectNode) RUST.get("expected_plaintext_json").deepCopy();
        session.remove("sender_key");
        sessions("!a:x").set("s", entry(session.toString()));
        assertFailure(Failure.INVALID_SESSION, "sender_key");
    }

    @Test
    void plaintextNamingAnotherSession_isAnInvalidSession() {
        ObjectNode session = ((ObjectNode) RUST.get("expected_plaintext_json").deepCopy()).put("session_id", "other");
        sessions("!a:x").set("s", entry(session.toString()));
        assertFailure(Failure.INVALID_SESSION, "session_id");
    }

    @Test
    void entryWithoutFirstMessageIndex_isMalformed() {
        ObjectNode e = entry(validSession());
        e.remove("first_message_index");
        sessions("!a:x").set("s", e);
        assertFailure(Failure.MALFORMED_ENTRY, "first_message_index");
    }

    @Test
    void entryWithoutSessionData_isMalformedSessionData() {
        ObjectNode e = entry(validSession());
        e.remove("session_data");
        sessions("!a:x").set("s", e);
        assertFailure(Failure.MALFORMED_SESSION_DATA, "session_data");
    }

    @Test
    void roomWithoutSessions_isReportedWithoutStoppingOtherRooms() {
        body.putObject("rooms").putObject("!broken:x").put("sessions", "nope");
        sessions("!ok:x").set("s", entry(validSession()));

        List<Result> results = KeyBackupRestore.restore(body, KEY);

        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.roomId()).isEqualTo("!broken:x");
            assertThat(f.sessionId()).isEmpty();
            assertThat(f.failure()).isEqualTo(Failure.MALFORMED_ENTRY);
        });
        assertThat(results.get(1)).isInstanceOf(Restored.class);
    }

    @Test
    void emptyBackup_restoresNothing() {
        body.putObject("rooms");
        assertThat(KeyBackupRestore.restore(body, KEY)).isEmpty();
    }

    @Test
    void bodyWithoutRooms_isRejectedAsAWhole() {
        assertThatThrownBy(() -> KeyBackupRestore.restore(body, KEY)).isInstanceOf(MatrixFormatException.class)
                .hasMessageStartingWith("rooms:");
    }

    private void assertFailure(Failure failure, String messagePart) {
        assertThat(KeyBackupRestore.restore(body, KEY)).singleElement().isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.failure()).isEqualTo(failure);
            assertThat(f.message()).contains(messagePart);
        });
    }
}
