package io.keytrail.redecision;

import static io.keytrail.redecision.Story.curve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.Registration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.directory.SessionView;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.redecision.KeysIntake.KeysResult;
import io.keytrail.session.SessionCommands.RedecideSenderData;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionRef;
import io.keytrail.trust.SenderData;

/**
 * Issue 9: re-decisions used to be dispatched after the keys were stored, so a crash between the two
 * left the keys stored (and the key-query saga ended) with sessions never upgraded. Now the keys and
 * their re-decisions are one unit of work: a failure injected before the last re-decision leaves
 * nothing of the input behind, and delivering it again gives the whole result.
 */
@EngineSpringTest
class CrashSafeRedecisionTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    CommandBus commandBus;
    @Autowired
    EventStore eventStore;

    private final Story story = new Story();
    private Registration fault;

    @AfterEach
    void removeFault() {
        if (fault != null) {
            fault.cancel();
        }
    }

    /** Fails the {@code n}-th re-decision sent for {@code userId}'s sessions from now on, once. */
    private void failRedecision(int n, List<String> aggregateIds) {
        AtomicInteger seen = new AtomicInteger();
        fault = commandBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            if (unitOfWork.getMessage().getPayload() instanceof RedecideSenderData r
                    && aggregateIds.contains(r.id()) && seen.incrementAndGet() == n) {
                throw new IllegalStateException("injected crash before re-decision " + n);
            }
            return chain.proceed();
        });
    }

    @Test
    void failureBeforeTheLastRedecision_keepsNeitherKeysNorRedecisions_andRedeliveryUpgradesAll() {
        TestAccount dora = story.user("dora", "PHONE");
        List<OutboundGroupSession> sessions = List.of(story.megolm("a"), story.megolm("b"), story.megolm("c"));
        for (OutboundGroupSession session : sessions) {
            keytrail.receiveRoomKey(dora.userId(), curve(dora, "PHONE"),
                    story.roomKey(dora, "PHONE", session, Optional.empty()), Optional.empty());
        }
        List<String> ids = sessions.stream().map(s -> new SessionRef(story.room, s.sessionId()).aggregateId()).toList();
        failRedecision(3, ids);

        assertThatThrownBy(() -> keytrail.recordKeysQuery(KeysQueryBody.of(dora)))
                .hasStackTraceContaining("injected crash before re-decision 3");

        assertThat(eventStore.readEvents(dora.userId()).asStream().toList())
                .as("the identity aggregate stored none of the keys").isEmpty();
        for (String id : ids) {
            // What its reception recorded: the receipt and, its device being unknown, the want (ADR 0019).
            assertThat(eventStore.readEvents(id).asStream().map(e -> (Object) e.getPayload().getClass()).toList())
                    .as("session %s has only its reception", id)
                    .containsExactly(SessionReceived.class, SenderKeysWanted.class);
        }
        assertThat(sessions).allSatisfy(s -> assertThat(view(s).senderData()).isEqualTo(SenderData.unknown()));

        fault.cancel();
        fault = null;
        KeysResult redelivered = keytrail.recordKeysQuery(KeysQueryBody.of(dora));

        assertThat(redelivered.updated()).extracting(SessionView::sessionId)
                .containsExactlyInAnyOrderElementsOf(sessions.stream().map(OutboundGroupSession::sessionId).toList());
        assertThat(sessions).allSatisfy(s -> assertThat(view(s).senderData())
                .isInstanceOf(SenderData.SenderUnverified.class));
    }

    private SessionView view(OutboundGroupSession session) {
        return keytrail.session(story.room, session.sessionId()).orElseThrow();
    }
}
