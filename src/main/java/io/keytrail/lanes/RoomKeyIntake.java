package io.keytrail.lanes;

import io.keytrail.directory.SessionView;
import io.keytrail.directory.SessionViews;
import io.keytrail.directory.UserLocks;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.session.Commands;
import io.keytrail.trust.SenderData;

import java.util.Optional;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmException;
import io.keytrail.crypto.megolm.SessionKey;
import io.keytrail.directory.Directory;
import io.keytrail.directory.SessionRow;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.PayloadRejectedException;
import io.keytrail.matrix.RoomKeyPayload;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.ReceiveOutcome;
import io.keytrail.session.RoomKeyRefusedException;
import io.keytrail.session.SessionCommands.ReceiveSession;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionRef;

/**
 * The fast lane (design section 3): validates an {@code m.room_key} Olm payload, gathers the local
 * evidence and lets the session aggregate decide. Only store reads and writes; never the network.
 */
@Component
public class RoomKeyIntake {
    private final EventGateway events;
    private final Directory directory;
    private final UserLocks locks;
    private final Commands dispatch;

    public RoomKeyIntake(CommandGateway commands, EventGateway events, Directory directory, UserLocks locks) {
        this.events = events;
        this.directory = directory;
        this.locks = locks;
        this.dispatch = new Commands(commands);
    }

    /**
     * @param sender    the to-device event's {@code sender}
     * @param senderKey the Olm session's curve25519 key (unpadded base64)
     * @param plaintext the decrypted Olm payload
     */
    public SessionView receive(String sender, String senderKey, JsonNode plaintext, Optional<OwnDevice> ownDevice) {
        if (sender == null || senderKey == null || plaintext == null) {
            throw RefusalException.invalidInput("a room key needs sender, sender_key and plaintext");
        }
        Curve25519PublicKey olmKey;
        try {
            olmKey = Curve25519PublicKey.parse(senderKey);
        } catch (CryptoInputException e) {
            throw RefusalException.invalidInput("sender_key: " + e.getMessage());
        }
        RoomKeyPayload payload;
        try {
            payload = RoomKeyPayload.parse(plaintext, sender, olmKey, ownDevice);
        } catch (PayloadRejectedException e) {
            throw new RefusalException(RefusalCode.of(e.reason()), e.getMessage());
        }
        InboundGroupSession session = sessionFrom(payload);
        try {
            // One unit of work (ADR 0009): the decision reads the device list under the sender's lock,
            // on this node and on every node that shares the store.
            return locks.withUser(payload.sender(), () -> decide(payload, session, olmKey));
        } catch (Refused refused) {
            // Recorded after the refused unit rolled back, in a unit of its own, so that it is kept.
            RoomKeyRefusedException e = refused.cause;
            ReceiveSession command = refused.command;
            events.publish(new RoomKeyRefused(payload.roomId(), payload.sessionId(), payload.sender(),
                    command.senderKey(), e.code(), e.getMessage(), command.evidence()));
            throw new RefusalException(e.code(), e.getMessage());
        }
    }

    /** The aggregate refused the room key; carries what the refusal record needs out of the unit. */
    private static final class Refused extends RuntimeException {
        private final transient RoomKeyRefusedException cause;
        private final transient ReceiveSession command;

        Refused(RoomKeyRefusedException cause, ReceiveSession command) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
            this.command = command;
        }
    }

    /** Reads the evidence and lets the aggregate decide, while no keys change for this sender. */
    private SessionView decide(RoomKeyPayload payload, InboundGroupSession session, Curve25519PublicKey olmKey) {
        String creatorKey = olmKey.toBase64();
        SessionRef ref = new SessionRef(payload.roomId(), payload.sessionId());
        DecisionEvidence evidence = directory.evidenceFor(payload.sender(), creatorKey);
        var senderDeviceKeys = payload.senderDeviceKeys().map(k -> k.json()).orElse(null);
        ReceiveSession command = new ReceiveSession(ref.aggregateId(), payload.roomId(), payload.sessionId(),
                payload.sender(), creatorKey, payload.claimedEd25519().toBase64(), payload.sharedHistory(),
                session.firstKnownIndex(), session.exportAtFirstKnownIndex().toBase64(), senderDeviceKeys,
                evidence.withSenderDeviceKeys(senderDeviceKeys));
        ReceiveOutcome outcome;
        try {
            outcome = dispatch.send(command);
        } catch (RoomKeyRefusedException e) {
            throw new Refused(e, command);
        }
        if (outcome != null && outcome.refused()) {
            throw new RefusalException(outcome.refusedCode(), outcome.detail());
        }
        // A discard (tampering found by the decision, or a copy of a session discarded earlier) is the
        // aggregate's answer, with its evidence; the room key is refused to the caller either way.
        SessionRow row = directory.session(payload.roomId(), payload.sessionId()).orElseThrow();
        if (row.isDiscarded()) {
            throw new RefusalException(RefusalCode.SESSION_DISCARDED,
                    "the session was discarded on arrival: its sender's keys show evidence of tampering");
        }
        return SessionViews.of(row);
    }

    private static InboundGroupSession sessionFrom(RoomKeyPayload payload) {
        SessionKey key;
        try {
            key = SessionKey.parse(payload.sessionKey());
        } catch (CryptoInputException e) {
            throw new RefusalException(RefusalCode.INVALID_SESSION_KEY, "session_key: " + e.getMessage());
        }
        InboundGroupSession session = InboundGroupSession.fromSessionKey(key);
        if (!session.sessionId().equals(payload.sessionId())) {
            throw new RefusalException(RefusalCode.INVALID_SESSION_KEY, "session_id " + payload.sessionId()
                    + " is not the public key embedded in session_key (" + session.sessionId() + ")");
        }
        return session;
    }
}
