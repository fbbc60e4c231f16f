package io.keytrail.directory;

import java.util.List;
import java.util.Map;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityEvents.CrossSigningKeysAccepted;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.IdentityTrust;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.MskVerifiedByUserSigningKey;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionRef;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataJson;

/**
 * Keeps the directory read models in step with the events. It runs in a subscribing processor
 * (application.yml), inside the unit of work that stores the events: the fast lane and the
 * re-decision search read a model that is consistent as soon as a command returns.
 */
@Component
@ProcessingGroup(DirectoryProjection.GROUP)
public class DirectoryProjection {
    public static final String GROUP = "directory";
    private final DeviceRows devices;
    private final IdentityRows identities;
    private final SessionRows sessions;

    public DirectoryProjection(DeviceRows devices, IdentityRows identities, SessionRows sessions) {
        this.devices = devices;
        this.identities = identities;
        this.sessions = sessions;
    }

    @EventHandler
    void on(DeviceKeysFetched e) {
        if (!e.listed()) {
            return;
        }
        devices.deleteByUserId(e.userId());
        devices.flush();
        for (Map.Entry<String, ObjectNode> d : e.devices().entrySet()) {
            String curve = d.getValue().path("keys").path("curve25519:" + d.getKey()).textValue();
            devices.save(new DeviceRow(e.userId(), d.getKey(), curve, JsonText.write(d.getValue()),
                    e.taintedDeviceIds().contains(d.getKey())));
        }
    }

    @EventHandler
    void on(CrossSigningKeysAccepted e) {
        IdentityRow row = identity(e.userId());
        row.setKeys(e.masterKey().path("keys").elements().next().asText(), JsonText.write(e.masterKey()),
                JsonText.write(e.selfSigningKey()), JsonText.write(e.userSigningKey()));
        setTrust(row, e.trust());
    }

    @EventHandler
    void on(MskVerified e) {
        setTrust(identity(e.userId()), e.trust());
    }

    @EventHandler
    void on(MskVerifiedByUserSigningKey e) {
        setTrust(identity(e.userId()), e.trust());
    }

    @EventHandler
    void on(VerificationWithdrawn e) {
        setTrust(identity(e.userId()), e.trust());
    }

    private IdentityRow identity(String userId) {
        return identities.findById(userId).orElseGet(() -> new IdentityRow(userId));
    }

    private void setTrust(IdentityRow row, IdentityTrust trust) {
        row.setTrust(trust.verified(), trust.previouslyVerified());
        identities.save(row);
    }

    @EventHandler
    void on(SessionReceived e) {
        String id = new SessionRef(e.roomId(), e.sessionId()).aggregateId();
        SessionRow row = sessions.findByAggregateId(id).orElseGet(() -> new SessionRow(id, e.roomId(), e.sessionId()));
        row.setCreator(e.sender(), e.senderKey(), e.claimedEd25519(), false);
        row.setExportFields(e.sharedHistory(), null);
        row.setRatchet(e.firstKnownIndex(), e.sealedSessionKey());
        setSenderData(row, e.senderData());
        row.setDiscarded(false);
        sessions.save(row);
    }

    @EventHandler
    void on(SessionImported e) {
        String id = new SessionRef(e.roomId(), e.sessionId()).aggregateId();
        SessionRow row = sessions.findByAggregateId(id).orElseGet(() -> new SessionRow(id, e.roomId(), e.sessionId()));
        row.setCreator(null, e.claimedSenderKey(), e.claimedEd25519(), true);
        row.setExportFields(e.sharedHistory(), JsonText.write(chainJson(e.forwardingChain())));
        row.setRatchet(e.firstKnownIndex(), e.sealedSessionKey());
        setSenderData(row, e.senderData());
        row.setDiscarded(false);
        sessions.save(row);
    }

    @EventHandler
    void on(SenderDataChanged e) {
        update(e.roomId(), e.sessionId(), row -> setSenderData(row, e.current()));
    }

    @EventHandler
    void on(RatchetImproved e) {
        update(e.roomId(), e.sessionId(), row -> row.setRatchet(e.firstKnownIndex(), e.sealedSessionKey()));
    }

    @EventHandler
    void on(SessionDiscarded e) {
        update(e.roomId(), e.sessionId(), row -> row.setDiscarded(true));
    }

    private void update(String roomId, String sessionId, java.util.function.Consumer<SessionRow> change) {
        SessionRow row = sessions.findByRoomIdAndSessionId(roomId, sessionId)
                .orElseThrow(() -> new IllegalStateException("no directory row for " + sessionId + " in " + roomId));
        change.accept(row);
        sessions.save(row);
    }

    private static ArrayNode chainJson(List<String> chain) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        if (chain != null) {
            chain.forEach(array::add);
        }
        return array;
    }

    private static void setSenderData(SessionRow row, SenderData data) {
        String masterKey = data.signer().map(signer -> signer.masterKey().toBase64()).orElse(null);
        row.setSenderData(SenderDataJson.write(data).toString(), data.rank(), data.userId().orElse(null), masterKey,
                data.legacySession());
    }
}
