package io.keytrail.redecision;

import static io.keytrail.redecision.Story.curve;
import static io.keytrail.redecision.Story.msk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.directory.SessionRowsCalls;
import io.keytrail.directory.SessionView;
import io.keytrail.redecision.KeysIntake.KeysResult;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.trust.SenderData;

/**
 * Re-decisions find the sessions a change may affect through the directory's indexed queries (by
 * creator key and rank, by master key and rank, by sender and rank), never by reading all sessions.
 * Proven on the repository calls, not on timing.
 */
@EngineSpringTest
class RedecisionIndexTest {
    @Autowired
    SessionRowsCalls calls;
    @Autowired
    Keytrail keytrail;

    private final Story story = new Story();

    @BeforeEach
    void forgetEarlierCalls() {
        calls.clear();
    }

    private List<OutboundGroupSession> receiveMany(TestAccount sender, String deviceId, String label, int count) {
        List<OutboundGroupSession> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OutboundGroupSession session = story.megolm(label + i);
            keytrail.receiveRoomKey(sender.userId(), curve(sender, deviceId),
                    story.roomKey(sender, deviceId, session, Optional.empty()), Optional.empty());
            out.add(session);
        }
        return out;
    }

    private void assertNoScan() {
        assertThat(calls.of("findAll")).as("findAll, any variant").isEmpty();
        assertThat(calls.of("findAllByOrderByPosition")).isEmpty();
    }

    @Test
    void keysArriving_findSessionsByCreatorKeyAndRank() {
        TestAccount alice = story.user("alice", "PHONE");
        receiveMany(alice, "PHONE", "a", 2);
        calls.clear();

        keytrail.recordKeysQuery(KeysQueryBody.of(alice));

        assertThat(calls.of("findBySenderKeyInAndRankLessThanAndDiscardedFalseOrderByPosition")).anySatisfy(call -> {
            assertThat(call.args().get(0)).asInstanceOf(InstanceOfAssertFactories.COLLECTION)
                    .contains(curve(alice, "PHONE"));
            assertThat(call.args().get(1)).isEqualTo(SenderData.SENDER_UNVERIFIED_RANK);
        });
        assertNoScan();
    }

    @Test
    void verification_findsSessionsByMasterKeyAndRank() {
        TestAccount alice = story.user("alice", "PHONE");
        keytrail.recordKeysQuery(KeysQueryBody.of(alice));
        receiveMany(alice, "PHONE", "a", 1);
        calls.clear();

        keytrail.verifyMasterKey(alice.userId(), msk(alice));

        assertThat(calls.of("findByMasterKeyAndRankInAndDiscardedFalseOrderByPosition"))
                .filteredOn(call -> call.args().get(0).equals(msk(alice))).hasSize(1);
        assertNoScan();
    }

    @Test
    void withdrawal_findsViolationsBySenderAndRank() {
        TestAccount alice = story.user("alice", "PHONE");
        calls.clear();

        keytrail.withdrawVerification(alice.userId());

        assertThat(calls.of("findBySenderAndRankAndDiscardedFalseOrderByPosition"))
                .filteredOn(call -> call.args().get(0).equals(alice.userId())).hasSize(1);
        assertNoScan();
    }

    /** Upstream identities/manager.rs test_adds_device_info_to_existing_sessions (60 per account, two accounts). */
    @Test
    void keysForOneAccount_upgradeAllItsSessionsAndNoneOfAnothers() {
        TestAccount first = story.user("first", "DEV1");
        TestAccount second = story.user("second", "DEV2");
        List<OutboundGroupSession> firsts = receiveMany(first, "DEV1", "f", 60);
        List<OutboundGroupSession> seconds = receiveMany(second, "DEV2", "s", 60);

        KeysResult result = keytrail.recordKeysQuery(new KeysQueryBody()
                .device(first, "DEV1", io.keytrail.matrix.fixture.DeviceSigning.SELF_SIGNED_ONLY).build());

        assertThat(result.updated()).hasSize(60).allSatisfy(view ->
                assertThat(view.senderData()).isInstanceOf(SenderData.DeviceInfo.class));
        assertThat(result.updated()).extracting(SessionView::sessionId)
                .containsExactlyElementsOf(firsts.stream().map(OutboundGroupSession::sessionId).toList());
        for (OutboundGroupSession session : seconds) {
            assertThat(keytrail.session(story.room, session.sessionId()).orElseThrow().senderData())
                    .isEqualTo(SenderData.unknown());
        }
        assertNoScan();
    }
}
