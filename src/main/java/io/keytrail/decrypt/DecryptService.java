package io.keytrail.decrypt;

import io.keytrail.directory.JsonText;
import io.keytrail.directory.SessionLookup;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.Bounds;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.megolm.DecryptedMessage;
import io.keytrail.crypto.megolm.ExportedSessionKey;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmException;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataJson;
import io.keytrail.trust.TrustPolicy;
import io.keytrail.trust.VerificationJson;
import io.keytrail.trust.VerificationLevel;
import io.keytrail.trust.VerificationState;
import io.keytrail.trust.VerificationStates;

import java.util.Locale;

/**
 * Decrypts {@code m.room.encrypted} Megolm events under a policy (design section 7): find the session
 * by room and session id only, decrypt and authenticate, map the sender data to a verification
 * state (MismatchedSender first) and let the policy decide whether the plaintext is shown.
 *
 * <p>Replay protection (Matrix spec, Megolm): the first event that decrypts a message index owns it;
 * the same index under another {@code event_id} is refused ({@code INVALID_INPUT}, design section 10
 * has no dedicated code), the same event may be decrypted again. An event without {@code event_id}
 * cannot be told apart from another and is decrypted without being remembered.
 *
 * <p>Per event: one plain read of the session's row (never cached: a discard shows at once), the opened
 * session from {@link OpenedSessions} when the row still holds what it was opened from, and the replay
 * claim through {@link MessageIndexLedger}'s group commit. No lock is held across any of it.
 */
@Component
public class DecryptService {
    private static final String MEGOLM = "m.megolm.v1.aes-sha2";
    private final ObjectMapper mapper = new ObjectMapper();
    /** Opened sessions kept: at a few KB each, a few MB; enough for every session of a busy account's rooms. */
    static final int OPENED_SESSIONS = 4_096;
    private final SessionLookup sessions;
    private final SessionKeyVault vault;
    private final MessageIndexLedger ledger;
    private volatile DecryptObserver observer = DecryptObserver.NONE;
    private final OpenedSessions openedSessions = new OpenedSessions(OPENED_SESSIONS);

    public DecryptService(SessionLookup sessions, SessionKeyVault vault, MessageIndexLedger ledger) {
        this.sessions = sessions;
        this.vault = vault;
        this.ledger = ledger;
    }

    public record Decrypted(ObjectNode plaintext, JsonNode verificationState, String senderDevice) {
    }

    /** Operations' observer of decryptions (metrics, ADR 0015); none by default. */
    @Autowired(required = false)
    public void setObserver(DecryptObserver observer) {
        this.observer = observer;
    }

    public Decrypted decrypt(String roomId, TrustPolicy policy, JsonNode event) {
        String outcome = "internal_error";
        try {
            Decrypted decrypted = decryptUnobserved(roomId, policy, event);
            outcome = "shown";
            return decrypted;
        } catch (RefusalException e) {
            outcome = e.code() == RefusalCode.SENDER_IDENTITY_NOT_TRUSTED ? "withheld"
                    : e.code().name().toLowerCase(Locale.ROOT);
            throw e;
        } finally {
            observer.decrypted(policy, outcome);
        }
    }

    private Decrypted decryptUnobserved(String roomId, TrustPolicy policy, JsonNode event) {
        if (roomId == null || roomId.isEmpty()) {
            throw RefusalException.invalidInput("decrypt needs the room_id the event arrived in");
        }
        requireIdSized(roomId, "room_id");
        if (event == null || !event.isObject()) {
            throw RefusalException.invalidInput("event must be an m.room.encrypted event object");
        }
        if (event.has("type") && !"m.room.encrypted".equals(event.path("type").textValue())) {
            throw RefusalException.invalidInput("event type is " + Bounds.shorten(event.path("type").toString())
                    + ", not m.room.encrypted");
        }
        if (event.has("room_id") && !roomId.equals(event.path("room_id").textValue())) {
            throw RefusalException.invalidInput("the event's room_id " + Bounds.shorten(event.path("room_id").toString())
                    + " differs from the room it arrived in (" + roomId + ")");
        }
        String sender = requireIdSized(requiredText(event, "sender", "event.sender"), "event.sender");
        String eventId = event.has("event_id")
                ? requireIdSized(requiredText(event, "event_id", "event.event_id"), "event.event_id") : null;
        JsonNode content = event.path("content");
        if (!MEGOLM.equals(content.path("algorithm").textValue())) {
            throw RefusalException.invalidInput("content.algorithm must be " + MEGOLM);
        }
        String sessionId = requireIdSized(requiredText(content, "session_id", "content.session_id"), "content.session_id");
        String ciphertext = requiredText(content, "ciphertext", "content.ciphertext");

        SessionLookup.Current row = sessions.current(roomId, sessionId).orElseThrow(() -> new RefusalException(
                RefusalCode.UNKNOWN_SESSION, "no session " + sessionId + " in " + roomId));
        if (row.forgotten()) {
            throw new RefusalException(RefusalCode.SESSION_FORGOTTEN,
                    "session " + sessionId + " was forgotten: its keys were destroyed on purpose and its messages "
                            + "can never be decrypted again (its trail remains)");
        }
        if (row.discarded()) {
            throw new RefusalException(RefusalCode.SESSION_DISCARDED,
                    "session " + sessionId + " was discarded (evidence of tampering); its messages are not shown");
        }
        OpenedSessions.Opened opened = openedSessions.get(row.aggregateId(), row.sealedSessionKey(), row.senderDataJson(),
                vault.keyId(), () -> open(row));
        DecryptedMessage message = decryptOrFail(opened.session(), ciphertext);
        ObjectNode plaintext = plaintextOf(message);
        if (plaintext.has("room_id") && !roomId.equals(plaintext.path("room_id").textValue())) {
            throw RefusalException.invalidInput("the decrypted payload names room "
                    + Bounds.shorten(plaintext.path("room_id").toString()) + ", but the event arrived in " + roomId + " (replayed into another room?)");
        }
        if (eventId != null) {
            String owner = ledger.claim(row.aggregateId(), message.messageIndex(), eventId);
            if (!owner.equals(eventId)) {
                throw RefusalException.invalidInput("replayed message: index " + message.messageIndex() + " of session "
                        + sessionId + " was already decrypted for event " + owner + ", not " + eventId);
            }
        }
        SenderData senderData = opened.senderData();
        VerificationStates.Result result = VerificationStates.of(senderData, row.imported(), sender);
        if (!policy.allows(result.state(), senderData.legacySession())) {
            VerificationLevel level = ((VerificationState.Unverified) result.state()).level();
            JsonNode levelJson = VerificationJson.write(level);
            throw new RefusalException(RefusalCode.SENDER_IDENTITY_NOT_TRUSTED, "policy " + policy
                    + " withholds this message: the sender's verification level is "
                    + (levelJson.isTextual() ? levelJson.textValue() : levelJson.toString()), levelJson);
        }
        return new Decrypted(plaintext, VerificationJson.write(result.state()), result.senderDevice().orElse(null));
    }

    /** Unseals and parses a session: what {@link OpenedSessions} spares the next message of the session. */
    private OpenedSessions.Opened open(SessionLookup.Current row) {
        InboundGroupSession session = InboundGroupSession.fromExport(
                ExportedSessionKey.parse(vault.open(row.sealedSessionKey(), row.aggregateId())));
        return new OpenedSessions.Opened(row.sealedSessionKey(), row.senderDataJson(), vault.keyId(), session,
                SenderDataJson.read(JsonText.parse(row.senderDataJson())));
    }

    /** Forgets every opened session (for an operation that rotates or destroys the sealing key in place). */
    public void forgetOpenedSessions() {
        openedSessions.clear();
    }

    private static DecryptedMessage decryptOrFail(InboundGroupSession session, String ciphertext) {
        try {
            return session.decrypt(ciphertext);
        } catch (MegolmException e) {
            RefusalCode code = switch (e.reason()) {
                case UNKNOWN_MESSAGE_INDEX -> RefusalCode.UNKNOWN_MESSAGE_INDEX;
                case BAD_MAC -> RefusalCode.BAD_MAC;
                case BAD_SIGNATURE -> RefusalCode.BAD_SIGNATURE;
                default -> RefusalCode.INVALID_INPUT;
            };
            throw new RefusalException(code, e.getMessage());
        } catch (CryptoInputException e) {
            throw RefusalException.invalidInput("content.ciphertext: " + e.getMessage());
        }
    }

    private ObjectNode plaintextOf(DecryptedMessage message) {
        try {
            JsonNode node = mapper.readTree(message.utf8());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException | MegolmException e) {
            throw RefusalException.invalidInput("the decrypted payload is not a JSON object: " + e.getMessage());
        }
        throw RefusalException.invalidInput("the decrypted payload is not a JSON object");
    }

    private static String requiredText(JsonNode node, String field, String name) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw RefusalException.invalidInput(name + " is required and must be a string");
        }
        return value.textValue();
    }

    /** Room, user, event and device ids are at most 255 bytes (design section 11); checked before any lookup or message uses them. */
    private static String requireIdSized(String value, String name) {
        if (!Bounds.isIdSized(value)) {
            throw RefusalException.invalidInput(name + " is longer than " + Bounds.MAX_ID_BYTES + " bytes, the Matrix limit for ids");
        }
        return value;
    }
}
