package io.keytrail.imports;

import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionException;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.BackupMac2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.matrix.ExportedRoomKey;
import io.keytrail.matrix.MatrixFormatException;

/**
 * Restores sessions from a {@code GET /room_keys/keys} response body,
 * {@code {"rooms": {roomId: {"sessions": {sessionId: KeyBackupData}}}}}, one result per session
 * in the order of the response. A session that fails never stops the others.
 *
 * <p>Restored sessions are unauthenticated: whoever knows the backup's public key (the homeserver
 * included) can write entries, so their sender fields are claims (matrix-spec reference §6.4).
 * Check the key with {@link BackupDecryptionKey#requireMatches} first: with a wrong key every
 * session fails with {@link Failure#BAD_MAC}.
 */
public final class KeyBackupRestore {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Why one backed-up session was not restored. */
    public enum Failure {
        /** The room or {@code KeyBackupData} entry does not have the spec's shape. */
        MALFORMED_ENTRY,
        /** {@code session_data} lacks a field or has bad base64. */
        MALFORMED_SESSION_DATA,
        /** Encrypted for another backup key. */
        BAD_MAC,
        /** The ciphertext does not decrypt. */
        DECRYPTION_FAILED,
        /** The plaintext is not a JSON object. */
        INVALID_JSON,
        /** The plaintext is JSON but not a usable room key (the message names the field). */
        INVALID_SESSION
    }

    /** The outcome for one session (or, for a malformed room entry, one room). */
    public sealed interface Result permits Restored, Failed {
        String roomId();
    }

    /**
     * A decrypted session; the three numbers are the server's metadata, not authenticated.
     *
     * @param mac2 what the entry's MSC4048 {@code mac2} says ({@link BackupMac2}): only a
     *             {@link BackupMac2.Check#VALID} entry was written by a holder of the backup key
     */
    public record Restored(String roomId, String sessionId, long firstMessageIndex, long forwardedCount,
            boolean isVerified, ExportedRoomKey key, BackupMac2.Check mac2) implements Result {
        public Restored {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(mac2, "mac2");
        }
    }

    /** @param sessionId empty when the whole room entry is malformed and no session could be named */
    public record Failed(String roomId, Optional<String> sessionId, Failure failure, String message)
            implements Result {
    }

    private KeyBackupRestore() {
    }

    /**
     * Decrypts every session in the response. Throws {@link MatrixFormatException} only when the body
     * itself is not an object with a {@code rooms} object.
     */
    public static List<Result> restore(JsonNode getRoomKeysResponseBody, BackupDecryptionKey key) {
        JsonNode rooms = getRoomKeysResponseBody == null ? null : getRoomKeysResponseBody.get("rooms");
        if (rooms == null || !rooms.isObject()) {
            throw new MatrixFormatException("rooms: a GET /room_keys/keys response must have a \"rooms\" object");
        }
        List<Result> results = new ArrayList<>();
        byte[] macKey = BackupMac2.macKey(key);
        for (Iterator<Map.Entry<String, JsonNode>> it = rooms.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> room = it.next();
            JsonNode sessions = room.getValue().path("sessions");
            if (!sessions.isObject()) {
                results.add(new Failed(room.getKey(), Optional.empty(), Failure.MALFORMED_ENTRY,
                        "rooms[" + room.getKey() + "]: must be an object with a \"sessions\" object"));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> s = sessions.fields(); s.hasNext();) {
                Map.Entry<String, JsonNode> session = s.next();
                results.add(restoreOne(room.getKey(), session.getKey(), session.getValue(), key, macKey));
            }
        }
        return results;
    }

    private static Result restoreOne(String roomId, String sessionId, JsonNode keyBackupData, BackupDecryptionKey key,
                                     byte[] macKey) {
        try {
            if (!keyBackupData.isObject()) {
                throw new EntryException(Failure.MALFORMED_ENTRY, "KeyBackupData must be a JSON object");
            }
            long firstMessageIndex = count(keyBackupData, "first_message_index");
            long forwardedCount = count(keyBackupData, "forwarded_count");
            JsonNode verified = keyBackupData.get("is_verified");
            if (verified == null || !verified.isBoolean()) {
                throw new EntryException(Failure.MALFORMED_ENTRY, "is_verified: must be true or false");
            }
            String json = decrypt(keyBackupData.get("session_data"), key);
            JsonNode plaintext;
            try {
                plaintext = MAPPER.readTree(json);
            } catch (JsonProcessingException e) {
                throw new EntryException(Failure.INVALID_JSON, "the decrypted session is not valid JSON: "
                        + e.getOriginalMessage());
            }
            if (plaintext == null || !plaintext.isObject()) {
                throw new EntryException(Failure.INVALID_JSON, "the decrypted session is not a JSON object");
            }
            ExportedRoomKey roomKey;
            try {
                roomKey = ExportedRoomKey.parseBackedUp(plaintext, roomId, sessionId);
            } catch (MatrixFormatException e) {
                throw new EntryException(Failure.INVALID_SESSION, e.getMessage());
            }
            BackupMac2.Check mac2 = BackupMac2.check(keyBackupData.get("session_data"), macKey);
            return new Restored(roomId, sessionId, firstMessageIndex, forwardedCount, verified.booleanValue(), roomKey,
                    mac2);
        } catch (EntryException e) {
            return new Failed(roomId, Optional.of(sessionId), e.failure, e.getMessage());
        }
    }

    private static String decrypt(JsonNode sessionData, BackupDecryptionKey key) {
        try {
            return BackupCipher.decrypt(sessionData, key);
        } catch (BackupDecryptionException e) {
            Failure failure = switch (e.reason()) {
                case MALFORMED_SESSION_DATA -> Failure.MALFORMED_SESSION_DATA;
                case BAD_MAC -> Failure.BAD_MAC;
                case DECRYPTION_FAILED -> Failure.DECRYPTION_FAILED;
                case INVALID_UTF8 -> Failure.INVALID_JSON;
            };
            throw new EntryException(failure, e.getMessage());
        }
    }

    private static long count(JsonNode keyBackupData, String field) {
        JsonNode value = keyBackupData.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new EntryException(Failure.MALFORMED_ENTRY, field + ": must be a non-negative integer");
        }
        return value.longValue();
    }

    /** Carries a failure out of the steps of {@link #restoreOne}; never escapes this class. */
    private static final class EntryException extends RuntimeException {
        private final Failure failure;

        EntryException(Failure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }
    }
}
