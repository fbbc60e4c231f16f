package io.keytrail.imports;

import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.BackupMac2;
import io.keytrail.crypto.backup.InvalidBackupKeyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.directory.JsonText;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.crypto.export.KeyExportWriter;
import io.keytrail.directory.SessionRow;
import io.keytrail.directory.SessionRows;
import io.keytrail.matrix.ExportedRoomKey;
import io.keytrail.session.SessionKeyVault;

/**
 * Writes a key export file (spec "Key exports") of the sessions we hold, readable by other Matrix
 * clients' importers: the JSON array of {@code ExportedSessionData}, encrypted under a passphrase.
 * Each session is written at its first known index. Discarded sessions are never exported.
 */
@Component
public class KeyExportService {
    private static final Logger log = LoggerFactory.getLogger(KeyExportService.class);
    private static final int PAGE = 500;

    private final SessionRows sessions;
    private final SessionKeyVault vault;
    private final SecureRandom random;

    public KeyExportService(SessionRows sessions, SessionKeyVault vault, SecureRandom random) {
        this.sessions = sessions;
        this.vault = vault;
        this.random = random;
    }

    /**
     * Which sessions to export: those in {@code roomIds} (all rooms when empty) and, when
     * {@code sessionIds} is not empty, only those. A listed session id we do not hold (or hold only
     * discarded) is an error, so a typo never yields a silently incomplete file.
     */
    public record Selection(Set<String> roomIds, Set<String> sessionIds) {
        public static final Selection ALL = new Selection(Set.of(), Set.of());

        public Selection {
            roomIds = Set.copyOf(roomIds);
            sessionIds = Set.copyOf(sessionIds);
        }

        boolean includes(SessionRow row) {
            return (roomIds.isEmpty() || roomIds.contains(row.getRoomId()))
                    && (sessionIds.isEmpty() || sessionIds.contains(row.getSessionId()));
        }
    }

    /**
     * The export file's text, how many sessions it holds, and how many selected sessions it left out
     * because they were forgotten (their keys are destroyed, ADR 0012).
     */
    public record ExportedFile(String text, int sessionCount, int forgottenSkipped) {
        public ExportedFile(String text, int sessionCount) {
            this(text, sessionCount, 0);
        }

        @Override
        public String toString() {
            return "ExportedFile[" + sessionCount + " sessions, " + forgottenSkipped + " forgotten skipped]";
        }
    }

    /**
     * @param rounds PBKDF2 rounds; {@link KeyExportFile#DEFAULT_ROUNDS} (what element-web writes) unless
     *               there is a reason; at least 1 and at most {@link KeyExportFile#MAX_ROUNDS}
     */
    public ExportedFile export(String passphrase, Selection selection, int rounds) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Written written;
        try {
            written = export(passphrase, selection, rounds, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return new ExportedFile(file.toString(StandardCharsets.US_ASCII), written.sessions(), written.forgottenSkipped());
    }

    /** How many sessions an export wrote, and how many selected ones it left out as forgotten (ADR 0012). */
    public record Written(int sessions, int forgottenSkipped) {
    }

    /**
     * As {@link #export(String, Selection, int)}, written to {@code out} as it goes: sessions are read
     * {@value #PAGE} at a time, and each is encrypted into the file before the next page is read, so
     * neither the sessions nor the file are ever all in memory. A selection naming sessions we do not
     * hold is refused before anything is written.
     */
    public Written export(String passphrase, Selection selection, int rounds, OutputStream out) throws IOException {
        checkArguments(passphrase, rounds);
        if (!selection.sessionIds().isEmpty()) {
            Set<String> missing = new LinkedHashSet<>(selection.sessionIds());
            forEachSelected(selection, row -> {
                if (missing.contains(row.getSessionId()) && !row.isForgotten() && exportedKey(row).isPresent()) {
                    missing.remove(row.getSessionId());
                }
            });
            if (!missing.isEmpty()) {
                throw new RefusalException(RefusalCode.UNKNOWN_SESSION, "no exportable session " + String.join(", ", missing)
                        + (selection.roomIds().isEmpty() ? "" : " in " + String.join(", ", selection.roomIds()))
                        + " (unknown, discarded, forgotten, or its stored key unreadable)");
            }
        }
        KeyExportWriter writer = new KeyExportWriter(out, passphrase, rounds, random);
        int[] written = {0};
        int[] unavailable = {0};
        int[] forgotten = {0};
        List<String> firstUnavailable = new ArrayList<>();
        writer.write("[");
        try {
            forEachSelected(selection, row -> {
                if (row.isForgotten()) {
                    forgotten[0]++;
                    return;
                }
                Optional<JsonNode> key = exportedKey(row);
                if (key.isEmpty()) {
                    if (unavailable[0]++ < 20) {
                        firstUnavailable.add(row.getSessionId());
                    }
                    return;
                }
                try {
                    writer.write((written[0]++ == 0 ? "" : ",") + key.get());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writer.write("]");
        writer.finish();
        if (unavailable[0] > 0) {
            log.warn("{} sessions left out of the export: their stored keys cannot be opened (shredded?); the first: {}",
                    unavailable[0], firstUnavailable);
        }
        log.info("exported {} sessions ({} PBKDF2 rounds); {} forgotten sessions skipped", written[0], rounds,
                forgotten[0]);
        return new Written(written[0], forgotten[0]);
    }

    private static void checkArguments(String passphrase, int rounds) {
        if (passphrase == null || passphrase.isEmpty()) {
            throw RefusalException.invalidInput("an export needs a passphrase to encrypt the file with");
        }
        if (rounds < 1 || rounds > KeyExportFile.MAX_ROUNDS) {
            throw RefusalException.invalidInput("rounds must be between 1 and " + KeyExportFile.MAX_ROUNDS
                    + " (other clients write " + KeyExportFile.DEFAULT_ROUNDS + ")");
        }
        if (rounds < KeyExportFile.MIN_RECOMMENDED_ROUNDS) {
            log.warn("writing a key export with {} PBKDF2 rounds, fewer than the {} the spec asks for",
                    rounds, KeyExportFile.MIN_RECOMMENDED_ROUNDS);
        }
    }

    /** The selected sessions that are not discarded, page by page (keyset on position). */
    private void forEachSelected(Selection selection, Consumer<SessionRow> action) {
        long after = Long.MIN_VALUE;
        List<SessionRow> page;
        do {
            page = sessions.findByPositionGreaterThanOrderByPosition(after, PageRequest.of(0, PAGE));
            for (SessionRow row : page) {
                after = row.getPosition();
                if (!row.isDiscarded() && selection.includes(row)) {
                    action.accept(row);
                }
            }
        } while (page.size() == PAGE);
    }

    /** The {@code ExportedSessionData} of one session, or empty when its key was shredded. */
    private Optional<JsonNode> exportedKey(SessionRow row) {
        String sessionKey;
        try {
            sessionKey = vault.open(row.getSealedSessionKey(), row.getAggregateId());
        } catch (SessionKeyVault.SessionKeyUnavailableException e) {
            return Optional.empty();
        }
        ExportedRoomKey key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, row.getRoomId(), row.getSessionId(),
                Curve25519PublicKey.parse(row.getSenderKey()), claimedEd25519(row), chain(row), sessionKey,
                row.isSharedHistory(), JsonNodeFactory.instance.objectNode());
        // Who created it, as we decided (ADR 0018): other clients ignore the namespaced fields.
        return Optional.of(SenderClaims.write(key.toJson(), row));
    }

    /** A key backup's body and how many sessions it holds; the body is the {@code /room_keys/keys} shape. */
    public record WrittenBackup(ObjectNode body, int sessionCount) {
        @Override
        public String toString() {
            return "WrittenBackup[" + sessionCount + " sessions]";
        }
    }

    /**
     * Writes the chosen sessions as a server-side key backup ({@code m.megolm_backup.v1.curve25519-aes-sha2})
     * for the backup whose private key is {@code decryptionKey}: the body of {@code PUT /room_keys/keys}
     * (and of what {@code GET} answers), {@code {"rooms":{room:{"sessions":{id:KeyBackupData}}}}}.
     *
     * <p>Each entry carries an MSC4048 {@code mac2} ({@link BackupMac2}; the private key is needed to
     * derive its MAC key) and, encrypted, our sender data ({@link SenderClaims}) and
     * {@code org.matrix.msc4048.authenticated}: true for a session received over Olm (or restored with a
     * valid {@code mac2}), false for a legacy import, whose creator we never authenticated (ADR 0018).
     */
    public WrittenBackup backup(String decryptionKey, Selection selection) {
        BackupDecryptionKey key;
        try {
            key = BackupDecryptionKey.parse(decryptionKey);
        } catch (InvalidBackupKeyException e) {
            throw RefusalException.invalidInput("decryption_key: " + e.getMessage());
        }
        byte[] macKey = BackupMac2.macKey(key);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode rooms = body.putObject("rooms");
        Set<String> missing = new LinkedHashSet<>(selection.sessionIds());
        int count = 0;
        Page<SessionRow> page;
        int number = 0;
        do {
            page = sessions.findAll(PageRequest.of(number++, PAGE, Sort.by("position")));
            for (SessionRow row : page) {
                if (row.isDiscarded() || !selection.includes(row)) {
                    continue;
                }
                Optional<JsonNode> exported = exportedKey(row);
                if (exported.isEmpty()) {
                    continue;
                }
                ObjectNode data = (ObjectNode) exported.get();
                // BackedUpSessionData has no room or session id: the map keys carry them.
                data.remove("room_id");
                data.remove("session_id");
                data.put(BackupMac2.UNSTABLE_AUTHENTICATED, !row.isLegacy());
                ObjectNode entry = JsonNodeFactory.instance.objectNode();
                entry.put("first_message_index", row.getFirstKnownIndex());
                entry.put("forwarded_count", row.isImported() ? 1 : 0);
                entry.put("is_verified", false);
                entry.set("session_data", BackupMac2.sign(BackupCipher.encrypt(data.toString(), key.publicKey(), random),
                        macKey));
                JsonNode room = rooms.get(row.getRoomId());
                ObjectNode roomSessions = room == null ? rooms.putObject(row.getRoomId()).putObject("sessions")
                        : (ObjectNode) room.get("sessions");
                roomSessions.set(row.getSessionId(), entry);
                missing.remove(row.getSessionId());
                count++;
            }
        } while (page.hasNext());
        if (!missing.isEmpty()) {
            throw new RefusalException(RefusalCode.UNKNOWN_SESSION, "no session " + String.join(", ", missing)
                    + " to back up (unknown, discarded, or its stored key shredded)");
        }
        log.info("wrote a key backup of {} sessions (with MSC4048 mac2)", count);
        return new WrittenBackup(body, count);
    }

    private static Optional<Ed25519PublicKey> claimedEd25519(SessionRow row) {
        try {
            return Optional.ofNullable(row.getClaimedEd25519()).map(Ed25519PublicKey::parse);
        } catch (CryptoInputException e) {
            return Optional.empty();
        }
    }

    private static List<Curve25519PublicKey> chain(SessionRow row) {
        List<Curve25519PublicKey> out = new ArrayList<>();
        if (row.getForwardingChainJson() != null) {
            for (JsonNode key : JsonText.parse(row.getForwardingChainJson())) {
                out.add(Curve25519PublicKey.parse(key.asText()));
            }
        }
        return out;
    }

    /** Convenience for interfaces: null or empty collections mean "no restriction". */
    public static Selection selection(Collection<String> roomIds, Collection<String> sessionIds) {
        return new Selection(roomIds == null ? Set.of() : Set.copyOf(roomIds),
                sessionIds == null ? Set.of() : Set.copyOf(sessionIds));
    }
}
