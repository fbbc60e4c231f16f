package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.decrypt;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importKeyExport;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.room;
import static io.keytrail.imports.ImportFixtures.roomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.KeytrailApplication;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService.ExportedFile;
import io.keytrail.imports.KeyExportService.Selection;
import io.keytrail.matrix.ExportedRoomKey;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Export: a key export file of chosen sessions that other clients' readers accept (our reader is
 * checked against the public vectors), and that a fresh Keytrail imports to decrypt the same messages.
 */
@EngineSpringTest
class KeyExportRoundTripTest {
    private static final String PASSPHRASE = "export passphrase";
    private static final OwnDevice ME = account("me").ownDevice("DEV");

    @Autowired
    Keytrail keytrail;

    private final TestAccount alice = account("alice");
    private final TestAccount bob = account("bob");

    private static List<ExportedRoomKey> read(ExportedFile file) throws Exception {
        String json = KeyExportFile.decrypt(file.text(), PASSPHRASE);
        return ExportedRoomKey.parseArray(new ObjectMapper().readTree(json)).stream()
                .map(e -> ((ExportedRoomKey.Parsed) e).key()).toList();
    }

    private static long roundsOf(String fileText) {
        String base64 = fileText.replace(KeyExportFile.HEADER, "").replace(KeyExportFile.FOOTER, "").replaceAll("\\s", "");
        return ByteBuffer.wrap(Base64.getDecoder().decode(base64), 33, 4).getInt() & 0xffffffffL;
    }

    @Test
    void exportOfARoom_isReadableByTheSpecReader_withEveryFieldOfTheSessions() throws Exception {
        String roomId = room();
        Sender received = new Sender(roomId, 3);
        Sender imported = new Sender(roomId, 3);
        Sender elsewhere = new Sender(room(), 1);
        keytrail.process(roomKey(alice, ME, received, 1, Optional.empty()));
        ObjectNode entry = exportEntry(imported, 2, bob).put("shared_history", true);
        entry.withArray("forwarding_curve25519_key_chain").add(alice.device("DEV").curve25519().toBase64());
        keytrail.process(importRoomKeys(entry, exportEntry(elsewhere, 0, bob)));

        ExportedFile file = keytrail.exportRoomKeys(PASSPHRASE, new Selection(Set.of(roomId), Set.of()), 100_000);

        assertThat(file.sessionCount()).isEqualTo(2);
        assertThat(file.text()).startsWith(KeyExportFile.HEADER + "\n").endsWith(KeyExportFile.FOOTER + "\n");
        assertThat(roundsOf(file.text())).isEqualTo(100_000);
        Map<String, ExportedRoomKey> keys = read(file).stream()
                .collect(Collectors.toMap(ExportedRoomKey::sessionId, Function.identity()));
        assertThat(keys).containsOnlyKeys(received.sessionId(), imported.sessionId());

        ExportedRoomKey r = keys.get(received.sessionId());
        assertThat(r.roomId()).isEqualTo(roomId);
        assertThat(r.sessionKey()).isEqualTo(received.exportAt(1));
        assertThat(r.senderKey()).isEqualTo(alice.device("DEV").curve25519());
        assertThat(r.senderClaimedEd25519()).contains(alice.device("DEV").ed25519().publicKey());
        assertThat(r.forwardingCurve25519KeyChain()).isEmpty();

        ExportedRoomKey i = keys.get(imported.sessionId());
        assertThat(i.sessionKey()).isEqualTo(imported.exportAt(2));
        assertThat(i.senderKey()).isEqualTo(bob.device("DEV").curve25519());
        assertThat(i.forwardingCurve25519KeyChain()).containsExactly(alice.device("DEV").curve25519());
        assertThat(i.sharedHistory()).isTrue();
    }

    @Test
    void exportOfChosenSessions_andOfEverything_leavesDiscardedSessionsOut() throws Exception {
        Sender a = new Sender(room(), 1);
        Sender b = new Sender(room(), 1);
        keytrail.process(importRoomKeys(exportEntry(a, 0, bob), exportEntry(b, 0, bob)));

        assertThat(read(keytrail.exportRoomKeys(PASSPHRASE, new Selection(Set.of(), Set.of(b.sessionId())), 100_000)))
                .extracting(ExportedRoomKey::sessionId).containsExactly(b.sessionId());
        List<ExportedRoomKey> all = read(keytrail.exportRoomKeys(PASSPHRASE, Selection.ALL, 100_000));
        assertThat(all).extracting(ExportedRoomKey::sessionId).contains(a.sessionId(), b.sessionId());
        assertThat(all).allSatisfy(k -> assertThat(keytrail.session(k.roomId(), k.sessionId()).orElseThrow()
                .discarded()).isFalse());
    }

    @Test
    void exportRequests_thatCannotBeMet_areRefused() {
        assertThatThrownBy(() -> keytrail.exportRoomKeys(PASSPHRASE, new Selection(Set.of(), Set.of("nosuchsession")), 100_000))
                .isInstanceOfSatisfying(RefusalException.class, e -> assertThat(e.code()).isEqualTo(RefusalCode.UNKNOWN_SESSION));
        assertThatThrownBy(() -> keytrail.exportRoomKeys("", Selection.ALL, 100_000))
                .isInstanceOfSatisfying(RefusalException.class, e -> assertThat(e.code()).isEqualTo(RefusalCode.INVALID_INPUT));
        assertThatThrownBy(() -> keytrail.exportRoomKeys(PASSPHRASE, Selection.ALL, 0))
                .isInstanceOfSatisfying(RefusalException.class, e -> assertThat(e.code()).isEqualTo(RefusalCode.INVALID_INPUT));
    }

    @Test
    void exportedFile_importedIntoAFreshKeytrail_decryptsTheSameMessages() {
        String roomId = room();
        Sender s = new Sender(roomId, 3);
        keytrail.process(roomKey(alice, ME, s, 0, Optional.empty()));
        ExportedFile file = keytrail.exportRoomKeys(PASSPHRASE, new Selection(Set.of(roomId), Set.of()), 100_000);

        try (ConfigurableApplicationContext fresh = new SpringApplicationBuilder(KeytrailApplication.class)
                .web(WebApplicationType.NONE).profiles("test")
                .run("--keytrail.session-key-encryption-key=ZnJlc2gta2V5dHJhaWwtdmF1bHQta2V5LTAxMjM0NTY")) {
            Keytrail other = fresh.getBean(Keytrail.class);
            assertThat(other.session(roomId, s.sessionId())).isEmpty();

            ObjectNode result = other.process(importKeyExport(PASSPHRASE, file.text()));

            assertThat(result.path("imported")).hasSize(1);
            for (int index = 0; index < 3; index++) {
                ObjectNode shown = other.process(decrypt("CROSS_SIGNED_OR_LEGACY", alice.userId(), s, index));
                assertThat(shown.at("/plaintext/content/body").asText()).isEqualTo("message " + index);
                assertThat(shown.path("verification_state")).isEqualTo(
                        JSON.objectNode().set("Unverified", JSON.objectNode().put("None", "InsecureSource")));
            }
        }
    }
}
