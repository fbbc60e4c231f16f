package io.keytrail.session;

import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.ROOM;
import static io.keytrail.session.SessionFixtures.crossSigned;
import static io.keytrail.session.SessionFixtures.curve;
import static io.keytrail.session.SessionFixtures.ed25519;
import static io.keytrail.session.SessionFixtures.event;
import static io.keytrail.session.SessionFixtures.exactly;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.received;
import static io.keytrail.session.SessionFixtures.unverified;

import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keytrail.session.SessionCommands.ImportSession;
import io.keytrail.session.SessionCommands.RecordSenderKeysWanted;
import io.keytrail.session.SessionEvents.SenderDataChanged;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionForgotten;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionFixtures.Megolm;
import io.keytrail.trust.DiscardCause;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * The session records {@link SenderKeysWanted} where its decision needs the homeserver's keys (ADR 0019),
 * and records it late, for the slow lane's catch-up of older stores, only while nothing moved since.
 */
class MegolmSessionKeysWantedTest {
    private final SessionKeyVault vault = SessionFixtures.vault();
    private final Megolm megolm = Megolm.of("keys-wanted");
    private AggregateTestFixture<MegolmSession> fixture;

    @BeforeEach
    void setUp() {
        fixture = SessionFixtures.aggregate(vault);
    }

    @Test
    void importNamingItsOwner_recordsThatTheClaimedDevicesKeysAreWanted() {
        fixture.givenNoPriorActivity()
                .when(new ImportSession(megolm.id(), ROOM, megolm.sessionId(), ImportSource.KEY_EXPORT,
                        curve(ALICE, PHONE), ed25519(ALICE, PHONE), List.of(), false, 0, megolm.exportAt(0),
                        ImportClaim.of(ALICE.userId(), null), null))
                .expectEventsMatching(exactly(event(SessionImported.class, "with its claim",
                                e -> ALICE.userId().equals(e.claimedSender())),
                        event(SenderKeysWanted.class, "the claimed device of the claimed owner",
                                e -> e.userId().equals(ALICE.userId()) && curve(ALICE, PHONE).equals(e.senderKey()))));
    }

    @Test
    void crossSignedReceipt_recordsNoWant() {
        fixture.givenNoPriorActivity()
                .when(SessionFixtures.receive(megolm, 0, ALICE, PHONE, crossSigned(ALICE, PHONE)))
                .expectEventsMatching(exactly(event(SessionEvents.SessionReceived.class, "SenderUnverified",
                        e -> e.senderData().equals(unverified(ALICE, PHONE)))));
    }

    @Test
    void lateWant_ofAReceiptStoredBeforeTheEventExisted_isRecordedWhileTheSenderDataIsUnchanged() {
        SenderKeysWanted wanted = wanted();
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()))
                .when(new RecordSenderKeysWanted(megolm.id(), wanted, SenderData.unknown()))
                .expectResultMessagePayload(true)
                .expectEvents(wanted);
    }

    @Test
    void lateWant_afterTheSenderDataMovedOn_isNotRecorded_theKeysCameMeanwhile() {
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()),
                        new SenderDataChanged(ROOM, megolm.sessionId(), SenderData.unknown(), unverified(ALICE, PHONE),
                                Rule.CROSS_SIGNED_UNVERIFIED, Trigger.DEVICE_KEYS_FETCHED, crossSigned(ALICE, PHONE)))
                .when(new RecordSenderKeysWanted(megolm.id(), wanted(), SenderData.unknown()))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void lateWant_ofADiscardedOrForgottenSession_isNotRecorded() {
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()),
                        new SessionDiscarded(ROOM, megolm.sessionId(), DiscardCause.TAMPERING, null,
                                Rule.CROSS_SIGNING_SIGNATURE_INVALID, "tampered", nothingKnown()))
                .when(new RecordSenderKeysWanted(megolm.id(), wanted(), SenderData.unknown()))
                .expectResultMessagePayload(false)
                .expectNoEvents();
        fixture.given(received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown()),
                        new SessionForgotten(ROOM, megolm.sessionId(), "cli: test", ""))
                .when(new RecordSenderKeysWanted(megolm.id(), wanted(), SenderData.unknown()))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    private SenderKeysWanted wanted() {
        return new SenderKeysWanted(ROOM, megolm.sessionId(), ALICE.userId(), curve(ALICE, PHONE), false);
    }
}
