package io.keytrail.api;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.directory.Directory;
import io.keytrail.decrypt.DecryptService;
import io.keytrail.decrypt.DecryptService.Decrypted;
import io.keytrail.imports.ImportIntake;
import io.keytrail.imports.ImportProgress;
import io.keytrail.imports.ImportResult;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.KeyExportService;
import io.keytrail.redecision.KeysIntake;
import io.keytrail.redecision.KeysIntake.KeysResult;
import io.keytrail.lanes.RoomKeyIntake;
import io.keytrail.directory.SessionView;
import io.keytrail.directory.SessionViews;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.trust.TrustPolicy;

/**
 * The Java facade for services that embed Keytrail: the same operations as a recording or the HTTP
 * API, with typed results. Refusals throw {@link RefusalException} carrying the design's error code.
 */
@Component
public class Keytrail {
    private final RoomKeyIntake roomKeys;
    private final KeysIntake keys;
    private final DecryptService decryption;
    private final Directory directory;
    private final InputProcessor processor;
    private final ImportIntake imports;
    private final KeyExportService exports;

    public Keytrail(RoomKeyIntake roomKeys, KeysIntake keys, DecryptService decryption, Directory directory,
                    InputProcessor processor, ImportIntake imports, KeyExportService exports) {
        this.roomKeys = roomKeys;
        this.keys = keys;
        this.decryption = decryption;
        this.directory = directory;
        this.processor = processor;
        this.imports = imports;
        this.exports = exports;
    }

    /** A decrypted {@code m.room_key} Olm payload and the Olm session's curve25519 key: decided at once. */
    public SessionView receiveRoomKey(String sender, String senderKey, JsonNode plaintext,
                                      Optional<OwnDevice> ownDevice) {
        return roomKeys.receive(sender, senderKey, plaintext, ownDevice);
    }

    /**
     * The room keys of one sync, decided together and written in one unit of work (ADR 0017); one
     * result per key, in order: its session, or the refusal (or failure) that {@link #receiveRoomKey}
     * would have thrown for it alone.
     */
    public List<RoomKeyIntake.Received> receiveRoomKeys(List<RoomKeyIntake.RoomKeyInput> keys,
                                                        Optional<OwnDevice> ownDevice) {
        return roomKeys.receiveAll(keys, ownDevice);
    }

    /** A {@code /keys/query} response body; affected sessions are re-decided. */
    public KeysResult recordKeysQuery(JsonNode body) {
        return keys.recordKeysQuery(body);
    }

    public KeysResult verifyMasterKey(String userId, String masterKey) {
        return keys.verifyMasterKey(userId, masterKey);
    }

    public KeysResult withdrawVerification(String userId) {
        return keys.withdrawVerification(userId);
    }

    public Decrypted decrypt(String roomId, TrustPolicy policy, JsonNode event) {
        return decryption.decrypt(roomId, policy, event);
    }

    /**
     * The encrypted events of one sync, decrypted together (ADR 0021): each session read once, Megolm
     * decryption on every core, the replay claims of up to {@link DecryptService#MAX_TOGETHER} events in
     * one commit. One outcome per event, in order: what {@link #decrypt} would have answered or thrown
     * for it alone, after the events before it; one bad event never fails the others.
     */
    public List<DecryptService.Outcome> decryptAll(List<DecryptService.Request> events) {
        return decryption.decryptAll(events);
    }

    /**
     * The decrypted JSON array of a key export (or of restored backup sessions). Every session is a
     * legacy import; one bad session never fails the others.
     */
    public ImportResult importRoomKeys(JsonNode keys, ImportProgress progress) {
        return imports.importRoomKeys(keys, progress);
    }

    /** An encrypted key export file ({@code -----BEGIN MEGOLM SESSION DATA-----}) and its passphrase. */
    public ImportResult importKeyExport(String passphrase, String file, ImportProgress progress) {
        return imports.importKeyExport(passphrase, file, progress);
    }

    /**
     * A server-side key backup: the recovery key (base58, spaces allowed) or base64 private key, and the
     * {@code GET /room_keys/keys} response body.
     */
    public ImportResult importBackup(String decryptionKey, JsonNode body, ImportProgress progress) {
        return imports.importBackup(decryptionKey, body, progress);
    }

    /**
     * A decrypted {@code m.forwarded_room_key} Olm payload and the forwarder's Olm curve25519 key. Accepted
     * only from one of our own devices that our own identity cross-signs, so {@code ownDevice} must say who
     * we are; otherwise refused with {@code FORWARD_NOT_FROM_OWN_DEVICE} and nothing is stored (ADR 0018).
     */
    public ImportResult receiveForwardedRoomKey(String sender, String senderKey, JsonNode plaintext,
                                                Optional<OwnDevice> ownDevice) {
        return imports.importForwardedRoomKey(sender, senderKey, plaintext, ownDevice);
    }

    /**
     * A key export file of the chosen sessions that other Matrix clients can import.
     *
     * @param rounds PBKDF2 rounds, {@link io.keytrail.crypto.export.KeyExportFile#DEFAULT_ROUNDS} as other
     *               clients; between 100,000 and 10,000,000, else {@code INVALID_INPUT}
     */
    public KeyExportService.ExportedFile exportRoomKeys(String passphrase, KeyExportService.Selection selection,
                                                        int rounds) {
        return exports.export(passphrase, selection, ExportRequest.checkRounds(rounds));
    }

    /**
     * As {@link #exportRoomKeys(String, KeyExportService.Selection, int)}, written to {@code out} as it
     * goes: neither the sessions nor the file are ever all in memory, whatever the store's size.
     */
    public KeyExportService.Written exportRoomKeys(String passphrase, KeyExportService.Selection selection,
                                                   int rounds, java.io.OutputStream out) throws java.io.IOException {
        return exports.export(passphrase, selection, ExportRequest.checkRounds(rounds), out);
    }

    /**
     * A server-side key backup of the chosen sessions for the backup whose private key is
     * {@code decryptionKey} (recovery key or base64): the {@code PUT /room_keys/keys} body, each entry
     * with an MSC4048 {@code mac2} and our sender data, so a Keytrail restoring it keeps who sent each
     * session (ADR 0018). Secret-free: the body holds only ciphertext.
     */
    public KeyExportService.WrittenBackup writeBackup(String decryptionKey, KeyExportService.Selection selection) {
        return exports.backup(decryptionKey, selection);
    }

    public Optional<SessionView> session(String roomId, String sessionId) {
        return directory.session(roomId, sessionId).map(SessionViews::of);
    }

    /** Any input object of design section 10, answered with its result object. */
    public ObjectNode process(JsonNode input) {
        return processor.process(input);
    }
}
