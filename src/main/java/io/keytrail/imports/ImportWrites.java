package io.keytrail.imports;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.megolm.ExportedSessionKey;
import io.keytrail.directory.Directory;
import io.keytrail.directory.SessionChunks;
import io.keytrail.directory.SessionViews;
import io.keytrail.directory.UserLocks;
import io.keytrail.directory.WriteUnits;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.session.BackupMacCheck;
import io.keytrail.session.Commands;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.ImportClaim;
import io.keytrail.session.ImportSource;
import io.keytrail.session.MegolmSession;
import io.keytrail.session.ReceiveOutcome;
import io.keytrail.session.RoomKeyRefusedException;
import io.keytrail.session.SessionCommands.ImportSession;
import io.keytrail.session.SessionCommands.ReceiveSession;
import io.keytrail.session.SessionCommands.RedecideSenderData;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.session.SessionRef;
import io.keytrail.session.SessionState;
import io.keytrail.session.Trigger;
import io.keytrail.trust.SenderDataChange;

/**
 * Stores the sessions of one batch of an import (ADR 0020): each session is first checked on its own
 * ({@link #legacy}, {@link #authenticated}); the batch is then decided a chunk at a time in one unit of
 * work ({@link SessionChunks}). A session we hold already goes to its aggregate, exactly as before; a
 * session with no history gets the events its aggregate would apply ({@link MegolmSession#importEvents},
 * and the re-decision from the import's claim, {@link MegolmSession#redecisionEvents}; or, for an
 * authenticated backup entry, {@link MegolmSession#firstCopyEvents}), appended with the chunk's other
 * new sessions. A chunk that fails as a whole is stored again session by session, each in its own unit
 * (the path every session took before), so one failing session never fails the others.
 */
final class ImportWrites {
    private static final Logger log = LoggerFactory.getLogger(ImportWrites.class);
    private static final int MAX_ROOM_ID_LENGTH = 255;

    private final Commands commands;
    private final Directory directory;
    private final WriteUnits units;
    private final UserLocks locks;
    private final SessionChunks chunks;
    private final SessionKeyVault vault;
    private final EventGateway events;

    ImportWrites(Commands commands, Directory directory, WriteUnits units, UserLocks locks, SessionChunks chunks,
                 SessionKeyVault vault, EventGateway events) {
        this.commands = commands;
        this.directory = directory;
        this.units = units;
        this.locks = locks;
        this.chunks = chunks;
        this.vault = vault;
        this.events = events;
    }

    /** A session of an import that passed its own checks, ready to be stored. */
    sealed interface Pending permits Legacy, Authenticated {
        String roomId();

        String sessionId();

        String aggregateId();

        /** The users whose keys its decision reads (locked for its chunk). */
        Collection<String> users();
    }

    /** A legacy import (design section 6): claims kept as claims. */
    record Legacy(ImportSession command) implements Pending {
        @Override
        public String roomId() {
            return command.roomId();
        }

        @Override
        public String sessionId() {
            return command.sessionId();
        }

        @Override
        public String aggregateId() {
            return command.id();
        }

        /** Whose devices the claim is compared with; null when the import names no owner and creator key. */
        String claimOwner() {
            ImportClaim claim = command.claim();
            return claim == null || command.claimedSenderKey() == null ? null : claim.userId();
        }

        @Override
        public Collection<String> users() {
            return claimOwner() == null ? List.of() : List.of(claimOwner());
        }
    }

    /** A backup entry whose {@code mac2} vouches for its creator (ADR 0018): decided like a room key. */
    record Authenticated(String roomId, String sessionId, String owner, String creatorKey, String ed25519,
                         boolean sharedHistory, ExportedSessionKey key, ImportClaim claim) implements Pending {
        @Override
        public String aggregateId() {
            return new SessionRef(roomId, sessionId).aggregateId();
        }

        @Override
        public Collection<String> users() {
            return List.of(owner);
        }

        ReceiveSession command(DecisionEvidence evidence) {
            return new ReceiveSession(aggregateId(), roomId, sessionId, owner, creatorKey, ed25519, sharedHistory,
                    key.index(), key.toBase64(), null, evidence, BackupMacCheck.MSC4048_MAC2_VALID);
        }
    }

    /** The checks of a legacy session on its own; a {@link ImportResult.Failed} when it fails one. */
    static Object legacy(ImportSource source, String roomId, String sessionId, String claimedSenderKey,
                         String claimedEd25519, List<String> chain, boolean sharedHistory, String sessionKey,
                         ImportClaim claim, BackupMacCheck backupMac) {
        Object key = checkKey(roomId, sessionId, sessionKey);
        if (!(key instanceof ExportedSessionKey k)) {
            return key;
        }
        return new Legacy(new ImportSession(new SessionRef(roomId, sessionId).aggregateId(), roomId, sessionId,
                source, claimedSenderKey, claimedEd25519, chain, sharedHistory, k.index(), k.toBase64(), claim,
                backupMac));
    }

    /** The checks of an authenticated backup entry on its own; a {@link ImportResult.Failed} when it fails one. */
    static Object authenticated(String roomId, String sessionId, String owner, String creatorKey, String ed25519,
                                boolean sharedHistory, String sessionKey, ImportClaim claim) {
        Object key = checkKey(roomId, sessionId, sessionKey);
        if (!(key instanceof ExportedSessionKey k)) {
            return key;
        }
        return new Authenticated(roomId, sessionId, owner, creatorKey, ed25519, sharedHistory, k, claim);
    }

    /** A Matrix room id, and a v1 export key whose signing key is the session id: the key, or why not. */
    private static Object checkKey(String roomId, String sessionId, String sessionKey) {
        if (!roomId.startsWith("!") || roomId.length() > MAX_ROOM_ID_LENGTH) {
            return new ImportResult.Failed(roomId, sessionId, RefusalCode.INVALID_INPUT,
                    "room_id must be a Matrix room id (starting with '!', at most 255 characters)");
        }
        ExportedSessionKey key;
        try {
            key = ExportedSessionKey.parse(sessionKey);
        } catch (CryptoInputException e) {
            return new ImportResult.Failed(roomId, sessionId, RefusalCode.INVALID_SESSION_KEY,
                    "session_key: " + e.getMessage());
        }
        if (!key.sessionId().equals(sessionId)) {
            return new ImportResult.Failed(roomId, sessionId, RefusalCode.INVALID_SESSION_KEY, "session_id "
                    + sessionId + " is not the signing key inside session_key (" + key.sessionId() + ")");
        }
        return key;
    }

    /**
     * The outcome of every entry of a batch, in order: an entry is either an {@link ImportResult.Entry}
     * already (it failed its own checks) or a {@link Pending} session to store.
     */
    List<ImportResult.Entry> store(List<Object> entries) {
        List<Pending> pending = new ArrayList<>();
        entries.forEach(e -> {
            if (e instanceof Pending p) {
                pending.add(p);
            }
        });
        List<ImportResult.Entry> stored = chunks.decideAll(pending, Pending::aggregateId, Pending::users, this::decideChunk, this::storeAlone,
                "imported sessions");
        List<ImportResult.Entry> results = new ArrayList<>(entries.size());
        int next = 0;
        for (Object e : entries) {
            results.add(e instanceof Pending ? stored.get(next++) : (ImportResult.Entry) e);
        }
        return results;
    }

    /** Inside the chunk's unit, with every claimed owner and backup owner locked. */
    private List<ImportResult.Entry> decideChunk(List<Pending> chunk, SessionChunks.Writes writes) {
        ChunkReads reads = new ChunkReads();
        SessionKeyVault.Batch sealing = vault.batch();
        List<ImportResult.Entry> results = new ArrayList<>(chunk.size());
        for (Pending p : chunk) {
            boolean exists = writes.exists(p.aggregateId());
            if (p instanceof Legacy l) {
                results.add(exists ? importExisting(l.command()) : importNew(l, writes, reads, sealing));
            } else {
                Authenticated a = (Authenticated) p;
                results.add(exists ? receiveExisting(a, directory.evidenceFor(a.owner(), a.creatorKey()))
                        : receiveNew(a, writes, sealing));
            }
        }
        sealing.store();
        return results;
    }

    /** Directory reads shared by the sessions of a chunk (their users are locked: nothing changes them). */
    private final class ChunkReads {
        private final Map<String, Boolean> claimedDevices = new HashMap<>();
        private final Map<String, DecisionEvidence> evidence = new HashMap<>();

        boolean holdsDevice(String owner, String curve25519) {
            return claimedDevices.computeIfAbsent(Directory.evidenceKey(owner, curve25519), k -> directory
                    .devicesOf(owner).stream().anyMatch(d -> curve25519.equals(d.getCurve25519())));
        }

        DecisionEvidence evidenceFor(String owner, String curve25519) {
            return evidence.computeIfAbsent(Directory.evidenceKey(owner, curve25519),
                    k -> directory.evidenceFor(owner, curve25519));
        }
    }

    /**
     * A session with no history: the event its aggregate would apply, then the re-decision its aggregate
     * would make at once when the import's claim names one of its owner's stored devices ({@link #decideFromClaim}).
     */
    private ImportResult.Entry importNew(Legacy pending, SessionChunks.Writes writes, ChunkReads reads,
                                         SessionKeyVault.Batch sealing) {
        ImportSession cmd = pending.command();
        List<Object> created = new ArrayList<>(MegolmSession.importEvents(cmd, sealing.seal(cmd.exportedSessionKey(),
                cmd.id())));
        String owner = pending.claimOwner();
        if (owner != null && reads.holdsDevice(owner, cmd.claimedSenderKey())) {
            created.addAll(MegolmSession.redecisionEvents(SessionState.of(created), new RedecideSenderData(cmd.id(),
                    reads.evidenceFor(owner, cmd.claimedSenderKey()), Trigger.IMPORT_CLAIM)));
        }
        writes.append(cmd.id(), created);
        return new ImportResult.Imported(cmd.roomId(), cmd.sessionId(), SessionState.of(created).senderData(),
                cmd.claim(), cmd.backupMac());
    }

    /** An authenticated entry with no history: decided as its aggregate decides a first copy. */
    private ImportResult.Entry receiveNew(Authenticated pending, SessionChunks.Writes writes,
                                          SessionKeyVault.Batch sealing) {
        ReceiveSession cmd = pending.command(directory.evidenceFor(pending.owner(), pending.creatorKey()));
        List<Object> created;
        try {
            created = MegolmSession.firstCopyEvents(cmd, SenderDataChange.onReceipt(null, MegolmSession.decisionOf(cmd)),
                    sealing.seal(cmd.exportedSessionKey(), cmd.id()));
        } catch (RoomKeyRefusedException e) {
            writes.record(refusalRecord(cmd, e));
            return new ImportResult.Failed(cmd.roomId(), cmd.sessionId(), e.code(), e.getMessage());
        }
        writes.append(cmd.id(), created);
        return new ImportResult.Imported(cmd.roomId(), cmd.sessionId(), SessionState.of(created).senderData(),
                pending.claim(), BackupMacCheck.MSC4048_MAC2_VALID);
    }

    private static RoomKeyRefused refusalRecord(ReceiveSession cmd, RoomKeyRefusedException e) {
        return new RoomKeyRefused(cmd.roomId(), cmd.sessionId(), cmd.sender(), cmd.senderKey(), e.code(),
                e.getMessage(), cmd.evidence());
    }

    /** A session we hold: its aggregate merges the import (never lowering its trust), in the current unit. */
    private ImportResult.Entry importExisting(ImportSession cmd) {
        ReceiveOutcome outcome = commands.send(cmd);
        if (outcome != null && outcome.refused()) {
            return new ImportResult.Failed(cmd.roomId(), cmd.sessionId(), outcome.refusedCode(), outcome.detail());
        }
        decideFromClaim(cmd);
        return directory.session(cmd.roomId(), cmd.sessionId())
                .<ImportResult.Entry>map(row -> new ImportResult.Imported(cmd.roomId(), cmd.sessionId(),
                        SessionViews.of(row).senderData(), cmd.claim(), cmd.backupMac()))
                .orElseThrow(() -> new IllegalStateException("no directory row after an import"));
    }

    /** An authenticated entry, through its aggregate, in the current unit with its owner locked. */
    private ImportResult.Entry receiveExisting(Authenticated pending, DecisionEvidence evidence) {
        ReceiveOutcome outcome = commands.send(pending.command(evidence));
        if (outcome != null && outcome.refused()) {
            return new ImportResult.Failed(pending.roomId(), pending.sessionId(), outcome.refusedCode(), outcome.detail());
        }
        return directory.session(pending.roomId(), pending.sessionId())
                .<ImportResult.Entry>map(row -> new ImportResult.Imported(pending.roomId(), pending.sessionId(),
                        SessionViews.of(row).senderData(), pending.claim(), BackupMacCheck.MSC4048_MAC2_VALID))
                .orElseThrow(() -> new IllegalStateException("no directory row after a restore"));
    }

    /** The single-session path, each session in its own unit: for the sessions of a chunk that failed whole. */
    private ImportResult.Entry storeAlone(Pending pending) {
        DecisionEvidence[] evidence = new DecisionEvidence[1];
        try {
            // One unit per session: two nodes importing the same session at once is a lost race for one
            // of them, retried, never a failed session (ADR 0009).
            return units.run(() -> {
                if (pending instanceof Legacy l) {
                    return importExisting(l.command());
                }
                Authenticated a = (Authenticated) pending;
                return locks.withUser(a.owner(), () -> {
                    evidence[0] = directory.evidenceFor(a.owner(), a.creatorKey());
                    return receiveExisting(a, evidence[0]);
                });
            });
        } catch (RoomKeyRefusedException e) {
            // Only an authenticated entry's first copy is refused so: a trust decision like the fast lane's
            // refusals, recorded with its evidence in a unit of its own after the refused one rolled back.
            events.publish(refusalRecord(((Authenticated) pending).command(evidence[0]), e));
            return new ImportResult.Failed(pending.roomId(), pending.sessionId(), e.code(), e.getMessage());
        } catch (RefusalException e) {
            return new ImportResult.Failed(pending.roomId(), pending.sessionId(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            // A bug or a storage failure for this one session: report it and keep importing the others.
            log.error("importing session {} of {} failed", pending.sessionId(), pending.roomId(), e);
            return new ImportResult.Failed(pending.roomId(), pending.sessionId(), RefusalCode.INTERNAL_ERROR,
                    "internal error: this session could not be stored");
        }
    }

    /**
     * An import whose claim names its owner is compared at once with that owner's stored devices, as a
     * room key is decided from local knowledge on arrival; the background fetches the owner's keys later
     * ({@code KeysQuerySaga}) for what is not stored yet.
     */
    private void decideFromClaim(ImportSession cmd) {
        ImportClaim claim = cmd.claim();
        String claimedSenderKey = cmd.claimedSenderKey();
        if (claim == null || claim.userId() == null || claimedSenderKey == null) {
            return;
        }
        String owner = claim.userId();
        locks.withUser(owner, () -> {
            directory.session(cmd.roomId(), cmd.sessionId())
                    .filter(row -> row.isImported() && owner.equals(row.getClaimedSender()) && !row.isDiscarded())
                    .filter(row -> directory.devicesOf(owner).stream()
                            .anyMatch(d -> claimedSenderKey.equals(d.getCurve25519())))
                    .ifPresent(row -> commands.send(new RedecideSenderData(row.getAggregateId(),
                            directory.evidenceFor(owner, claimedSenderKey), Trigger.IMPORT_CLAIM)));
            return null;
        });
    }
}
