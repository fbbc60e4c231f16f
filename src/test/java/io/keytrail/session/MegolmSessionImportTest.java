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
import static io.keytrail.session.SessionFixtures.importOf;
import static io.keytrail.session.SessionFixtures.imported;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.receive;
import static io.keytrail.session.SessionFixtures.received;
import static io.keytrail.session.SessionFixtures.unverified;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.session.SessionCommands.RedecideSenderData;
import io.keytrail.session.SessionEvents.RatchetImproved;
import io.keytrail.session.SessionEvents.SessionCopyKept;
import io.keytrail.session.SessionEvents.SessionCopyRefused;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.session.SessionFixtures.Megolm;
import io.keytrail.trust.SenderData;

/**
 * Design section 6: imports are legacy and unauthenticated; an import never lowers the trust of a session
 * we hold (it may graft a better ratchet); an authenticated copy with more trust replaces an import.
 */
class MegolmSessionImportTest {
    private final SessionKeyVault vault = SessionFixtures.vault();
    private final Megolm megolm = Megolm.of("import");
    private AggregateTestFixture<MegolmSession> fixture;

    @BeforeEach
    void setUp() {
        fixture = SessionFixtures.aggregate(vault);
    }

    @Test
    void importOfANewSession_isImportedAsLegacyWithItsClaimsRecorded() {
        fixture.givenNoPriorActivity()
                .when(importOf(megolm, 0, ALICE, PHONE))
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectEventsMatching(exactly(event(SessionImported.class, "UnknownDevice{legacy=true}",
                        e -> e.senderData().equals(SenderData.legacy()) && e.source().equals(ImportSource.KEY_EXPORT)
                                && e.claimedSenderKey().equals(SessionFixtures.curve(ALICE, PHONE))
                                && vault.open(e.sealedSessionKey(), megolm.id()).equals(megolm.exportAt(0)))));
    }

    @Test
    void importWithABetterRatchetOverAReceivedSession_graftsTheRatchetOnly() {
        fixture.given(received(vault, megolm, 4, ALICE, PHONE, SenderData.unknown(), nothingKnown()))
                .when(importOf(megolm, 0, ALICE, PHONE))
                .expectEventsMatching(exactly(event(RatchetImproved.class, "to index 0", e -> e.firstKnownIndex() == 0)));
    }

    @Test
    void importWithABetterRatchetOverASenderUnverifiedSession_neverLowersTrust() {
        fixture.given(received(vault, megolm, 4, ALICE, PHONE, unverified(ALICE, PHONE), crossSigned(ALICE, PHONE)))
                .when(importOf(megolm, 0, ALICE, PHONE))
                .expectEventsMatching(exactly(event(RatchetImproved.class, "to index 0", e -> e.firstKnownIndex() == 0)));
    }

    @Test
    void importWithAnEqualOrWorseRatchet_isKept() {
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()))
                .when(importOf(megolm, 2, ALICE, PHONE))
                .expectEventsMatching(exactly(event(SessionCopyKept.class, "WORSE, legacy offered",
                        e -> e.ratchet().equals(RatchetComparison.WORSE) && e.offered().equals(SenderData.legacy()))));
    }

    @Test
    void importWithABetterRatchetOverAnImport_graftsTheRatchet() {
        fixture.given(imported(vault, megolm, 3, ALICE, PHONE))
                .when(importOf(megolm, 0, ALICE, PHONE))
                .expectEventsMatching(exactly(event(RatchetImproved.class, "to index 0", e -> e.firstKnownIndex() == 0)));
    }

    @Test
    void importClaimingAnotherCreatorKey_isRefused() {
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()))
                .when(importOf(megolm, 0, ALICE, LAPTOP))
                .expectResultMessagePayloadMatching(event(ReceiveOutcome.class, "refused MISMATCHED_IDENTITY_KEYS",
                        o -> RefusalCode.MISMATCHED_IDENTITY_KEYS == o.refusedCode()))
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "MISMATCHED_IDENTITY_KEYS",
                        e -> e.code().equals(RefusalCode.MISMATCHED_IDENTITY_KEYS) && e.detail().contains("KEY_EXPORT"))));
    }

    @Test
    void importWithAnUnconnectedRatchet_isRefused() {
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()))
                .when(importOf(Megolm.unconnectedTwinOf("import"), 0, ALICE, PHONE))
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "INVALID_SESSION_KEY",
                        e -> e.code().equals(RefusalCode.INVALID_SESSION_KEY))));
    }

    @Test
    void importOfADiscardedSession_isRefused() {
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()),
                        new SessionDiscarded(ROOM, megolm.sessionId(), DiscardCause.TAMPERING, null, Rule.CROSS_SIGNING_SIGNATURE_INVALID, "given", null))
                .when(importOf(megolm, 0, ALICE, PHONE))
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "SESSION_DISCARDED",
                        e -> e.code().equals(RefusalCode.SESSION_DISCARDED))));
    }

    @Test
    void authenticatedCopyWithMoreTrustOverAnImport_isReceivedOverTheImportAndLosesTheLegacyFlagBecauseTrustRose() {
        fixture.given(imported(vault, megolm, 0, ALICE, PHONE))
                .when(receive(megolm, 0, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(event(SessionReceivedOverImport.class, "SenderUnverified, from Olm",
                        e -> e.senderData().equals(unverified(ALICE, PHONE)) && e.sender().equals(ALICE.userId())
                                && e.previous().equals(SenderData.legacy()) && e.evidence() != null
                                && e.firstKnownIndex() == 0)));
    }

    @Test
    void anImportReceivedOverInTheOldForm_aSecondSessionReceived_stillFoldsIntoAnAuthenticatedSession() {
        // Stores written before SessionReceivedOverImport held a second SessionReceived on the aggregate.
        SessionReceived oldForm = received(vault, megolm, 0, ALICE, PHONE, unverified(ALICE, PHONE),
                crossSigned(ALICE, PHONE));
        fixture.given(imported(vault, megolm, 0, ALICE, PHONE), oldForm)
                .when(receive(megolm, 0, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents(); // the same copy again: were it still an import, it would be received over it
    }

    @Test
    void authenticatedCopyWithMoreTrustButAWorseRatchet_keepsTheImportsBetterRatchet() {
        fixture.given(imported(vault, megolm, 0, ALICE, PHONE))
                .when(receive(megolm, 6, ALICE, PHONE, deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .expectEventsMatching(exactly(event(SessionReceivedOverImport.class, "DeviceInfo at index 0",
                        e -> e.senderData().equals(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY))
                                && e.firstKnownIndex() == 0 && !e.ratchetTaken()
                                && vault.open(e.sealedSessionKey(), megolm.id()).equals(megolm.exportAt(0))),
                        // decided as a receipt: a known device without a known identity wants the identity
                        event(SenderKeysWanted.class, "the owner's identity", e -> e.userId().equals(ALICE.userId())
                                && e.senderKey() == null && e.identityWanted())));
    }

    @Test
    void authenticatedCopyWithoutMoreTrustOverAnImport_keepsTheLegacyFlag() {
        fixture.given(imported(vault, megolm, 0, ALICE, PHONE))
                .when(receive(megolm, 0, ALICE, PHONE, nothingKnown()))
                .expectEventsMatching(exactly(event(SessionCopyKept.class, "EQUAL", e -> e.ratchet().equals(RatchetComparison.EQUAL))));
    }

    @Test
    void importedSessionWhoseClaimedDeviceShowsUp_keepsItsLegacyFlag() {
        fixture.given(imported(vault, megolm, 0, ALICE, PHONE))
                .when(new RedecideSenderData(megolm.id(), crossSigned(ALICE, PHONE), Trigger.DEVICE_KEYS_FETCHED))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
