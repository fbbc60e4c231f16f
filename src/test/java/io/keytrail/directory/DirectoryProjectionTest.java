package io.keytrail.directory;

import io.keytrail.trust.DiscardCause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityEvents.CrossSigningKeysAccepted;
import io.keytrail.session.ImportSource;
import io.keytrail.session.Trigger;
import io.keytrail.trust.Rule;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.IdentityTrust;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.KnownSenderData;
import io.keytrail.trust.SenderData;

/** The directory projection as a plain object: what each event writes into the read models. */
class DirectoryProjectionTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE", "LAPTOP");
    private static final String ROOM = "!r:example.org";
    private static final String SESSION = "c2Vzc2lvbg";
    private static final String ID = ROOM + "|" + SESSION;
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private final DeviceRows devices = mock(DeviceRows.class);
    private final IdentityRows identities = mock(IdentityRows.class);
    private final SessionRows sessions = mock(SessionRows.class);
    private final DirectoryProjection projection = new DirectoryProjection(devices, identities, sessions);

    private static String curve(String deviceId) {
        return ALICE.device(deviceId).curve25519().toBase64();
    }

    private static SenderData.SenderUnverified unverified() {
        return new SenderData.SenderUnverified(new KnownSenderData(ALICE.userId(), "PHONE",
                ALICE.masterKey().publicKey()));
    }

    private SessionRow saved() {
        ArgumentCaptor<SessionRow> row = ArgumentCaptor.forClass(SessionRow.class);
        verify(sessions).save(row.capture());
        return row.getValue();
    }

    private SessionReceived received(SenderData data) {
        return new SessionReceived(ROOM, SESSION, ALICE.userId(), curve("PHONE"), "ed", false, 3, "sealed", data,
                Rule.NO_DEVICE, null);
    }

    @Test
    void devicesFetchedWithoutAList_leaveTheStoredDevicesAlone() {
        projection.on(new DeviceKeysFetched(ALICE.userId(), AT, false, Map.of(), Set.of(), Set.of(), Set.of(), Set.of()));

        verify(devices, never()).deleteByUserId(any());
        verify(devices, never()).save(any());
    }

    @Test
    void devicesFetchedWithAList_replaceTheUsersDevicesIndexedByCurveKeyWithTheirTaint() {
        Map<String, ObjectNode> listed = Map.of("PHONE", ALICE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED),
                "LAPTOP", ALICE.deviceKeysJson("LAPTOP", DeviceSigning.CROSS_SIGNED));

        projection.on(new DeviceKeysFetched(ALICE.userId(), AT, true, listed, listed.keySet(), Set.of(), Set.of(),
                Set.of("LAPTOP")));

        verify(devices).deleteByUserId(ALICE.userId());
        ArgumentCaptor<DeviceRow> rows = ArgumentCaptor.forClass(DeviceRow.class);
        verify(devices, org.mockito.Mockito.times(2)).save(rows.capture());
        assertThat(rows.getAllValues())
                .extracting(DeviceRow::getDeviceId, DeviceRow::getCurve25519, DeviceRow::isTainted)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("PHONE", curve("PHONE"), false),
                        org.assertj.core.groups.Tuple.tuple("LAPTOP", curve("LAPTOP"), true));
    }

    @Test
    void sessionReceived_isIndexedBySenderKeyRankAndMasterKey() {
        when(sessions.findByAggregateId(ID)).thenReturn(Optional.empty());

        projection.on(received(unverified()));

        SessionRow row = saved();
        assertThat(row.getSenderKey()).isEqualTo(curve("PHONE"));
        assertThat(row.getSender()).isEqualTo(ALICE.userId());
        assertThat(row.getRank()).isEqualTo(3);
        assertThat(row.getMasterKey()).isEqualTo(ALICE.masterKey().publicKey().toBase64());
        assertThat(row.getOwnerUserId()).isEqualTo(ALICE.userId());
        assertThat(row.isImported()).isFalse();
        assertThat(row.getFirstKnownIndex()).isEqualTo(3);
    }

    @Test
    void sessionImported_isLegacyImportedWithoutASender() {
        when(sessions.findByAggregateId(ID)).thenReturn(Optional.empty());

        projection.on(new SessionImported(ROOM, SESSION, ImportSource.KEY_EXPORT, curve("PHONE"), "ed", List.of(), false, 0,
                "sealed", SenderData.legacy(), Rule.IMPORTED));

        SessionRow row = saved();
        assertThat(row.isImported()).isTrue();
        assertThat(row.isLegacy()).isTrue();
        assertThat(row.getSender()).isNull();
        assertThat(row.getRank()).isZero();
    }

    @Test
    void authenticatedCopyOverAnImport_turnsTheSameRowIntoAReceivedSession() {
        SessionRow existing = new SessionRow(ID, ROOM, SESSION);
        existing.setCreator(null, curve("PHONE"), "ed", true);
        when(sessions.findByAggregateId(ID)).thenReturn(Optional.of(existing));

        projection.on(received(unverified()));

        assertThat(saved()).isSameAs(existing);
        assertThat(existing.isImported()).isFalse();
        assertThat(existing.getSender()).isEqualTo(ALICE.userId());
    }

    @Test
    void senderDataChanged_movesTheRankAndMasterKeyIndex() {
        SessionRow existing = new SessionRow(ID, ROOM, SESSION);
        when(sessions.findByRoomIdAndSessionId(ROOM, SESSION)).thenReturn(Optional.of(existing));

        projection.on(new SenderDataChanged(ROOM, SESSION, SenderData.unknown(), unverified(), Rule.CROSS_SIGNED_UNVERIFIED,
                Trigger.DEVICE_KEYS_FETCHED, null));

        assertThat(existing.getRank()).isEqualTo(3);
        assertThat(existing.getMasterKey()).isEqualTo(ALICE.masterKey().publicKey().toBase64());
        assertThat(existing.getSenderDataJson()).contains("SenderUnverified");
    }

    @Test
    void ratchetImprovedAfterAnImport_movesTheRatchetAndKeepsEverythingElse() {
        SessionRow row = new SessionRow(ID, ROOM, SESSION);
        when(sessions.findByAggregateId(ID)).thenReturn(Optional.of(row));
        when(sessions.findByRoomIdAndSessionId(ROOM, SESSION)).thenReturn(Optional.of(row));
        projection.on(new SessionImported(ROOM, SESSION, ImportSource.FORWARDED, curve("PHONE"), "ed",
                List.of(curve("LAPTOP")), true, 5, "sealed-at-5", SenderData.legacy(), Rule.IMPORTED));
        String senderDataJson = row.getSenderDataJson();

        projection.on(new RatchetImproved(ROOM, SESSION, 0, "sealed-at-0"));

        assertThat(row.getFirstKnownIndex()).isZero();
        assertThat(row.getSealedSessionKey()).isEqualTo("sealed-at-0");
        assertThat(row.getSenderDataJson()).isEqualTo(senderDataJson).contains("legacy_session");
        assertThat(row.getForwardingChainJson()).isEqualTo("[\"" + curve("LAPTOP") + "\"]");
        assertThat(row.isImported()).isTrue();
        assertThat(row.isLegacy()).isTrue();
        assertThat(row.isSharedHistory()).isTrue();
        assertThat(row.isDiscarded()).isFalse();
    }

    @Test
    void eventForASessionWithoutARow_failsLoudly() {
        when(sessions.findByRoomIdAndSessionId(ROOM, SESSION)).thenReturn(Optional.empty());

        assertThatThrownBy(() -> projection.on(new SessionDiscarded(ROOM, SESSION, DiscardCause.TAMPERING, null, Rule.TAINTED_DEVICE, "d", null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void crossSigningKeysAccepted_storesTheKeysAndTheTrust() {
        when(identities.findById(ALICE.userId())).thenReturn(Optional.empty());

        projection.on(new CrossSigningKeysAccepted(ALICE.userId(), AT, ALICE.masterKeyJson(),
                ALICE.selfSigningKeyJson(MasterSignature.VALID), null, null, new IdentityTrust(false, true)));

        ArgumentCaptor<IdentityRow> row = ArgumentCaptor.forClass(IdentityRow.class);
        verify(identities).save(row.capture());
        assertThat(row.getValue().getMasterKey()).isEqualTo(ALICE.masterKey().publicKey().toBase64());
        assertThat(row.getValue().getSelfSigningKeyJson()).isNotNull();
        assertThat(row.getValue().getUserSigningKeyJson()).isNull();
        assertThat(row.getValue().isPreviouslyVerified()).isTrue();
    }

    @Test
    void verificationBeforeAnyKeys_createsAnIdentityRowWithoutKeys() {
        when(identities.findById(ALICE.userId())).thenReturn(Optional.empty());

        projection.on(new MskVerified(ALICE.userId(), "msk", IdentityTrust.NONE));

        ArgumentCaptor<IdentityRow> row = ArgumentCaptor.forClass(IdentityRow.class);
        verify(identities).save(row.capture());
        assertThat(row.getValue().getMasterKeyJson()).isNull();
        assertThat(row.getValue().isVerified()).isFalse();
    }
}
