package io.keytrail.redecision;

import io.keytrail.directory.JsonText;
import io.keytrail.lanes.KeysQueryRecorder;
import io.keytrail.directory.LocalAccount;
import io.keytrail.directory.SessionView;
import io.keytrail.directory.SessionViews;
import io.keytrail.directory.UserLocks;
import io.keytrail.directory.WriteUnits;
import io.keytrail.session.Commands;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.directory.DeviceRow;
import io.keytrail.directory.Directory;
import io.keytrail.directory.IdentityRow;
import io.keytrail.directory.SessionRow;
import io.keytrail.identity.IdentityCommands.AcceptUserSigningKeyVerification;
import io.keytrail.identity.IdentityCommands.RecordKeysQuery;
import io.keytrail.identity.IdentityCommands.VerifyMasterKey;
import io.keytrail.identity.IdentityCommands.WithdrawVerification;
import io.keytrail.identity.KeyRejection;
import io.keytrail.identity.UserKeysSnapshot;
import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.KeysQueryLimits;
import io.keytrail.matrix.SignatureCheck;
import io.keytrail.session.SessionCommands.ApplyMasterKeyVerification;
import io.keytrail.session.SessionCommands.RedecideSenderData;
import io.keytrail.session.Trigger;

/**
 * Keys and verification changes, and the re-decisions they cause (design section 4): after the
 * identity aggregate recorded the change, every affected session is found through the directory's
 * indexes and re-decided by its own aggregate; each change is an event with its evidence.
 *
 * <p>Each input is one unit of work ({@link WriteUnits}): the keys and every re-decision they cause
 * commit together, so a crash between the two cannot leave the keys stored and the sessions behind
 * (ADR 0009); a conflict with another node retries the whole input.
 */
@Component
public class KeysIntake implements KeysQueryRecorder {
    private final Commands commands;
    private final Directory directory;
    private final Clock clock;
    private final UserLocks locks;
    private final LocalAccount local;
    private final KeysQueryLimits limits;
    private final WriteUnits units;
    private Instant lastRequestedAt = Instant.EPOCH;

    public KeysIntake(CommandGateway gateway, Directory directory, Clock clock, UserLocks locks, LocalAccount local,
                      WriteUnits units,
                      @Value("${keytrail.limits.keys-query-users:1000}") int maxUsers,
                      @Value("${keytrail.limits.keys-query-devices-per-user:1000}") int maxDevicesPerUser) {
        this.limits = new KeysQueryLimits(maxUsers, maxDevicesPerUser, KeysQueryLimits.DEFAULT.maxObjectChars());
        this.commands = new Commands(gateway);
        this.units = units;
        this.locks = locks;
        this.local = local;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Sessions whose sender data or discarded flag changed, and the material we refused ({@code null}
     * for inputs that carry no key material).
     */
    public record KeysResult(List<SessionView> updated, List<Refusal> rejected) {
    }

    public record Refusal(String userId, String what, String reason) {
    }

    @Override
    public void record(JsonNode body, Instant requestedAt) {
        recordKeysQuery(body, requestedAt);
    }

    /** Records a {@code /keys/query} response received now. */
    public KeysResult recordKeysQuery(JsonNode body) {
        return recordKeysQuery(body, nextRequestTime());
    }

    /**
     * Records a {@code /keys/query} response to a request sent at {@code requestedAt}; a user whose
     * newer response was already applied keeps it.
     */
    public synchronized KeysResult recordKeysQuery(JsonNode body, Instant requestedAt) {
        return units.run(() -> applyKeysQuery(body, requestedAt));
    }

    private KeysResult applyKeysQuery(JsonNode body, Instant requestedAt) {
        KeysQuerySnapshots.Parsed parsed = KeysQuerySnapshots.parse(body, limits);
        List<UserKeysSnapshot> snapshots = new ArrayList<>(parsed.snapshots());
        // Our own identity first: it may vouch (through our USK) for the other users of the same response.
        Optional<String> own = local.userId();
        snapshots.sort(java.util.Comparator.comparing(s -> !own.map(s.userId()::equals).orElse(false)));
        List<Refusal> refused = new ArrayList<>();
        // Users refused whole for a limit are not recorded at all: nothing of them is known, nothing changes.
        parsed.refusedUsers().forEach(r -> refused.add(new Refusal(r.userId(), r.what(), r.message())));
        Changes changes = new Changes();
        for (UserKeysSnapshot snapshot : snapshots) {
            boolean applied = locks.withUser(snapshot.userId(), () -> {
                Boolean recorded = commands.send(new RecordKeysQuery(snapshot.userId(), requestedAt, snapshot));
                if (!Boolean.TRUE.equals(recorded)) {
                    return false; // an older answer than the one we hold: nothing of it counts
                }
                if (isOwn(snapshot.userId())) {
                    verifyUsersSignedByOwnUsk(changes);
                } else {
                    verifyThroughOwnUserSigningKey(snapshot.userId());
                }
                redecideFor(snapshot, changes);
                return true;
            });
            if (applied) {
                for (KeyRejection r : snapshot.rejections()) {
                    refused.add(new Refusal(snapshot.userId(), r.what(), r.reason()));
                }
            }
        }
        return new KeysResult(changes.changed(), refused);
    }

    private void redecideFor(UserKeysSnapshot snapshot, Changes changes) {
        String userId = snapshot.userId();
        List<DeviceRow> devices = directory.devicesOf(userId);
        Set<String> curveKeys = devices.stream().map(DeviceRow::getCurve25519).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        // A device that relies on a refused SSK is in the evidence with that standing: the session's own
        // decision discards it (with the refused key as evidence) or keeps it (already cross-signed).
        for (SessionRow row : changes.track(directory.sessionsBelowSenderUnverified(curveKeys))) {
            // An import is looked at for the owner its claim names (ADR 0018); without a claim, never.
            if (userId.equals(row.getSender() != null ? row.getSender() : row.getClaimedSender())) {
                commands.send(new RedecideSenderData(row.getAggregateId(),
                        directory.evidenceFor(userId, row.getSenderKey()), Trigger.DEVICE_KEYS_FETCHED));
            }
        }
        directory.identityOf(userId).filter(IdentityRow::isVerified)
                .ifPresent(identity -> upgradeVerified(userId, identity.getMasterKey(), changes));
    }

    public synchronized KeysResult verifyMasterKey(String userId, String masterKey) {
        return units.run(() -> applyMasterKeyVerification(userId, masterKey));
    }

    private KeysResult applyMasterKeyVerification(String userId, String masterKey) {
        Changes changes = new Changes();
        locks.withUser(userId, () -> {
            commands.send(new VerifyMasterKey(userId, masterKey));
            boolean current = directory.identityOf(userId).map(i -> masterKey.equals(i.getMasterKey()))
                    .orElse(false);
            if (current) {
                upgradeVerified(userId, masterKey, changes);
                if (isOwn(userId)) {
                    verifyUsersSignedByOwnUsk(changes);
                }
            }
            return null;
        });
        return new KeysResult(changes.changed(), null);
    }

    private boolean isOwn(String userId) {
        return local.userId().map(userId::equals).orElse(false);
    }

    /**
     * Design section 1: a user is verified when the local user verified their MSK, or when our own
     * verified user-signing key signed it. Checks the second for one user; true when it now holds.
     */
    private boolean verifyThroughOwnUserSigningKey(String userId) {
        Optional<String> own = local.userId();
        if (own.isEmpty() || own.get().equals(userId)) {
            return false;
        }
        Optional<IdentityRow> ownIdentity = directory.identityOf(own.get())
                .filter(i -> i.isVerified() && i.getUserSigningKeyJson() != null);
        Optional<IdentityRow> theirs = directory.identityOf(userId)
                .filter(i -> i.getMasterKeyJson() != null && !i.isVerified());
        if (ownIdentity.isEmpty() || theirs.isEmpty()) {
            return false;
        }
        ObjectNode uskJson = JsonText.read(ownIdentity.get().getUserSigningKeyJson());
        ObjectNode mskJson = JsonText.read(theirs.get().getMasterKeyJson());
        CrossSigningKey usk = CrossSigningKey.parse(uskJson);
        if (CrossSigningKey.parse(mskJson).signatureBy(own.get(), usk.publicKey()) != SignatureCheck.VALID) {
            return false;
        }
        commands.send(new AcceptUserSigningKeyVerification(userId, theirs.get().getMasterKey(), uskJson, mskJson));
        return true;
    }

    /** Our own identity became verified (or changed): every user our USK signed is verified now. */
    private void verifyUsersSignedByOwnUsk(Changes changes) {
        for (IdentityRow identity : directory.allIdentities()) {
            String userId = identity.getUserId();
            if (!isOwn(userId) && locks.withUser(userId, () -> verifyThroughOwnUserSigningKey(userId))) {
                upgradeVerified(userId, identity.getMasterKey(), changes);
            }
        }
    }

    private void upgradeVerified(String userId, String masterKey, Changes changes) {
        for (SessionRow row : changes.track(directory.sessionsAwaitingVerificationOf(masterKey))) {
            commands.send(new ApplyMasterKeyVerification(row.getAggregateId(), userId, masterKey));
        }
    }

    public synchronized KeysResult withdrawVerification(String userId) {
        return units.run(() -> applyWithdrawal(userId));
    }

    private KeysResult applyWithdrawal(String userId) {
        Changes changes = new Changes();
        locks.withUser(userId, () -> {
            commands.send(new WithdrawVerification(userId));
            for (SessionRow row : changes.track(directory.verificationViolationsOf(userId))) {
                commands.send(new RedecideSenderData(row.getAggregateId(),
                        directory.evidenceFor(userId, row.getSenderKey()), Trigger.VERIFICATION_WITHDRAWN));
            }
            return null;
        });
        return new KeysResult(changes.changed(), null);
    }

    /** Request times must grow even when the clock does not (fast replays). */
    private synchronized Instant nextRequestTime() {
        Instant now = clock.instant();
        lastRequestedAt = now.isAfter(lastRequestedAt) ? now : lastRequestedAt.plusNanos(1000);
        return lastRequestedAt;
    }

    /** Remembers the state of the sessions a change may touch, to report only those that moved. */
    private final class Changes {
        private final Map<String, String> before = new LinkedHashMap<>();

        List<SessionRow> track(List<SessionRow> rows) {
            for (SessionRow row : rows) {
                before.putIfAbsent(row.getAggregateId(), fingerprint(row));
            }
            return rows;
        }

        List<SessionView> changed() {
            List<SessionView> out = new ArrayList<>();
            for (Map.Entry<String, String> e : before.entrySet()) {
                directory.sessionById(e.getKey()).filter(row -> !fingerprint(row).equals(e.getValue()))
                        .map(SessionViews::of).ifPresent(out::add);
            }
            return out;
        }

        private String fingerprint(SessionRow row) {
            return row.getSenderDataJson() + "|" + row.isDiscarded();
        }
    }
}
