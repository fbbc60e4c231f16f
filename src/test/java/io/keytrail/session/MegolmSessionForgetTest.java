package io.keytrail.session;

import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.ROOM;
import static io.keytrail.session.SessionFixtures.event;
import static io.keytrail.session.SessionFixtures.exactly;
import static io.keytrail.session.SessionFixtures.importOf;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keytrail.errors.RefusalCode;
import io.keytrail.session.SessionCommands.ForgetSession;
import io.keytrail.session.SessionCommands.ResealSessionKey;
import io.keytrail.session.SessionEvents.SessionCopyRefused;
import io.keytrail.session.SessionEvents.SessionForgotten;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionKeyResealed;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionFixtures.Megolm;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/** ADR 0012: forgetting a session (crypto-shredding) and re-sealing a v1 value, on the aggregate. */
class MegolmSessionForgetTest {
    private final SessionKeyVault vault = SessionFixtures.vault();
    private final Megolm megolm = Megolm.of("forget");
    private AggregateTestFixture<MegolmSession> fixture;

    @BeforeEach
    void setUp() {
        fixture = SessionFixtures.aggregate(vault);
    }

    private SessionReceived received() {
        return SessionFixtures.received(vault, megolm, 0, ALICE, PHONE, SenderData.unknown(), nothingKnown());
    }

    private SessionImported importedV1() {
        return new SessionImported(ROOM, megolm.sessionId(), ImportSource.KEY_EXPORT, null, null, List.of(), false, 0,
                vault.sealV1(megolm.exportAt(0), megolm.id()), SenderData.legacy(), Rule.IMPORTED);
    }

    @Test
    void forget_recordsWhoAndWhy_andDestroysTheSessionsDataKeys() {
        SessionReceived received = received();
        fixture.given(received)
                .when(new ForgetSession(megolm.id(), "cli: alice", "erasure request"))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new MegolmSession.Forgetting(true, 1, false))
                .expectEventsMatching(exactly(event(SessionForgotten.class, "by cli: alice for erasure request",
                        e -> e.by().equals("cli: alice") && e.reason().equals("erasure request")
                                && e.roomId().equals(ROOM) && e.sessionId().equals(megolm.sessionId()))));

        assertThatThrownBy(() -> vault.open(received.sealedSessionKey(), megolm.id()))
                .isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
    }

    @Test
    void forgettingTwice_appendsNothing() {
        fixture.given(received(), new SessionForgotten(ROOM, megolm.sessionId(), "cli: alice", ""))
                .when(new ForgetSession(megolm.id(), "cli: bob", "again"))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new MegolmSession.Forgetting(false, 0, false))
                .expectNoEvents();
    }

    @Test
    void reReceivedRoomKeyOfAForgottenSession_isRefusedSessionForgotten_andRecorded() {
        fixture.given(received(), new SessionForgotten(ROOM, megolm.sessionId(), "cli: alice", ""))
                .when(receive(megolm, 0, ALICE, PHONE, nothingKnown()))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(event(ReceiveOutcome.class, "refused SESSION_FORGOTTEN",
                        o -> o.refusedCode() == RefusalCode.SESSION_FORGOTTEN))
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "SESSION_FORGOTTEN",
                        e -> e.code() == RefusalCode.SESSION_FORGOTTEN)));
    }

    @Test
    void importOfAForgottenSession_isRefusedSessionForgotten() {
        fixture.given(received(), new SessionForgotten(ROOM, megolm.sessionId(), "cli: alice", ""))
                .when(importOf(megolm, 0, ALICE, PHONE))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(exactly(event(SessionCopyRefused.class, "SESSION_FORGOTTEN",
                        e -> e.code() == RefusalCode.SESSION_FORGOTTEN)));
    }

    @Test
    void forgettingAV1SealedSession_saysSoAndDestroysNoDataKey() {
        fixture.given(importedV1())
                .when(new ForgetSession(megolm.id(), "cli: alice", ""))
                .expectResultMessagePayload(new MegolmSession.Forgetting(true, 0, true));
    }

    @Test
    void resealOfAV1Value_appendsAV2ValueThatOpensToTheSameRatchet() {
        fixture.given(importedV1())
                .when(new ResealSessionKey(megolm.id()))
                .expectResultMessagePayload(true)
                .expectEventsMatching(exactly(event(SessionKeyResealed.class, "v2 opening to the export at 0",
                        e -> e.sealedSessionKey().startsWith("v2:")
                                && vault.open(e.sealedSessionKey(), megolm.id()).equals(megolm.exportAt(0)))));
    }

    @Test
    void resealOfAV2ValueOrAForgottenSession_appendsNothing() {
        fixture.given(received()).when(new ResealSessionKey(megolm.id()))
                .expectResultMessagePayload(false).expectNoEvents();
        fixture.given(importedV1(), new SessionForgotten(ROOM, megolm.sessionId(), "cli: alice", ""))
                .when(new ResealSessionKey(megolm.id()))
                .expectResultMessagePayload(false).expectNoEvents();
    }

    @Test
    void fold_forgottenSessionPointsAtNoKeyMaterial_resealedSessionReadsTheNewValue() {
        SessionImported imported = importedV1();
        SessionState resealed = SessionState.of(List.of(imported,
                new SessionKeyResealed(ROOM, megolm.sessionId(), "v2:new")));
        SessionState forgotten = resealed.apply(new SessionForgotten(ROOM, megolm.sessionId(), "x", ""));

        assertThat(resealed.sealedSessionKey()).isEqualTo("v2:new");
        assertThat(resealed.forgotten()).isFalse();
        assertThat(forgotten.forgotten()).isTrue();
        assertThat(forgotten.sealedSessionKey()).isNull();
        assertThat(forgotten.senderData()).isEqualTo(SenderData.legacy());
    }
}
