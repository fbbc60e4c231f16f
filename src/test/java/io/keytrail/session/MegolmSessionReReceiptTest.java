package io.keytrail.session;

import io.keytrail.trust.DiscardCause;
import io.keytrail.errors.RefusalCode;
import io.keytrail.crypto.megolm.RatchetComparison;
import io.keytrail.trust.Rule;

import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.LAPTOP;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.ROOM;
import static io.keytrail.session.SessionFixtures.crossSigned;
import static io.keytrail.session.SessionFixtures.deviceInfo;
import static io.keytrail.session.SessionFixtures.deviceOnly;
import static io.keytrail.session.SessionFixtures.event;
import static io.keytrail.session.SessionFixtures.exactly;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.receive;
import static io.keytrail.session.SessionFixtures.received;
import static io.keytrail.session.SessionFixtures.unverified;
import static io.keytrail.session.SessionFixtures.withIdentity;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SessionCopyKept;
import io.keytrail.session.SessionEvents.SessionCopyRefused;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionFixtures.Megolm;
import io.keytrail.trust.SenderData;

/**
 * Design section 5, re-receipt of a session we hold: keep the better ratchet and the higher trust
 * (each its own event); a copy from another creator key or with an unconnected ratchet is refused and
 * recorded; a discarded session refuses every copy.
 */
class MegolmSessionReReceiptTest {
    private final SessionKeyVault vault = SessionFixtures.vault();
    private final Megolm megolm = Megolm.of("re-receipt");
    private AggregateTestFixture<MegolmSession> fixture;

    @BeforeEach
    void setUp() {
        fixture = SessionFixtures.aggregate(vault);
    }

    private SessionReceived heldAt(long index, SenderData data) {
        return received(vault, megolm, index, ALICE, PHONE, data, nothingKnown());
    }

    @Test
    void betterRatchetSameTrust_graftsTheRatchetOnly() {
        fixture.given(heldAt(5, deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .when(receive(megolm, 0, ALICE, PHONE, deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectEventsMatching(exactly(event(RatchetImproved.class, "to index 0, sealed",
                        e -> e.firstKnownIndex() == 0
                                && vault.open(e.sealedSessionKey(), megolm.id()).equals(megolm.exportAt(0)))));
    }

    @Test
    void betterRatchetSameRankOtherDeviceKeys_keepsTheRecordedSenderData() {
        // Same rank is no change (SenderDataChange): a copy must not swap one DeviceInfo's keys for another's.
        fixture.given(heldAt(5, deviceInfo(ALICE, PHONE, DeviceSigning.CROSS_SIGNED)))
                .when(receive(megolm, 0, ALICE, PHONE, deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .expectEventsMatching(exactly(event(RatchetImproved.class, "to index 0", e -> e.firstKnownIndex() == 0)));
    }

    @Test
    void betterRatchetAndMoreTrust_improvesBoth() {
        fixture.given(heldAt(5, SenderData.unknown()))
                .when(receive(megolm, 0, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(
                        event(RatchetImproved.class, "to index 0", e -> e.firstKnownIndex() == 0),
                        event(SenderDataChanged.class, "UnknownDevice -> SenderUnverified on RE_RECEIPT",
                                e -> e.current().equals(unverified(ALICE, PHONE)) && e.trigger().equals(Trigger.RE_RECEIPT))));
    }

    @Test
    void betterRatchetLessTrust_graftsTheRatchetAndKeepsTheTrust() {
        fixture.given(heldAt(5, unverified(ALICE, PHONE)))
                .when(receive(megolm, 0, ALICE, PHONE, nothingKnown()))
                .expectEventsMatching(exactly(event(RatchetImproved.class, "to index 0", e -> e.firstKnownIndex() == 0)));
    }

    @Test
    void worseRatchetMoreTrust_takesTheTrustAndKeepsTheRatchet() {
        fixture.given(heldAt(0, SenderData.unknown()))
                .when(receive(megolm, 7, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(event(SenderDataChanged.class, "UnknownDevice -> SenderUnverified",
                        e -> e.previous().equals(SenderData.unknown()) && e.current().equals(unverified(ALICE, PHONE))
                                && e.evidence() != null)));
    }

    @Test
    void sameCopyAgain_isAcceptedAndAppendsNoEvent() {
        fixture.given(heldAt(0, deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .when(receive(megolm, 0, ALICE, PHONE, deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectNoEvents();
    }

    @Test
    void equalRatchetOfferingLessTrust_isKept() {
        fixture.given(heldAt(0, deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .when(receive(megolm, 0, ALICE, PHONE, nothingKnown()))
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectEventsMatching(exactly(event(SessionCopyKept.class, "EQUAL",
                        e -> e.ratchet().equals(RatchetComparison.EQUAL))));
    }

    @Test
    void worseCopyWithoutMoreTrust_isKept() {
        fixture.given(heldAt(0, unverified(ALICE, PHONE)))
                .when(receive(megolm, 3, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(event(SessionCopyKept.class, "WORSE", e -> e.ratchet().equals(RatchetComparison.WORSE))));
    }

    @Test
    void copyFromAnotherCreatorKey_isRefusedAsMismatchedIdentityKeys() {
        fixture.given(heldAt(0, SenderData.unknown()))
                .when(receive(megolm, 0, ALICE, LAPTOP, nothingKnown()))
                .expectResultMessagePayloadMatching(event(ReceiveOutcome.class, "refused MISMATCHED_IDENTITY_KEYS",
                        o -> RefusalCode.MISMATCHED_IDENTITY_KEYS == o.refusedCode()))
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "MISMATCHED_IDENTITY_KEYS",
                        e -> e.code().equals(RefusalCode.MISMATCHED_IDENTITY_KEYS)
                                && e.senderKey().equals(SessionFixtures.curve(ALICE, LAPTOP)))));
    }

    @Test
    void copyWithAnUnconnectedRatchet_isRefusedAsInvalidSessionKey() {
        Megolm twin = Megolm.unconnectedTwinOf("re-receipt");
        fixture.given(heldAt(0, SenderData.unknown()))
                .when(receive(twin, 0, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectResultMessagePayloadMatching(event(ReceiveOutcome.class, "refused INVALID_SESSION_KEY",
                        o -> RefusalCode.INVALID_SESSION_KEY == o.refusedCode()))
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "INVALID_SESSION_KEY",
                        e -> e.code().equals(RefusalCode.INVALID_SESSION_KEY))));
    }

    @Test
    void copyOfADiscardedSession_isRefused() {
        fixture.given(heldAt(0, SenderData.unknown()),
                        new SessionDiscarded(ROOM, megolm.sessionId(), DiscardCause.TAMPERING, null, Rule.CROSS_SIGNING_SIGNATURE_INVALID, "given", null))
                .when(receive(megolm, 0, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectResultMessagePayloadMatching(event(ReceiveOutcome.class, "refused SESSION_DISCARDED",
                        o -> RefusalCode.SESSION_DISCARDED == o.refusedCode()))
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "SESSION_DISCARDED",
                        e -> e.code().equals(RefusalCode.SESSION_DISCARDED))));
    }

    @Test
    void copyWhoseDeviceContradictsItsClaims_isRefusedAndTheHeldSessionKept() {
        SessionCommands.ReceiveSession claimsLaptopKey = new SessionCommands.ReceiveSession(megolm.id(), ROOM,
                megolm.sessionId(), ALICE.userId(), SessionFixtures.curve(ALICE, PHONE),
                SessionFixtures.ed25519(ALICE, LAPTOP), false, 0, megolm.exportAt(0), null, crossSigned(ALICE, PHONE));
        fixture.given(heldAt(0, SenderData.unknown()))
                .when(claimsLaptopKey)
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "MISMATCHED_IDENTITY_KEYS",
                        e -> e.code().equals(RefusalCode.MISMATCHED_IDENTITY_KEYS))));
    }

    @Test
    void copyCarryingEvidenceOfTamperingOverASenderUnverifiedSession_keepsTheSessionAndItsTrust() {
        fixture.given(heldAt(0, unverified(ALICE, PHONE)))
                .when(receive(megolm, 0, ALICE, PHONE,
                        withIdentity(ALICE, PHONE, DeviceSigning.BAD_CROSS_SIGNATURE, ALICE, false, false)))
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectEventsMatching(exactly(event(SessionCopyKept.class, "EQUAL", e -> e.ratchet().equals(RatchetComparison.EQUAL))));
    }

    @Test
    void copyCarryingEvidenceOfTamperingOverAnUnknownDeviceSession_discardsTheSession() {
        fixture.given(heldAt(0, SenderData.unknown()))
                .when(receive(megolm, 0, ALICE, PHONE,
                        withIdentity(ALICE, PHONE, DeviceSigning.BAD_CROSS_SIGNATURE, ALICE, false, false)))
                .expectEventsMatching(exactly(event(SessionDiscarded.class, "TAMPERING",
                        e -> e.cause() == DiscardCause.TAMPERING)));
    }
}
