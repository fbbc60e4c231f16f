package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;

import static io.keytrail.imports.ImportFixtures.JSON;
import static io.keytrail.imports.ImportFixtures.RANDOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.FileStoreSpringTest;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;

/**
 * Big imports go in batches (of {@value ImportIntake#BATCH} in the service): a key export file of more
 * than two batches is imported with a progress report per batch, and the heap in use after the import
 * (after GC) grows by no more than a generous allowance per session. A file database, so that the
 * measurement is the engine's memory and not an in-memory database's. The throughput is logged, never
 * asserted.
 *
 * <p>The suite imports {@value #DEFAULT_SESSIONS} sessions in batches of {@value #SUITE_BATCH}
 * ({@link ImportIntake#withBatch}): two full batches and a partial one, the same path and boundaries as
 * any bigger file, for a tenth of the sessions to generate and store. For the memory claim at scale, run
 * with {@code -Dkeytrail.bigimport.sessions=10000 -Dtest=BigImportTest}: the service's batch of
 * {@value ImportIntake#BATCH}.
 */
class BigImportTest extends FileStoreSpringTest {
    private static final Logger log = LoggerFactory.getLogger(BigImportTest.class);
    static final int SUITE_BATCH = 50;
    static final int DEFAULT_SESSIONS = 2 * SUITE_BATCH + 21;
    private static final Integer ASKED_SESSIONS = Integer.getInteger("keytrail.bigimport.sessions");
    private static final int SESSIONS = ASKED_SESSIONS == null ? DEFAULT_SESSIONS : ASKED_SESSIONS;
    private static final int BATCH = ASKED_SESSIONS == null ? SUITE_BATCH : ImportIntake.BATCH;
    /** 96 MB for 10,000 sessions (about 10 KB each), and never less than 24 MB: GC noise at small sizes. */
    private static final long HEAP_CEILING_BYTES = Math.max(24L << 20, (96L << 20) * SESSIONS / 10_000);
    private static final String CLAIMED_CURVE = "cKQkLU8izjY3tpLVPiR4PDeeCEKtaDiAGiQH+UbZm2w";

    @Autowired
    ImportIntake service;
    private ImportIntake imports;

    @BeforeEach
    void batches() {
        imports = service.withBatch(BATCH);
    }

    /** The export-format key of a fresh random session, at index 0. */
    private static String randomExport() {
        byte[] ratchet = new byte[MegolmRatchet.LENGTH];
        RANDOM.nextBytes(ratchet);
        OutboundGroupSession out = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet),
                Ed25519KeyPair.generate(RANDOM));
        return InboundGroupSession.fromSessionKey(out.sessionKey()).exportAtFirstKnownIndex().toBase64();
    }

    private static String sessionIdOf(String export) {
        return io.keytrail.crypto.megolm.ExportedSessionKey.parse(export).sessionId();
    }

    /** The file text only: the JSON is built as a string, so no tree of all sessions stays referenced. */
    private static String bigExportFile(String roomId, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String export = randomExport();
            ObjectNode e = JSON.objectNode().put("algorithm", "m.megolm.v1.aes-sha2").put("room_id", roomId)
                    .put("session_id", sessionIdOf(export)).put("sender_key", CLAIMED_CURVE).put("session_key", export);
            e.putObject("sender_claimed_keys");
            e.putArray("forwarding_curve25519_key_chain");
            json.append(i == 0 ? "" : ",").append(e);
        }
        return KeyExportFile.encrypt(json.append(']').toString(), "big", 1, RANDOM);
    }

    /**
     * One full collection: G1's System.gc() is a full, compacting one, and a second or third freed nothing
     * measurable (GC log: 88->84 MB, 84->84 MB) at a second each in the suite's heap.
     */
    private static long usedHeapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void exportOfMoreThanTwoBatches_isImportedInBatches_withProgress_andFlatMemory() {
        String roomId = "!big-" + ImportFixtures.unique("r") + ":example.org";
        String file = bigExportFile(roomId, SESSIONS);
        // warm up (JIT, caches, first-use allocations) so that they do not count as the import's memory
        imports.importKeyExport("big", bigExportFile("!warm-" + ImportFixtures.unique("r") + ":example.org",
                Math.min(200, 2 * BATCH)), null);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<long[]> progress = new ArrayList<>();

        long before = usedHeapAfterGc(memory);
        long start = System.nanoTime();
        ImportResult result = imports.importKeyExport("big", file, (done, total) -> progress.add(new long[] {done, total}));
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = usedHeapAfterGc(memory);

        assertThat(result.imported()).hasSize(SESSIONS);
        assertThat(result.failed()).isEmpty();
        // one report after each batch (and one at the end): the counts at the batch boundaries show up
        assertThat(progress).extracting(p -> p[0]).contains((long) BATCH, 2L * BATCH);
        assertThat(progress).hasSizeGreaterThan(SESSIONS / BATCH);
        assertThat(progress).allSatisfy(p -> assertThat(p[1]).isEqualTo(SESSIONS));
        assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(SESSIONS);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)[0]).isGreaterThanOrEqualTo(progress.get(i - 1)[0]);
        }
        long growth = after - before;
        log.info("{}-session key export import: {} s, {} sessions/s; used heap after GC {} MB before, {} MB after"
                        + " (growth {} MB, ceiling {} MB)", SESSIONS, String.format("%.1f", seconds), Math.round(SESSIONS / seconds),
                before >> 20, after >> 20, growth >> 20, HEAP_CEILING_BYTES >> 20);
        assertThat(growth).as("used heap growth after GC").isLessThan(HEAP_CEILING_BYTES);
    }

    @Test
    void aBatchOfNoSessions_isRefused() {
        assertThatThrownBy(() -> service.withBatch(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backupAcrossBatchBoundaries_restoresEverySession_andReportsTheBadOnes() {
        BackupDecryptionKey key = BackupDecryptionKey.generate(RANDOM);
        ObjectNode body = JSON.objectNode();
        ObjectNode rooms = body.putObject("rooms");
        Set<String> expected = new HashSet<>();
        int perRoom = 2 * BATCH / 3 + 1; // 3 x 34 = 102 sessions (1,002 at scale): two full batches and a partial one
        for (int r = 0; r < 3; r++) {
            String roomId = "!backup-" + r + "-" + ImportFixtures.unique("r") + ":example.org";
            ObjectNode sessions = rooms.putObject(roomId).putObject("sessions");
            for (int i = 0; i < perRoom; i++) {
                String export = randomExport();
                ObjectNode plain = JSON.objectNode().put("algorithm", "m.megolm.v1.aes-sha2")
                        .put("sender_key", CLAIMED_CURVE).put("session_key", export);
                plain.putArray("forwarding_curve25519_key_chain");
                ObjectNode data = JSON.objectNode().put("first_message_index", 0).put("forwarded_count", 0)
                        .put("is_verified", false);
                data.set("session_data", BackupCipher.encrypt(plain.toString(), key.publicKey(), RANDOM));
                sessions.set(sessionIdOf(export), data);
                expected.add(sessionIdOf(export));
            }
        }
        rooms.put("!malformed-" + ImportFixtures.unique("r") + ":example.org", "not a room entry");
        List<long[]> progress = new ArrayList<>();

        ImportResult result = imports.importBackup(key.toRecoveryKey(), body,
                (done, total) -> progress.add(new long[] {done, total}));

        assertThat(result.imported()).extracting(ImportResult.Imported::sessionId).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(result.failed()).hasSize(1);
        assertThat(result.failed().get(0).code()).isEqualTo(RefusalCode.INVALID_INPUT);
        assertThat(progress.get(progress.size() - 1)).containsExactly(3L * perRoom + 1, 3L * perRoom + 1);
        assertThat(progress.size()).isGreaterThanOrEqualTo(3);
    }
}
