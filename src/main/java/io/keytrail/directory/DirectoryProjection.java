package io.keytrail.directory;

import java.util.List;
import java.util.Map;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

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
import io.keytrail.session.SessionEvents.SessionForgotten;
import io.keytrail.session.SessionEvents.SessionKeyResealed;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.session.SessionRef;

/**
 * Keeps the directory read models in step with the events. It runs in a subscribing processor
 * (a library default of api.KeytrailEnvironment), inside the unit of work that stores the events: the fast lane and the
 * re-decision search read a model that is consistent as soon as a command returns.
 */
@Component
@ProcessingGroup(DirectoryProjection.GROUP)
public class DirectoryProjection {
    public static final String GROUP = "directory";
    /** The tables this projection owns: everything in them can be rebuilt from the events (ADR 0013). */
    public static final List<String> TABLES = List.of("kt_session", "kt_device", "kt_identity");
    private final DeviceRows devices;
    private final IdentityRows identities;
    private final SessionRows sessions;

    public DirectoryProjection(DeviceRows devices, IdentityRows identities, SessionRows sessions) {
        this.devices = devices;
        this.identities = identities;
        this.sessions = sessions;
    }

    /** Empties the projection's tables, before a rebuild replays every event into them (ADR 0013). */
    public void clear() {
        sessions.deleteAllInBatch();
        devices.deleteAllInBatch();
        identities.deleteAllInBatch();
    }

    /** Rows in the projection's tables: {@code sessions, devices, identities}. */
    public long[] counts() {
        return new long[] {sessions.count(), devices.count(), identities.count()};
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
                    e.taintedDeviceIds().contains(d.getKey()), JsonText.writeValue(e.standings().get(d.getKey()))));
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

    // Sessions: the row shows the session's state after each event, folded by SessionState (the same fold
    // as the aggregate's), so the read model cannot drift from what the events mean.

    void on(SessionReceived e) {
        on(e, null);
    }

    /** @param sequence the event's number in its session's stream: 0 means the session has no row yet */
    @EventHandler
    void on(SessionReceived e, @SequenceNumber Long sequence) {
        create(e.roomId(), e.sessionId(), e, sequence);
    }

    void on(SessionImported e) {
        on(e, null);
    }

    @EventHandler
    void on(SessionImported e, @SequenceNumber Long sequence) {
        create(e.roomId(), e.sessionId(), e, sequence);
    }

    @EventHandler
    void on(SessionReceivedOverImport e) {
        update(e.roomId(), e.sessionId(), e);
    }

    @EventHandler
    void on(SenderDataChanged e) {
        update(e.roomId(), e.sessionId(), e);
    }

    @EventHandler
    void on(RatchetImproved e) {
        update(e.roomId(), e.sessionId(), e);
    }

    @EventHandler
    void on(SessionDiscarded e) {
        update(e.roomId(), e.sessionId(), e);
    }

    @EventHandler
    void on(SessionForgotten e) {
        update(e.roomId(), e.sessionId(), e);
    }

    @EventHandler
    void on(SessionKeyResealed e) {
        update(e.roomId(), e.sessionId(), e);
    }

    /**
     * A first receipt or import creates the row; an authenticated copy over an import (or, in stores of the
     * old form, a second {@code SessionReceived}) reuses it.
     */
    private void create(String roomId, String sessionId, Object event, Long sequence) {
        String id = new SessionRef(roomId, sessionId).aggregateId();
        // The first event of a session's stream creates its row: no read before that write (issue 13).
        SessionRow row = sequence != null && sequence == 0 ? new SessionRow(id, roomId, sessionId)
                : sessions.findByAggregateId(id).orElseGet(() -> new SessionRow(id, roomId, sessionId));
        row.show(row.state().apply(event));
        sessions.save(row);
    }

    private void update(String roomId, String sessionId, Object event) {
        SessionRow row = sessions.findByRoomIdAndSessionId(roomId, sessionId)
                .orElseThrow(() -> new IllegalStateException("no directory row for " + sessionId + " in " + roomId));
        row.show(row.state().apply(event));
        sessions.save(row);
    }
}
