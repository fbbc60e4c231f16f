package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionException;
import io.keytrail.crypto.backup.BackupDecryptionKey;

/**
 * A {@code GET /room_keys/keys} body cut into smaller bodies of the same shape, each with at most
 * {@code batchSize} sessions, so that {@link KeyBackupRestore} never holds all decrypted sessions at once.
 */
final class BackupBatches implements Iterable<JsonNode> {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final JsonNode rooms;
    private final int batchSize;

    private BackupBatches(JsonNode rooms, int batchSize) {
        this.rooms = rooms;
        this.batchSize = batchSize;
    }

    static BackupBatches of(JsonNode body, int batchSize) {
        JsonNode rooms = body == null ? null : body.get("rooms");
        if (rooms == null || !rooms.isObject()) {
            throw RefusalException.invalidInput("body must be a GET /room_keys/keys response: {\"rooms\": {room id:"
                    + " {\"sessions\": {session id: KeyBackupData}}}}");
        }
        return new BackupBatches(rooms, batchSize);
    }

    /** Sessions in the body; a room entry too malformed to list sessions counts as one. */
    long sessionCount() {
        long count = 0;
        for (JsonNode room : rooms) {
            JsonNode sessions = room.path("sessions");
            count += sessions.isObject() ? sessions.size() : 1;
        }
        return count;
    }

    /**
     * A wrong key is a problem of the whole input, not of each session: with it every session fails the
     * MAC check. Sessions are tried until one decrypts (normally the first); if none does and at least
     * one failed the MAC check, the key is not this backup's.
     */
    void requireKeyOpens(BackupDecryptionKey key) {
        int badMac = 0;
        for (JsonNode room : rooms) {
            for (JsonNode data : room.path("sessions")) {
                JsonNode sessionData = data.path("session_data");
                if (!sessionData.isObject()) {
                    continue;
                }
                try {
                    BackupCipher.decrypt(sessionData, key);
                    return;
                } catch (BackupDecryptionException e) {
                    if (e.reason() == BackupDecryptionException.Reason.BAD_MAC) {
                        badMac++;
                    }
                }
            }
        }
        if (badMac > 0) {
            throw new RefusalException(RefusalCode.BAD_MAC, "The decryption key does not open this key backup: none"
                    + " of its sessions decrypts (" + badMac + " failed the MAC check). Check that the recovery key"
                    + " belongs to this account's current backup version.");
        }
    }

    /** The error code of design section 10 for a session that could not be restored. */
    static RefusalCode codeOf(KeyBackupRestore.Failure failure) {
        return failure == KeyBackupRestore.Failure.BAD_MAC ? RefusalCode.BAD_MAC : RefusalCode.INVALID_INPUT;
    }

    @Override
    public Iterator<JsonNode> iterator() {
        Iterator<Map.Entry<String, JsonNode>> roomIt = rooms.fields();
        return new Iterator<>() {
            private Map.Entry<String, JsonNode> room;
            private Iterator<Map.Entry<String, JsonNode>> sessionIt;

            @Override
            public boolean hasNext() {
                return roomIt.hasNext() || (sessionIt != null && sessionIt.hasNext());
            }

            @Override
            public JsonNode next() {
                ObjectNode body = JSON.objectNode();
                ObjectNode batchRooms = body.putObject("rooms");
                int size = 0;
                while (size < batchSize && hasNext()) {
                    if (sessionIt == null || !sessionIt.hasNext()) {
                        room = roomIt.next();
                        JsonNode sessions = room.getValue().path("sessions");
                        if (!sessions.isObject()) {
                            // passed on whole, so that the restore reports the malformed room entry
                            batchRooms.set(room.getKey(), room.getValue());
                            sessionIt = null;
                            size++;
                            continue;
                        }
                        sessionIt = sessions.fields();
                        continue;
                    }
                    Map.Entry<String, JsonNode> session = sessionIt.next();
                    JsonNode target = batchRooms.get(room.getKey());
                    ObjectNode sessions = target == null
                            ? batchRooms.putObject(room.getKey()).putObject("sessions")
                            : (ObjectNode) target.get("sessions");
                    sessions.set(session.getKey(), session.getValue());
                    size++;
                }
                return body;
            }
        };
    }
}
