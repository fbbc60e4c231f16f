package io.keytrail.identity;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityCommands.AbandonKeysQuery;
import io.keytrail.identity.IdentityCommands.AcceptUserSigningKeyVerification;
import io.keytrail.identity.IdentityCommands.RecordKeysQuery;
import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.identity.IdentityCommands.VerifyMasterKey;
import io.keytrail.identity.IdentityCommands.WithdrawVerification;
import io.keytrail.identity.IdentityEvents.CrossSigningKeysAccepted;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.IdentityTrust;
import io.keytrail.identity.IdentityEvents.KeysQueryAbandoned;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.identity.IdentityEvents.KeysQueryIgnored;
import io.keytrail.identity.IdentityEvents.KeysRejected;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.MskVerifiedByUserSigningKey;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;

/**
 * One Matrix user as we know them: devices and cross-signing keys as last fetched, and whether the
 * local user verified their master key. Decides only; the directory projection serves reads.
 */
@Aggregate(snapshotTriggerDefinition = IdentitySnapshots.TRIGGER)
// A snapshot is the aggregate's fields as JSON (the event serializer): fields only, no accessor.
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class UserIdentity {
    @AggregateIdentifier
    private String userId;
    private Instant newestApplied;
    private final Map<String, ObjectNode> devices = new HashMap<>();
    private String masterKey;
    private ObjectNode masterKeyJson;
    private ObjectNode selfSigningKeyJson;
    private ObjectNode userSigningKeyJson;
    private final Set<String> verifiedMasterKeys = new HashSet<>();
    /** Latches once a verified key was the current MSK; cleared only by withdrawal (as upstream). */
    private boolean everVerifiedCurrent;

    protected UserIdentity() {
    }

    /** @return false when the response was older than the newest applied one and was ignored */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(RecordKeysQuery cmd) {
        UserKeysSnapshot snapshot = cmd.snapshot();
        if (!cmd.userId().equals(snapshot.userId())) {
            throw new IllegalArgumentException("snapshot is for " + snapshot.userId() + ", not " + cmd.userId());
        }
        if (newestApplied != null && !cmd.requestedAt().isAfter(newestApplied)) {
            apply(new KeysQueryIgnored(cmd.userId(), cmd.requestedAt(), newestApplied));
            return false;
        }
        recordDevices(cmd, snapshot);
        if (!snapshot.rejections().isEmpty()) {
            apply(new KeysRejected(cmd.userId(), cmd.requestedAt(), snapshot.rejections()));
        }
        boolean identityOffered = snapshot.masterKey() != null && !snapshot.identityRefused();
        if (identityOffered && identityDiffers(snapshot)) {
            String newMaster = snapshot.masterKey().path("keys").elements().next().asText();
            boolean verified = verifiedMasterKeys.contains(newMaster);
            boolean latch = everVerifiedCurrent || verified;
            apply(new CrossSigningKeysAccepted(cmd.userId(), cmd.requestedAt(), snapshot.masterKey(),
                    snapshot.selfSigningKey(), snapshot.userSigningKey(), masterKey,
                    new IdentityTrust(verified, latch && !verified)));
        }
        return true;
    }

    /**
     * A response that lists the user's devices is a full snapshot: a device missing from it is gone.
     * One that only carries cross-signing keys says nothing about devices, and the list is kept.
     */
    private void recordDevices(RecordKeysQuery cmd, UserKeysSnapshot snapshot) {
        if (!snapshot.listsDevices()) {
            apply(new DeviceKeysFetched(cmd.userId(), cmd.requestedAt(), false, Map.copyOf(devices), Set.of(),
                    Set.of(), Set.of(), Set.of()));
            return;
        }
        Set<String> added = new HashSet<>();
        Set<String> changed = new HashSet<>();
        snapshot.devices().forEach((id, json) -> {
            ObjectNode old = devices.get(id);
            if (old == null) {
                added.add(id);
            } else if (!old.equals(json)) {
                changed.add(id);
            }
        });
        Set<String> removed = new HashSet<>(devices.keySet());
        removed.removeAll(snapshot.devices().keySet());
        apply(new DeviceKeysFetched(cmd.userId(), cmd.requestedAt(), true, snapshot.devices(), added, changed, removed,
                snapshot.taintedDeviceIds(), snapshot.standings()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(VerifyMasterKey cmd) {
        if (userId != null && verifiedMasterKeys.contains(cmd.masterKey())) {
            return;
        }
        apply(new MskVerified(cmd.userId(), cmd.masterKey(), trustAfterVerifying(cmd.masterKey())));
    }

    /** Our trust in the current MSK once {@code key} is verified too (it may not be current yet). */
    private IdentityTrust trustAfterVerifying(String key) {
        boolean current = key.equals(masterKey);
        boolean latch = everVerifiedCurrent || current;
        boolean verified = current || (masterKey != null && verifiedMasterKeys.contains(masterKey));
        return new IdentityTrust(verified, latch && !verified);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordKeysQueryFailure cmd) {
        apply(new KeysQueryFailed(cmd.userId(), cmd.requestedAt(), cmd.attempt(), cmd.reason()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(AbandonKeysQuery cmd) {
        apply(new KeysQueryAbandoned(cmd.userId(), cmd.attempts(), cmd.missingCurveKeys()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(AcceptUserSigningKeyVerification cmd) {
        if (userId != null && verifiedMasterKeys.contains(cmd.masterKey())) {
            return;
        }
        apply(new MskVerifiedByUserSigningKey(cmd.userId(), cmd.masterKey(), cmd.ownUserSigningKey(),
                cmd.signedMasterKey(), trustAfterVerifying(cmd.masterKey())));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(WithdrawVerification cmd) {
        if (verifiedMasterKeys.isEmpty() && !everVerifiedCurrent) {
            return; // nothing verified, nothing to withdraw: no event (design 11)
        }
        apply(new VerificationWithdrawn(cmd.userId(), IdentityTrust.NONE));
    }

    private boolean identityDiffers(UserKeysSnapshot snapshot) {
        return !Objects.equals(snapshot.masterKey(), masterKeyJson)
                || !Objects.equals(snapshot.selfSigningKey(), selfSigningKeyJson)
                || !Objects.equals(snapshot.userSigningKey(), userSigningKeyJson);
    }

    @EventSourcingHandler
    void on(DeviceKeysFetched e) {
        userId = e.userId();
        newestApplied = e.requestedAt();
        devices.clear();
        devices.putAll(e.devices());
    }

    @EventSourcingHandler
    void on(KeysQueryIgnored e) {
        userId = e.userId();
    }

    @EventSourcingHandler
    void on(KeysQueryFailed e) {
        userId = e.userId();
    }

    @EventSourcingHandler
    void on(KeysQueryAbandoned e) {
        userId = e.userId();
    }

    @EventSourcingHandler
    void on(KeysRejected e) {
        userId = e.userId();
        newestApplied = e.requestedAt();
    }

    @EventSourcingHandler
    void on(CrossSigningKeysAccepted e) {
        userId = e.userId();
        newestApplied = e.requestedAt();
        masterKeyJson = e.masterKey();
        selfSigningKeyJson = e.selfSigningKey();
        userSigningKeyJson = e.userSigningKey();
        masterKey = e.masterKey().path("keys").elements().next().asText();
        if (verifiedMasterKeys.contains(masterKey)) {
            everVerifiedCurrent = true;
        }
    }

    @EventSourcingHandler
    void on(MskVerified e) {
        userId = e.userId();
        verifiedMasterKeys.add(e.masterKey());
        if (e.masterKey().equals(masterKey)) {
            everVerifiedCurrent = true;
        }
    }

    @EventSourcingHandler
    void on(MskVerifiedByUserSigningKey e) {
        userId = e.userId();
        verifiedMasterKeys.add(e.masterKey());
        if (e.masterKey().equals(masterKey)) {
            everVerifiedCurrent = true;
        }
    }

    @EventSourcingHandler
    void on(VerificationWithdrawn e) {
        userId = e.userId();
        verifiedMasterKeys.clear();
        everVerifiedCurrent = false;
    }
}
