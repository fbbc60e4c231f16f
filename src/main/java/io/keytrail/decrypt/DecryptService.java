package io.keytrail.decrypt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.megolm.ExportedSessionKey;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.directory.JsonText;
import io.keytrail.directory.SessionLookup;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataJson;
import io.keytrail.trust.TrustPolicy;
import io.keytrail.trust.VerificationJson;
import io.keytrail.trust.VerificationLevel;
import io.keytrail.trust.VerificationState;
import io.keytrail.trust.VerificationStates;

/**
 * Decrypts {@code m.room.encrypted} Megolm events under a policy (design section 7): find the session
 * by room and session id only, decrypt and authenticate, map the sender data to a verification
 * state (MismatchedSender first) and let the policy decide whether the plaintext is shown.
 *
 * <p>Replay protection (Matrix spec, Megolm): the first event that decrypts a message index owns it;
 * the same index under another {@code event_id} is refused ({@code INVALID_INPUT}, design section 10
 * has no dedicated code), the same event may be decrypted again. An event without {@code event_id}
 * cannot be told apart from another and is decrypted without being remembered. An event withheld by
 * the policy still owns its index; an event that fails to decrypt owns nothing.
 *
 * <p>A sync delivers many events at once, so the unit is an array ({@link #decryptAll}; one event is an
 * array of one, ADR 0021): one plain read of the session row per (room, session) of the array (never
 * cached across calls: a discard shows at the next call), the opened session from {@link OpenedSessions}
 * when the row still holds what it was opened from, Megolm decryption of independent events on every
 * core, and the replay claims of the whole array in one transaction through {@link MessageIndexLedger}'s
 * group commit. Every event keeps its own outcome, as if decrypted alone in input order. No lock is held
 * across any of it.
 */
@Component
public class DecryptService {
    /** Opened sessions kept: at a few KB each, a few MB; enough for every session of a busy account's rooms. */
    static final int OPENED_SESSIONS = 4_096;
    /** Events decrypted together at most (the HTTP array limit, design section 11); a longer list goes in parts. */
    public static final int MAX_TOGETHER = 1_000;
    /** From this many events of one array on, Megolm decryption runs on every core. */
    static final int PARALLEL_FROM = 4;

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

    /** One event to decrypt: the room it arrived in, the policy, the {@code m.room.encrypted} event. */
    public record Request(String roomId, TrustPolicy policy, JsonNode event) {
    }

    /**
     * One event's outcome: {@code decrypted}, or the {@code failure} that {@link #decrypt} would have
     * thrown for it alone (a {@link RefusalException}, or another exception for a failure that is a bug
     * or an unusable store).
     */
    public record Outcome(Decrypted decrypted, RuntimeException failure) {
        /** The decrypted event, or its failure thrown. */
        public Decrypted orThrow() {
            if (failure != null) {
                throw failure;
            }
            return decrypted;
        }
    }

    /** Operations' observer of decryptions (metrics, ADR 0015); none by default. */
    @Autowired(required = false)
    public void setObserver(DecryptObserver observer) {
        this.observer = observer;
    }

    public Decrypted decrypt(String roomId, TrustPolicy policy, JsonNode event) {
        return decryptAll(List.of(new Request(roomId, policy, event))).get(0).orThrow();
    }

    /**
     * The events of one sync, each answered as {@link #decrypt} would answer it alone after the ones
     * before it: one outcome per request, in order; one bad event never fails the others. The replay
     * claims of each {@value #MAX_TOGETHER} events are committed together before any of them is answered.
     */
    public List<Outcome> decryptAll(List<Request> requests) {
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += MAX_TOGETHER) {
            outcomes.addAll(decryptTogether(requests.subList(from, Math.min(requests.size(), from + MAX_TOGETHER))));
        }
        return outcomes;
    }

    /** One event on its way through the steps; the first step that fails sets {@link #failure}. */
    private static final class Work {
        final Request request;
        EncryptedEvent event;
        SessionLookup.Current row;
        OpenedSessions.Opened opened;
        EncryptedEvent.Plain plain;
        Decrypted decrypted;
        RuntimeException failure;

        Work(Request request) {
            this.request = request;
        }

        boolean going() {
            return failure == null;
        }
    }

    private List<Outcome> decryptTogether(List<Request> requests) {
        List<Work> work = requests.stream().map(Work::new).toList();
        for (Work w : work) {
            step(w, () -> w.event = EncryptedEvent.parse(w.request.roomId(), w.request.event()));
        }
        readRows(work);
        openSessions(work);
        inParallel(work.size(), i -> {
            Work w = work.get(i);
            if (w.going()) {
                step(w, () -> w.plain = w.event.decryptWith(w.opened.session()));
            }
        });
        claimIndexes(work);
        List<Outcome> outcomes = new ArrayList<>(work.size());
        for (Work w : work) {
            step(w, () -> w.decrypted = underPolicy(w));
            observe(w);
            outcomes.add(new Outcome(w.decrypted, w.failure));
        }
        return outcomes;
    }

    /** Reads each (room, session) row once for the whole array; refuses events of unknown, forgotten or discarded sessions. */
    private void readRows(List<Work> work) {
        Map<String, Optional<SessionLookup.Current>> rows = new HashMap<>();
        Map<String, RuntimeException> unreadable = new HashMap<>();
        for (Work w : work) {
            if (!w.going()) {
                continue;
            }
            String key = w.event.sessionKey();
            if (!rows.containsKey(key) && !unreadable.containsKey(key)) {
                try {
                    rows.put(key, sessions.current(w.event.roomId(), w.event.sessionId()));
                } catch (RuntimeException e) {
                    unreadable.put(key, e);
                }
            }
            if (unreadable.containsKey(key)) {
                w.failure = unreadable.get(key);
                continue;
            }
            step(w, () -> w.row = usable(w.event, rows.get(key)));
        }
    }

    private static SessionLookup.Current usable(EncryptedEvent event, Optional<SessionLookup.Current> found) {
        SessionLookup.Current row = found.orElseThrow(() -> new RefusalException(RefusalCode.UNKNOWN_SESSION,
                "no session " + event.sessionId() + " in " + event.roomId()));
        if (row.forgotten()) {
            throw new RefusalException(RefusalCode.SESSION_FORGOTTEN,
                    "session " + event.sessionId() + " was forgotten: its keys were destroyed on purpose and its "
                            + "messages can never be decrypted again (its trail remains)");
        }
        if (row.discarded()) {
            throw new RefusalException(RefusalCode.SESSION_DISCARDED,
                    "session " + event.sessionId() + " was discarded (evidence of tampering); its messages are not shown");
        }
        return row;
    }

    /** Opens each session of the array once (cache hits cost nothing), sessions in parallel. */
    private void openSessions(List<Work> work) {
        Map<String, List<Work>> bySession = new HashMap<>();
        for (Work w : work) {
            if (w.going()) {
                bySession.computeIfAbsent(w.row.aggregateId(), k -> new ArrayList<>()).add(w);
            }
        }
        List<List<Work>> groups = new ArrayList<>(bySession.values());
        inParallel(groups.size(), i -> {
            List<Work> group = groups.get(i);
            SessionLookup.Current row = group.get(0).row;
            try {
                OpenedSessions.Opened opened = openedSessions.get(row.aggregateId(), row.sealedSessionKey(),
                        row.senderDataJson(), vault.keyId(), () -> open(row));
                group.forEach(w -> w.opened = opened);
            } catch (RuntimeException e) {
                group.forEach(w -> w.failure = e);
            }
        });
    }

    /** The claims of every decrypted event with an id, in input order, in one commit; a taken index is a replay. */
    private void claimIndexes(List<Work> work) {
        List<Work> claiming = work.stream().filter(w -> w.going() && w.event.eventId() != null).toList();
        if (claiming.isEmpty()) {
            return;
        }
        List<String> owners;
        try {
            owners = ledger.claimAll(claiming.stream().map(w -> new MessageIndexLedger.Request(w.row.aggregateId(),
                    w.plain.messageIndex(), w.event.eventId())).toList());
        } catch (RuntimeException e) {
            claiming.forEach(w -> w.failure = e);
            return;
        }
        for (int i = 0; i < claiming.size(); i++) {
            Work w = claiming.get(i);
            String owner = owners.get(i);
            if (!owner.equals(w.event.eventId())) {
                w.failure = RefusalException.invalidInput("replayed message: index " + w.plain.messageIndex()
                        + " of session " + w.event.sessionId() + " was already decrypted for event " + owner + ", not "
                        + w.event.eventId());
            }
        }
    }

    private static Decrypted underPolicy(Work w) {
        TrustPolicy policy = w.request.policy();
        SenderData senderData = w.opened.senderData();
        VerificationStates.Result result = VerificationStates.of(senderData, w.row.imported(), w.event.sender());
        if (!policy.allows(result.state(), senderData.legacySession())) {
            VerificationLevel level = ((VerificationState.Unverified) result.state()).level();
            JsonNode levelJson = VerificationJson.write(level);
            throw new RefusalException(RefusalCode.SENDER_IDENTITY_NOT_TRUSTED, "policy " + policy
                    + " withholds this message: the sender's verification level is "
                    + (levelJson.isTextual() ? levelJson.textValue() : levelJson.toString()), levelJson);
        }
        return new Decrypted(w.plain.plaintext(),
                VerificationJson.write(result.state()), result.senderDevice().orElse(null));
    }

    private void observe(Work w) {
        String outcome = w.failure == null ? "shown"
                : w.failure instanceof RefusalException e ? (e.code() == RefusalCode.SENDER_IDENTITY_NOT_TRUSTED
                ? "withheld" : e.code().name().toLowerCase(Locale.ROOT)) : "internal_error";
        observer.decrypted(w.request.policy(), outcome);
    }

    /** Runs {@code step}; a failure is the event's outcome, never the array's. */
    private static void step(Work w, Runnable step) {
        if (!w.going()) {
            return;
        }
        try {
            step.run();
        } catch (RuntimeException e) {
            w.failure = e;
        }
    }

    /** Independent tasks {@code 0..count-1} on every core (the caller's thread among them) when there are enough. */
    private static void inParallel(int count, IntConsumer task) {
        if (count < PARALLEL_FROM) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        IntStream.range(0, count).parallel().forEach(task);
    }

    /** Unseals and parses a session: what {@link OpenedSessions} spares the next message of the session. */
    private OpenedSessions.Opened open(SessionLookup.Current row) {
        InboundGroupSession session = InboundGroupSession.fromExport(
                ExportedSessionKey.parse(vault.open(row.sealedSessionKey(), row.aggregateId())));
        return new OpenedSessions.Opened(row.sealedSessionKey(), row.senderDataJson(), vault.keyId(), session.cursor(),
                SenderDataJson.read(JsonText.parse(row.senderDataJson())));
    }

    /** Forgets every opened session (for an operation that rotates or destroys the sealing key in place). */
    public void forgetOpenedSessions() {
        openedSessions.clear();
    }
}
