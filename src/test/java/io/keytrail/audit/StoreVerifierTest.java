package io.keytrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.SessionRef;

/**
 * The streaming verifier reads the store page by page and keeps a bounded window of aggregates; what it finds
 * must be exactly what the in-memory reference ({@link DecisionReverifier#reverifyAll}) finds.
 */
@EngineSpringTest
class StoreVerifierTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    StoreVerifier verifier;
    @Autowired
    DecisionReverifier reverifier;
    @Autowired
    JdbcTemplate jdbc;

    private static OutboundGroupSession megolm(int salt) {
        byte[] ratchet = new byte[128];
        byte[] seed = new byte[32];
        for (int i = 0; i < ratchet.length; i++) {
            ratchet[i] = (byte) (i * 17 + salt);
        }
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i * 11 + salt);
        }
        return OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet), Ed25519KeyPair.fromSeed(seed));
    }

    /** Two sessions from an unknown device, its keys, a verification: received, re-decided, upgraded. */
    private List<String> someDecisions(String tag, int salt) {
        TestAccount sender = TestAccount.create("@" + tag + ":stream.test", "stream-" + tag, "PHONE");
        OwnDevice me = TestAccount.create("@me:stream.test", "me-" + tag, "ME").ownDevice("ME");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OutboundGroupSession session = megolm(salt + i);
            String room = "!" + tag + ":stream.test";
            ObjectNode plaintext = sender.roomKeyPlaintext("PHONE", me, room, session.sessionId(),
                    session.sessionKey().toBase64(), Optional.empty());
            keytrail.receiveRoomKey(sender.userId(), sender.device("PHONE").curve25519().toBase64(), plaintext,
                    Optional.of(me));
            ids.add(new SessionRef(room, session.sessionId()).aggregateId());
        }
        keytrail.recordKeysQuery(KeysQueryBody.of(sender));
        keytrail.verifyMasterKey(sender.userId(), sender.masterKey().publicKey().toBase64());
        return ids;
    }

    @Test
    void pagedStreamWithATinyWindow_findsExactlyWhatTheInMemoryReverifierFinds() {
        List<String> ids = someDecisions("equal", 40);
        // A decision deleted from the middle of a stream (0 receipt, 1 keys wanted, 2 keys arrived, 3 verified):
        // a gap that both must report.
        jdbc.update("delete from domain_event_entry where aggregate_identifier = ? and sequence_number = 2",
                ids.get(0));

        DecisionReverifier.Report reference = reverifier.reverifyAll();
        List<DecisionReverifier.Finding> streamed = new ArrayList<>();
        // Pages of 7 events and one aggregate kept: nearly every event is resumed from a token or refolded.
        StoreVerifier.Summary summary = verifier.verify(streamed::add, StoreVerifier.Progress.NONE, 7, 1);

        assertThat(streamed).containsExactlyElementsOf(reference.findings());
        assertThat(summary.decisions()).isEqualTo(reference.decisions());
        assertThat(summary.confirmed()).isEqualTo(reference.confirmed());
        assertThat(summary.differs()).isEqualTo(reference.differs()).isPositive();
        assertThat(summary.unverifiable()).isEqualTo(reference.unverifiable());
        assertThat(summary.reloads()).isPositive();
        assertThat(streamed).filteredOn(f -> f.aggregateId().equals(ids.get(0)))
                .extracting(DecisionReverifier.Finding::event)
                .containsExactly("SessionReceived", "SequenceGap", "SenderDataChanged");
        assertThat(streamed).filteredOn(f -> f.aggregateId().equals(ids.get(1)))
                .extracting(DecisionReverifier.Finding::verdict).containsOnly(DecisionReverifier.Verdict.CONFIRMED)
                .hasSize(3);
    }

    @Test
    void aStoreOfManyPages_isReadWhole_eventByEvent() {
        someDecisions("pages", 60);
        long stored = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
        long[] told = new long[1];

        StoreVerifier.Summary summary = verifier.verify(f -> { }, (events, decisions) -> told[0] = events, 2, 1000);

        assertThat(stored).isGreaterThan(2 * 3);
        assertThat(summary.events()).isEqualTo(stored);
        assertThat(told[0]).isEqualTo(stored);
        assertThat(summary.reloads()).isZero();
    }

    @Test
    void theDefaultPass_agreesWithTheReference() {
        someDecisions("default", 80);
        DecisionReverifier.Report reference = reverifier.reverifyAll();
        List<DecisionReverifier.Finding> streamed = new ArrayList<>();

        verifier.verify(streamed::add, StoreVerifier.Progress.NONE);

        assertThat(streamed).containsExactlyElementsOf(reference.findings());
    }
}
