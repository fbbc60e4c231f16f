package io.keytrail.session;

import io.keytrail.trust.DiscardCause;
import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.LAPTOP;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.ROOM;
import static io.keytrail.session.SessionFixtures.crossSigned;
import static io.keytrail.session.SessionFixtures.curve;
import static io.keytrail.session.SessionFixtures.ed25519;
import static io.keytrail.session.SessionFixtures.unverified;
import static io.keytrail.session.SessionFixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.keytrail.crypto.megolm.RatchetComparison;
import io.keytrail.errors.RefusalCode;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.RoomKeyRefused;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionCopyKept;
import io.keytrail.session.SessionEvents.SessionCopyRefused;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/** The one session fold, as a plain object: each event's meaning for the session's state. */
class SessionStateTest {
    private static final String SESSION = "c2Vzc2lvbg";
    private static final String ID = new SessionRef(ROOM, SESSION).aggregateId();

    private static SessionReceived received(SenderData data) {
        DecisionEvidence evidence = crossSigned(ALICE, PHONE)
                .withSenderDeviceKeys(ALICE.deviceKeysJson(PHONE, DeviceSigning.CROSS_SIGNED));
        return new SessionReceived(ROOM, SESSION, ALICE.userId(), curve(ALICE, PHONE), ed25519(ALICE, PHONE), true, 4,
                "v1:sealed-at-4", data, Rule.CROSS_SIGNED_UNVERIFIED, evidence);
    }

    private static SessionImported imported() {
        return new SessionImported(ROOM, SESSION, ImportSource.FORWARDED, curve(ALICE, PHONE), ed25519(ALICE, PHONE),
                List.of(curve(ALICE, LAPTOP)), true, 2, "v1:sealed-at-2", SenderData.legacy(), Rule.IMPORTED);
    }

    @Test
    void sessionReceivedOverImport_makesTheImportAnAuthenticatedSession_likeTheOldSecondSessionReceived() {
        SessionReceived oldForm = received(unverified(ALICE, PHONE));
        SessionReceivedOverImport newForm = new SessionReceivedOverImport(ROOM, SESSION, ALICE.userId(),
                curve(ALICE, PHONE), ed25519(ALICE, PHONE), true, false, 4, "v1:sealed-at-4", SenderData.legacy(),
                unverified(ALICE, PHONE), Rule.CROSS_SIGNED_UNVERIFIED, oldForm.evidence());

        SessionState overImport = SessionState.of(List.of(imported(), newForm));

        assertThat(overImport.imported()).isFalse();
        assertThat(overImport.forwardingChain()).isEmpty();
        assertThat(overImport.sender()).isEqualTo(ALICE.userId());
        assertThat(overImport.senderData()).isEqualTo(unverified(ALICE, PHONE));
        assertThat(overImport).as("stores holding the old form fold to the same state")
                .isEqualTo(SessionState.of(List.of(imported(), oldForm)));
        assertThat(SessionState.recordsDecision(newForm)).isTrue();
    }

    @Test
    void beforeTheFirstEvent_noSessionExists() {
        assertThat(SessionState.NONE.exists()).isFalse();
        assertThat(SessionState.of(List.of())).isEqualTo(SessionState.NONE);
    }

    @Test
    void eventsBeforeTheSessionExists_changeNothing() {
        SessionState state = SessionState.NONE
                .apply(new SenderDataChanged(ROOM, SESSION, SenderData.unknown(), unverified(ALICE, PHONE),
                        Rule.CROSS_SIGNED_UNVERIFIED, Trigger.DEVICE_KEYS_FETCHED, null))
                .apply(new RatchetImproved(ROOM, SESSION, 0, "v1:x"))
                .apply(new SessionDiscarded(ROOM, SESSION, DiscardCause.TAMPERING, null, Rule.TAINTED_DEVICE, "d", null));

        assertThat(state).isSameAs(SessionState.NONE);
    }

    @Test
    void sessionReceived_recordsTheAuthenticatedCreatorRatchetAndSenderData() {
        SessionState state = SessionState.NONE.apply(received(unverified(ALICE, PHONE)));

        assertThat(state.exists()).isTrue();
        assertThat(state.aggregateId()).isEqualTo(ID);
        assertThat(state.sender()).isEqualTo(ALICE.userId());
        assertThat(state.senderKey()).isEqualTo(curve(ALICE, PHONE));
        assertThat(state.claimedEd25519()).isEqualTo(ed25519(ALICE, PHONE));
        assertThat(state.senderDeviceKeys()).isEqualTo(ALICE.deviceKeysJson(PHONE, DeviceSigning.CROSS_SIGNED));
        assertThat(state.imported()).isFalse();
        assertThat(state.sharedHistory()).isTrue();
        assertThat(state.forwardingChain()).isEmpty();
        assertThat(state.firstKnownIndex()).isEqualTo(4);
        assertThat(state.sealedSessionKey()).isEqualTo("v1:sealed-at-4");
        assertThat(state.senderData()).isEqualTo(unverified(ALICE, PHONE));
        assertThat(state.discarded()).isFalse();
    }

    @Test
    void sessionImported_recordsClaimsOnlyAndNoSender() {
        SessionState state = SessionState.NONE.apply(imported());

        assertThat(state.imported()).isTrue();
        assertThat(state.sender()).isNull();
        assertThat(state.senderKey()).isEqualTo(curve(ALICE, PHONE));
        assertThat(state.senderDeviceKeys()).isNull();
        assertThat(state.forwardingChain()).containsExactly(curve(ALICE, LAPTOP));
        assertThat(state.firstKnownIndex()).isEqualTo(2);
        assertThat(state.senderData()).isEqualTo(SenderData.legacy());
    }

    @Test
    void authenticatedCopyOverAnImport_replacesTheImportedStateWhole() {
        SessionState state = SessionState.of(List.of(imported(), received(unverified(ALICE, PHONE))));

        assertThat(state.imported()).isFalse();
        assertThat(state.sender()).isEqualTo(ALICE.userId());
        assertThat(state.forwardingChain()).isEmpty();
        assertThat(state.senderData()).isEqualTo(unverified(ALICE, PHONE));
    }

    @Test
    void senderDataChanged_replacesOnlyTheSenderData() {
        SessionState before = SessionState.NONE.apply(received(unverified(ALICE, PHONE)));

        SessionState after = before.apply(new SenderDataChanged(ROOM, SESSION, unverified(ALICE, PHONE),
                verified(ALICE, PHONE), Rule.MSK_VERIFIED, Trigger.VERIFY_MASTER_KEY, null));

        assertThat(after.senderData()).isEqualTo(verified(ALICE, PHONE));
        assertThat(after).usingRecursiveComparison().ignoringFields("senderData").isEqualTo(before);
        assertThat(before.senderData()).as("the earlier state is unchanged").isEqualTo(unverified(ALICE, PHONE));
    }

    @Test
    void ratchetImproved_replacesTheIndexAndSealedKeyOnly() {
        SessionState before = SessionState.NONE.apply(received(unverified(ALICE, PHONE)));

        SessionState after = before.apply(new RatchetImproved(ROOM, SESSION, 0, "v1:sealed-at-0"));

        assertThat(after.firstKnownIndex()).isZero();
        assertThat(after.sealedSessionKey()).isEqualTo("v1:sealed-at-0");
        assertThat(after).usingRecursiveComparison().ignoringFields("firstKnownIndex", "sealedSessionKey")
                .isEqualTo(before);
    }

    @Test
    void sessionDiscarded_marksTheSessionAndKeepsItsSenderData() {
        SessionState state = SessionState.of(List.of(received(unverified(ALICE, PHONE)),
                new SessionDiscarded(ROOM, SESSION, DiscardCause.TAMPERING, null, Rule.CROSS_SIGNING_SIGNATURE_INVALID, "bad", null)));

        assertThat(state.discarded()).isTrue();
        assertThat(state.senderData()).isEqualTo(unverified(ALICE, PHONE));
    }

    @Test
    void copiesKeptOrRefused_andRefusedRoomKeys_leaveTheStateAsItIs() {
        SessionState before = SessionState.NONE.apply(received(unverified(ALICE, PHONE)));

        SessionState after = before
                .apply(new SessionCopyKept(ROOM, SESSION, RatchetComparison.WORSE, SenderData.legacy()))
                .apply(new SessionCopyRefused(ROOM, SESSION, RefusalCode.MISMATCHED_IDENTITY_KEYS, "d", null,
                        curve(ALICE, LAPTOP), null))
                .apply(new RoomKeyRefused(ROOM, SESSION, ALICE.userId(), curve(ALICE, LAPTOP),
                        RefusalCode.MISMATCHED_IDENTITY_KEYS, "d", null))
                .apply("not an event");

        assertThat(after).isSameAs(before);
    }

    @Test
    void decisionsAreTheCreatingChangingAndDiscardingEvents() {
        assertThat(SessionState.recordsDecision(received(SenderData.unknown()))).isTrue();
        assertThat(SessionState.recordsDecision(imported())).isTrue();
        assertThat(SessionState.recordsDecision(new SessionDiscarded(ROOM, SESSION, DiscardCause.TAMPERING, null,
                Rule.TAINTED_DEVICE, "d", null))).isTrue();
        assertThat(SessionState.recordsDecision(new RatchetImproved(ROOM, SESSION, 0, "v1:x"))).isFalse();
        assertThat(SessionState.recordsDecision(new SessionCopyKept(ROOM, SESSION, RatchetComparison.EQUAL,
                SenderData.legacy()))).isFalse();
    }
}
