package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.session.Commands;
import io.keytrail.session.ImportSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.InvalidBackupKeyException;
import io.keytrail.crypto.export.KeyExportException;
import io.keytrail.crypto.export.KeyExportFile;
import io.keytrail.directory.Directory;
import io.keytrail.directory.WriteUnits;
import io.keytrail.matrix.ExportedRoomKey;
import io.keytrail.matrix.ForwardedRoomKeyPayload;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.PayloadRejectedException;
import io.keytrail.session.BackupMacCheck;
import io.keytrail.session.ImportClaim;
import io.keytrail.directory.SessionChunks;
import io.keytrail.directory.UserLocks;
import io.keytrail.session.NewSessions;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.crypto.backup.BackupMac2;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Imports (design section 6): key export files, their decrypted JSON, key backups and forwarded room
 * keys. Nothing in them proves who created a session, so every session is imported as a legacy session
 * (claims kept as claims); a copy we hold already is merged by its aggregate without ever lowering its
 * trust. The sessions of a batch are stored together, a chunk per unit of work ({@link ImportWrites},
 * ADR 0020).
 *
 * <p>Problems with the whole input (wrong passphrase, not an export file, wrong backup key) are an
 * {@link RefusalException}; problems with one session are a {@link ImportResult.Failed} entry and never
 * stop the others. Big inputs are handled {@value #BATCH} sessions at a time: an export file's JSON is
 * streamed element by element and a backup body is restored batch by batch, so the parsed and
 * decrypted copies of all sessions never sit in memory together.
 */
@Component
public class ImportIntake {
    static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(ImportIntake.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Directory directory;
    private final ImportWrites writes;
    /** Sessions per batch and per unit of work: {@value #BATCH}, unless a test asked for fewer ({@link #withBatch}). */
    private final int batchSize;

    @Autowired
    public ImportIntake(CommandGateway gateway, Directory directory, WriteUnits units, UserLocks locks,
                        EventGateway events, NewSessions newSessions, SessionKeyVault vault) {
        this(directory, new ImportWrites(new Commands(gateway), directory, units, locks,
                new SessionChunks(locks, newSessions, events), vault, events), BATCH);
    }

    private ImportIntake(Directory directory, ImportWrites writes, int batchSize) {
        this.directory = directory;
        this.writes = writes;
        this.batchSize = batchSize;
    }

    /**
     * The same imports over the same engine, {@code batchSize} sessions per batch: a test crosses the batch
     * boundaries with a few dozen sessions instead of a thousand. The service always uses {@value #BATCH}.
     */
    ImportIntake withBatch(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch needs at least one session");
        }
        return new ImportIntake(directory, writes, batchSize);
    }

    /** {@code import_room_keys}: the decrypted JSON array of a key export. */
    public ImportResult importRoomKeys(JsonNode keys, ImportProgress progress) {
        if (keys == null || !keys.isArray()) {
            throw RefusalException.invalidInput("keys must be the JSON array of a decrypted key export");
        }
        Run run = new Run(ImportSource.ROOM_KEYS, keys.size(), progress);
        ArrayNode batch = MAPPER.createArrayNode();
        int start = 0;
        for (int i = 0; i < keys.size(); i++) {
            batch.add(keys.get(i));
            if (batch.size() == batchSize) {
                importElements(batch, start, run);
                start = i + 1;
                batch = MAPPER.createArrayNode();
            }
        }
        importElements(batch, start, run);
        return run.finish();
    }

    /** {@code import_key_export}: a passphrase-protected export file as other clients write it. */
    public ImportResult importKeyExport(String passphrase, String file, ImportProgress progress) {
        if (passphrase == null || passphrase.isEmpty()) {
            throw RefusalException.invalidInput("a key export import needs the passphrase the file was written with");
        }
        String json;
        try {
            json = KeyExportFile.decrypt(file, passphrase);
        } catch (KeyExportException e) {
            RefusalCode code = e.reason() == KeyExportException.Reason.BAD_PASSPHRASE
                    ? RefusalCode.BAD_PASSPHRASE : RefusalCode.INVALID_EXPORT;
            throw new RefusalException(code, e.getMessage());
        }
        // First pass: the whole payload is a well-formed array (nothing is imported from a broken file)
        // and we learn its size for progress. Second pass: import, one batch at a time.
        Run run = new Run(ImportSource.KEY_EXPORT, countElements(json), progress);
        try (JsonParser parser = MAPPER.createParser(json)) {
            parser.nextToken();
            ArrayNode batch = MAPPER.createArrayNode();
            int start = 0;
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                batch.add((JsonNode) MAPPER.readTree(parser));
                index++;
                if (batch.size() == batchSize) {
                    importElements(batch, start, run);
                    start = index;
                    batch = MAPPER.createArrayNode();
                }
            }
            importElements(batch, start, run);
        } catch (IOException e) {
            throw new IllegalStateException("the export payload changed between two reads", e);
        }
        return run.finish();
    }

    private static int countElements(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new RefusalException(RefusalCode.INVALID_EXPORT, "The key export file decrypted, but it does"
                        + " not hold a JSON array of room keys. It is not a Matrix key export.");
            }
            int count = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                parser.skipChildren();
                count++;
            }
            if (parser.nextToken() != null) {
                throw new RefusalException(RefusalCode.INVALID_EXPORT,
                        "The key export file decrypted, but there is data after its array of room keys.");
            }
            return count;
        } catch (JsonProcessingException e) {
            throw new RefusalException(RefusalCode.INVALID_EXPORT, "The key export file decrypted, but its"
                    + " content is not valid JSON (" + e.getOriginalMessage() + ").");
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    /**
     * {@code import_backup}: the sessions of a {@code GET /room_keys/keys} response, decrypted with
     * the backup's private key (a recovery key or base64).
     */
    public ImportResult importBackup(String decryptionKey, JsonNode body, ImportProgress progress) {
        BackupDecryptionKey key;
        try {
            key = BackupDecryptionKey.parse(decryptionKey);
        } catch (InvalidBackupKeyException e) {
            throw RefusalException.invalidInput("decryption_key: " + e.getMessage());
        }
        BackupBatches backup = BackupBatches.of(body, batchSize);
        backup.requireKeyOpens(key);
        Run run = new Run(ImportSource.KEY_BACKUP, backup.sessionCount(), progress);
        for (JsonNode batch : backup) {
            List<Object> entries = new ArrayList<>();
            for (KeyBackupRestore.Result result : KeyBackupRestore.restore(batch, key)) {
                if (result instanceof KeyBackupRestore.Restored restored) {
                    entries.add(restoreOne(run.source, restored));
                } else {
                    KeyBackupRestore.Failed failed = (KeyBackupRestore.Failed) result;
                    entries.add(new ImportResult.Failed(failed.roomId(), failed.sessionId().orElse(null),
                            BackupBatches.codeOf(failed.failure()), failed.message()));
                }
            }
            run.addAll(writes.store(entries));
            run.batchDone();
        }
        return run.finish();
    }

    /**
     * One restored backup entry (ADR 0018). Its {@code mac2} verified, its writer marked it authenticated
     * and it names its owner and claimed ed25519: a holder of the backup key vouches for the creator keys,
     * so it is decided like a room key over Olm. Otherwise it is a legacy import, as before; a {@code mac2}
     * that does not verify is recorded with it and reported in the result.
     */
    private Object restoreOne(ImportSource source, KeyBackupRestore.Restored restored) {
        ExportedRoomKey k = restored.key();
        ObjectNode raw = k.raw();
        ImportClaim claim = SenderClaims.read(raw);
        BackupMacCheck mac = switch (restored.mac2()) {
            case ABSENT -> null;
            case VALID -> BackupMacCheck.MSC4048_MAC2_VALID;
            case INVALID -> BackupMacCheck.MSC4048_MAC2_INVALID;
        };
        if (mac == BackupMacCheck.MSC4048_MAC2_INVALID) {
            log.warn("backup entry for session {} of {}: its mac2 does not verify (altered, or not written with"
                    + " the backup key); restored as a legacy session", k.sessionId(), k.roomId());
        }
        String owner = claim == null ? null : claim.userId();
        if (mac == BackupMacCheck.MSC4048_MAC2_VALID && BackupMac2.claimsAuthenticated(raw) && owner != null
                && k.senderClaimedEd25519().isPresent() && k.forwardingCurve25519KeyChain().isEmpty()) {
            return ImportWrites.authenticated(k.roomId(), k.sessionId(), owner, k.senderKey().toBase64(),
                    k.senderClaimedEd25519().orElseThrow().toBase64(), k.sharedHistory(), k.sessionKey(), claim);
        }
        return ImportWrites.legacy(source, k.roomId(), k.sessionId(), k.senderKey().toBase64(),
                k.senderClaimedEd25519().map(e -> e.toBase64()).orElse(null),
                k.forwardingCurve25519KeyChain().stream().map(Curve25519PublicKey::toBase64).toList(),
                k.sharedHistory(), k.sessionKey(), claim, mac);
    }

    /**
     * {@code forwarded_room_key}: an Olm-decrypted {@code m.forwarded_room_key}. Olm authenticated only
     * the forwarder, so the session is an import; its forwarding chain is the payload's chain plus the
     * forwarder's curve25519 key.
     */
    public ImportResult importForwardedRoomKey(String sender, String senderKey, JsonNode plaintext,
                                               Optional<OwnDevice> ownDevice) {
        if (sender == null || senderKey == null || plaintext == null) {
            throw RefusalException.invalidInput("a forwarded room key needs sender, sender_key and plaintext");
        }
        Curve25519PublicKey forwarderKey;
        try {
            forwarderKey = Curve25519PublicKey.parse(senderKey);
        } catch (CryptoInputException e) {
            throw RefusalException.invalidInput("sender_key: " + e.getMessage());
        }
        ForwardedRoomKeyPayload payload;
        try {
            payload = ForwardedRoomKeyPayload.parse(plaintext, sender, forwarderKey, ownDevice);
        } catch (PayloadRejectedException e) {
            throw new RefusalException(RefusalCode.of(e.reason()), e.getMessage());
        }
        OwnDeviceForwards.requireOwnCrossSignedDevice(directory, payload, ownDevice);
        List<String> chain = new ArrayList<>();
        payload.forwardingChain().forEach(k -> chain.add(k.toBase64()));
        chain.add(payload.forwarderCurve25519().toBase64());
        Run run = new Run(ImportSource.FORWARDED, 1, ImportProgress.NONE);
        run.addAll(writes.store(List.of(ImportWrites.legacy(run.source, payload.roomId(), payload.sessionId(),
                payload.claimedSenderKey().toBase64(), payload.claimedSenderEd25519().toBase64(), chain,
                payload.sharedHistory(), payload.sessionKey(), null, null))));
        return run.finish();
    }

    /** Elements of an export array; {@code start} is the index of the batch's first element in the input. */
    private void importElements(ArrayNode batch, int start, Run run) {
        if (batch.isEmpty()) {
            return;
        }
        List<Object> entries = new ArrayList<>(batch.size());
        for (ExportedRoomKey.ArrayEntry entry : ExportedRoomKey.parseArray(batch)) {
            int index = start + entry.index();
            if (entry instanceof ExportedRoomKey.Parsed parsed) {
                ExportedRoomKey k = parsed.key();
                entries.add(ImportWrites.legacy(run.source, k.roomId(), k.sessionId(), k.senderKey().toBase64(),
                        k.senderClaimedEd25519().map(e -> e.toBase64()).orElse(null),
                        k.forwardingCurve25519KeyChain().stream().map(Curve25519PublicKey::toBase64).toList(),
                        k.sharedHistory(), k.sessionKey(), SenderClaims.read(k.raw()), null));
            } else {
                ExportedRoomKey.Rejected rejected = (ExportedRoomKey.Rejected) entry;
                JsonNode room = batch.get(entry.index()).path("room_id");
                entries.add(new ImportResult.Failed(room.isTextual() ? room.textValue() : null,
                        rejected.sessionId().orElse(null), RefusalCode.INVALID_INPUT,
                        "room key " + index + " (counting from 0): " + rejected.reason()));
            }
        }
        run.addAll(writes.store(entries));
        run.batchDone();
    }

    /** One import in progress: results, progress reports and the throughput log line. */
    private static final class Run {
        private final ImportSource source;
        private final long total;
        private final ImportProgress progress;
        private final long startNanos = System.nanoTime();
        private final List<ImportResult.Imported> imported = new ArrayList<>();
        private final List<ImportResult.Failed> failed = new ArrayList<>();

        Run(ImportSource source, long total, ImportProgress progress) {
            this.source = source;
            this.total = total;
            this.progress = progress == null ? ImportProgress.NONE : progress;
        }

        void add(ImportResult.Entry outcome) {
            if (outcome instanceof ImportResult.Imported i) {
                imported.add(i);
            } else if (outcome instanceof ImportResult.Failed f) {
                failed.add(f);
            }
        }

        void addAll(List<ImportResult.Entry> outcomes) {
            outcomes.forEach(this::add);
        }

        void batchDone() {
            progress.update(imported.size() + failed.size(), total);
        }

        ImportResult finish() {
            long done = imported.size() + failed.size();
            progress.update(done, total);
            double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
            log.info("import from {}: {} sessions imported, {} failed, in {} ms ({} sessions/s)", source,
                    imported.size(), failed.size(), Math.round(seconds * 1000), Math.round(done / seconds));
            return new ImportResult(imported, failed);
        }
    }
}
