package io.keytrail.lanes;

import io.keytrail.directory.SessionView;
import io.keytrail.directory.SessionViews;
import io.keytrail.directory.UserLocks;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.session.Commands;
import io.keytrail.trust.SenderData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;


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
import io.keytrail.directory.ParsedEvidence;
import io.keytrail.directory.SessionChunks;
import io.keytrail.session.MegolmSession;
import io.keytrail.session.NewSessions;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.session.SessionState;
import io.keytrail.trust.Decision;
import io.keytrail.trust.SenderDataChange;
import io.keytrail.trust.SenderDataFinder;

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
    private final SessionChunks chunks;
    private final SessionKeyVault vault;

    public RoomKeyIntake(CommandGateway commands, EventGateway events, Directory directory, UserLocks locks,
                         NewSessions newSessions, SessionKeyVault vault) {
        this.events = events;
        this.directory = directory;
        this.locks = locks;
        this.dispatch = new Commands(commands);
        this.chunks = new SessionChunks(locks, newSessions, events);
        this.vault = vault;
    }

    /** One room key of a batch: the to-device {@code sender}, the Olm sender key, the decrypted payload. */
    public record RoomKeyInput(String sender, String senderKey, JsonNode plaintext) {
    }

    /** What became of one room key of a batch: its session, or why not (a refusal, or another failure). */
    public record Received(SessionView view, RuntimeException failure) {
        static Received of(SessionView view) {
            return new Received(view, null);
        }

        static Received failed(RuntimeException failure) {
            return new Received(null, failure);
        }
    }

    /** A room key that passed the checks of its own (payload, session key), ready to be decided. */
    private record Checked(int index, RoomKeyPayload payload, InboundGroupSession session, Curve25519PublicKey olmKey) {
        String aggregateId() {
            return new SessionRef(payload.roomId(), payload.sessionId()).aggregateId();
        }
    }

    /**
     * @param sender    the to-device event's {@code sender}
     * @param senderKey the Olm session's curve25519 key (unpadded base64)
     * @param plaintext the decrypted Olm payload
     */
    public SessionView receive(String sender, String senderKey, JsonNode plaintext, Optional<OwnDevice> ownDevice) {
        Checked key = check(0, new RoomKeyInput(sender, senderKey, plaintext), ownDevice);
        return receiveChecked(key);
    }

    private SessionView receiveChecked(Checked key) {
        RoomKeyPayload payload = key.payload();
        try {
            // One unit of work (ADR 0009): the decision reads the device list under the sender's lock,
            // on this node and on every node that shares the store.
            return locks.withUser(payload.sender(), () -> decide(payload, key.session(), key.olmKey()));
        } catch (Refused refused) {
            // Recorded after the refused unit rolled back, in a unit of its own, so that it is kept.
            RoomKeyRefusedException e = refused.cause;
            events.publish(refusalRecord(payload, refused.command, e));
            throw new RefusalException(e.code(), e.getMessage());
        }
    }

    /**
     * A batch of room keys (a sync's keys, an HTTP array, a run of replay lines), decided together and
     * written together (ADR 0017): one unit of work, the senders locked once, and the sessions that have
     * no history yet decided here and appended in one call ({@link NewSessions}) instead of one command
     * round trip each. Sessions we already hold (re-receipts, merges) keep their aggregate. The results
     * are those that {@link #receive} would give for each key in order: a key that repeats a session of
     * the same batch starts a new unit after the earlier one is stored, so it is a re-receipt there too.
     * If the batch's unit fails for any reason other than a refusal, its keys are received one by one.
     */
    public List<Received> receiveAll(List<RoomKeyInput> keys, Optional<OwnDevice> ownDevice) {
        Received[] results = new Received[keys.size()];
        // The checks of each key on its own (payload, the session key's signature) touch no store and no
        // shared state: they run on every core; the decisions and writes that follow keep the keys' order.
        Object[] checked = IntStream.range(0, keys.size()).parallel().mapToObj(i -> {
            try {
                return check(i, keys.get(i), ownDevice);
            } catch (RuntimeException e) {
                return e;
            }
        }).toArray();
        List<Checked> valid = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (checked[i] instanceof Checked key) {
                valid.add(key);
            } else {
                results[i] = Received.failed((RuntimeException) checked[i]);
            }
        }
        List<Received> decided = chunks.decideAll(valid, Checked::aggregateId, key -> List.of(key.payload().sender()),
                this::decideChunk, this::receiveAlone,
                "room keys");
        for (int i = 0; i < valid.size(); i++) {
            results[valid.get(i).index()] = decided.get(i);
        }
        return Arrays.asList(results);
    }

    private Received receiveAlone(Checked key) {
        try {
            return Received.of(receiveChecked(key));
        } catch (RuntimeException failure) {
            return Received.failed(failure);
        }
    }

    /** Inside the chunk's unit, with every sender locked. */
    private List<Received> decideChunk(List<Checked> chunk, SessionChunks.Writes writes) {
        Map<String, Set<String>> senderKeys = new HashMap<>();
        chunk.stream().filter(key -> !writes.exists(key.aggregateId())).forEach(key -> senderKeys
                .computeIfAbsent(key.payload().sender(), u -> new HashSet<>()).add(key.olmKey().toBase64()));
        Map<String, ParsedEvidence> evidence = directory.parsedEvidenceFor(senderKeys);
        // The first copies are decided, their events built and their keys sealed on every core (ADR 0022):
        // each depends only on its own key and the evidence read above under the senders' locks, never
        // on another key of the run (a run holds each session once), and touches no store.
        List<Checked> fresh = chunk.stream().filter(key -> !writes.exists(key.aggregateId())).toList();
        Map<Integer, FirstCopy> firstCopyOf = new HashMap<>();
        fresh.parallelStream().map(key -> firstCopy(key, evidence)).toList()
                .forEach(copy -> firstCopyOf.put(copy.key().index(), copy));
        List<SessionKeyVault.Sealed> sealed = new ArrayList<>();
        List<Received> results = new ArrayList<>();
        for (Checked key : chunk) {
            RoomKeyPayload payload = key.payload();
            if (writes.exists(key.aggregateId())) {
                try {
                    results.add(Received.of(decide(payload, key.session(), key.olmKey())));
                } catch (RefusalException e) {
                    results.add(Received.failed(e));
                }
                continue;
            }
            FirstCopy copy = firstCopyOf.get(key.index());
            if (copy.refused() != null) {
                writes.record(refusalRecord(payload, copy.command(), copy.refused()));
                results.add(Received.failed(new RefusalException(copy.refused().code(), copy.refused().getMessage())));
                continue;
            }
            writes.append(key.aggregateId(), copy.events());
            if (copy.sealed() != null) {
                sealed.add(copy.sealed());
            }
            SessionState state = SessionState.of(copy.events());
            results.add(state.discarded()
                    ? Received.failed(discardedOnArrival())
                    : Received.of(new SessionView(state.roomId(), state.sessionId(), state.senderData(), false, false)));
        }
        // The data keys and the events that name them are stored in this one unit of work, or neither is.
        vault.storeDataKeys(sealed);
        return results;
    }

    /**
     * A new session's first copy, decided: its events and sealed key, or the refusal of the change rule
     * (then nothing is sealed).
     */
    private record FirstCopy(Checked key, ReceiveSession command, List<Object> events, SessionKeyVault.Sealed sealed,
                             RoomKeyRefusedException refused) {
    }

    /** Pure (no store access): the decision, the events and the sealing of one new session's first copy. */
    private FirstCopy firstCopy(Checked key, Map<String, ParsedEvidence> evidence) {
        RoomKeyPayload payload = key.payload();
        String creatorKey = key.olmKey().toBase64();
        ParsedEvidence facts = evidence.get(Directory.evidenceKey(payload.sender(), creatorKey));
        Decision decision = SenderDataFinder.decide(facts.toEvidence(payload.sender(), key.olmKey(),
                payload.claimedEd25519(), payload.senderDeviceKeys()));
        ReceiveSession command = command(payload, key.session(), creatorKey, facts.recorded());
        SenderDataChange.Action action = SenderDataChange.onReceipt(null, decision);
        try {
            // A refused first copy stores nothing usable: no key is sealed for it.
            SessionKeyVault.Sealed sealed = action instanceof SenderDataChange.Refuse ? null
                    : vault.sealUnstored(command.exportedSessionKey(), command.id());
            return new FirstCopy(key, command, MegolmSession.firstCopyEvents(command, action,
                    sealed == null ? null : sealed.value()), sealed, null);
        } catch (RoomKeyRefusedException e) {
            return new FirstCopy(key, command, null, null, e);
        }
    }

    private static RoomKeyRefused refusalRecord(RoomKeyPayload payload, ReceiveSession command,
                                                RoomKeyRefusedException e) {
        return new RoomKeyRefused(payload.roomId(), payload.sessionId(), payload.sender(), command.senderKey(),
                e.code(), e.getMessage(), command.evidence());
    }

    private static RefusalException discardedOnArrival() {
        return new RefusalException(RefusalCode.SESSION_DISCARDED,
                "the session was discarded on arrival: its sender's keys show evidence of tampering");
    }

    /** The checks a room key passes on its own, before any store read: shape, payload, session key. */
    private static Checked check(int index, RoomKeyInput input, Optional<OwnDevice> ownDevice) {
        if (input.sender() == null || input.senderKey() == null || input.plaintext() == null) {
            throw RefusalException.invalidInput("a room key needs sender, sender_key and plaintext");
        }
        Curve25519PublicKey olmKey;
        try {
            olmKey = Curve25519PublicKey.parse(input.senderKey());
        } catch (CryptoInputException e) {
            throw RefusalException.invalidInput("sender_key: " + e.getMessage());
        }
        RoomKeyPayload payload;
        try {
            payload = RoomKeyPayload.parse(input.plaintext(), input.sender(), olmKey, ownDevice);
        } catch (PayloadRejectedException e) {
            throw new RefusalException(RefusalCode.of(e.reason()), e.getMessage());
        }
        return new Checked(index, payload, sessionFrom(payload), olmKey);
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
        ReceiveSession command = command(payload, session, creatorKey, directory.evidenceFor(payload.sender(),
                creatorKey));
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
            throw discardedOnArrival();
        }
        return SessionViews.of(row);
    }

    private static ReceiveSession command(RoomKeyPayload payload, InboundGroupSession session, String creatorKey,
                                          DecisionEvidence evidence) {
        SessionRef ref = new SessionRef(payload.roomId(), payload.sessionId());
        var senderDeviceKeys = payload.senderDeviceKeys().map(k -> k.json()).orElse(null);
        return new ReceiveSession(ref.aggregateId(), payload.roomId(), payload.sessionId(),
                payload.sender(), creatorKey, payload.claimedEd25519().toBase64(), payload.sharedHistory(),
                session.firstKnownIndex(), session.exportAtFirstKnownIndex().toBase64(), senderDeviceKeys,
                evidence.withSenderDeviceKeys(senderDeviceKeys));
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
