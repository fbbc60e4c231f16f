package io.keytrail.audit;

import static io.keytrail.imports.ImportFixtures.account;
import static io.keytrail.imports.ImportFixtures.exportEntry;
import static io.keytrail.imports.ImportFixtures.importRoomKeys;
import static io.keytrail.imports.ImportFixtures.payloadsOf;
import static io.keytrail.imports.ImportFixtures.room;
import static io.keytrail.imports.ImportFixtures.roomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.imports.ImportFixtures;
import io.keytrail.imports.ImportFixtures.Sender;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.DiscardCause;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * Stores written by earlier code hold events in their old shapes (ADR 0007, ADR 0013). Rows written here by
 * raw SQL, exactly as the old code stored them, are read back through the engine: the aggregate loads them,
 * a replay and a read-model rebuild fold them, and the audit re-checks them.
 */
@EngineSpringTest
class OldRevisionsInTheStoreTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ReadModelRebuild rebuild;
    @Autowired
    DecisionReverifier reverifier;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    private final OwnDevice me = account("me").ownDevice("DEV");
    private final TestAccount alice = account("alice");

    @Test
    void sessionDiscardedOfRevision1_forTampering_isReadAsRevision2_byTheAggregateTheReplayTheRebuildAndTheAudit() {
        Sender s = new Sender(room(), 1);
        keytrail.process(roomKey(alice, me, s, 0, Optional.empty()));
        // 0: SessionReceived (UnknownDevice), 1: SenderKeysWanted
        insertRevision1Discard(s, 2, "TAMPERING", "TAINTED_DEVICE");

        SessionDiscarded read = (SessionDiscarded) payloadsOf(eventStore, s.aggregateId()).get(2);
        assertThat(read.cause()).isEqualTo(DiscardCause.TAMPERING);
        assertThat(read.code()).isNull();
        assertThat(read.rule()).isEqualTo(Rule.TAINTED_DEVICE);
        assertThat(read.detail()).isEqualTo("written by revision 1");
        assertThat(read.evidence()).isNull();

        // The aggregate loads the old row: the session is discarded, so another copy is refused.
        assertThatThrownBy(() -> keytrail.process(roomKey(alice, me, s, 0, Optional.empty())))
                .isInstanceOfSatisfying(RefusalException.class,
                        e -> assertThat(e.code()).isEqualTo(RefusalCode.SESSION_DISCARDED));

        // The raw row bypassed the projection; a rebuild folds it like any other event.
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().discarded()).isFalse();
        rebuild.rebuild(p -> { });
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().discarded()).isTrue();

        DecisionReverifier.Finding finding = findingAt(s.aggregateId(), 2);
        assertThat(finding.event()).isEqualTo("SessionDiscarded");
        assertThat(finding.rule()).isEqualTo(Rule.TAINTED_DEVICE);
        assertThat(finding.verdict()).as("an old taint discard without evidence cannot be re-checked")
                .isEqualTo(DecisionReverifier.Verdict.UNVERIFIABLE);
    }

    @Test
    void aRevision1TaintDiscardWithoutEvidence_isNeverConfirmed_evenWhenTamperedKeysOfItsSenderWereRefused() {
        TestAccount dave = TestAccount.create("@" + UUID.randomUUID() + ":example.org", "dave-" + UUID.randomUUID(),
                "DEV", "OTHER");
        Sender s = new Sender(room(), 1);
        keytrail.process(keysQuery(new KeysQueryBody().account(dave)
                .device(dave, "OTHER", DeviceSigning.BAD_CROSS_SIGNATURE).build()));
        keytrail.process(roomKey(dave, me, s, 0, Optional.empty()));
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%KeysRejected'", Integer.class, dave.userId()))
                .as("dave's forged device signature was refused").isPositive();
        insertRevision1Discard(s, 1, "TAMPERING", "TAINTED_DEVICE");

        DecisionReverifier.Finding finding = findingAt(s.aggregateId(), 1);

        assertThat(finding.verdict()).isEqualTo(DecisionReverifier.Verdict.UNVERIFIABLE);
        assertThat(finding.detail()).contains("refused before it");
    }

    private static ObjectNode keysQuery(ObjectNode body) {
        ObjectNode input = ImportFixtures.JSON.objectNode().put("type", "keys_query_response");
        input.set("body", body);
        return input;
    }

    @Test
    void sessionDiscardedOfRevision1_forAProvenMismatch_readsItsReasonAsATypedRefusalCode() {
        Sender s = new Sender(room(), 1);
        keytrail.process(roomKey(alice, me, s, 0, Optional.empty()));
        // 0: SessionReceived (UnknownDevice), 1: SenderKeysWanted
        insertRevision1Discard(s, 2, "MISMATCHED_IDENTITY_KEYS", "OWNER_CHECK_MISMATCH");

        SessionDiscarded read = (SessionDiscarded) payloadsOf(eventStore, s.aggregateId()).get(2);

        assertThat(read.cause()).isEqualTo(DiscardCause.PROVEN_MISMATCH);
        assertThat(read.code()).isEqualTo(RefusalCode.MISMATCHED_IDENTITY_KEYS);
        assertThat(read.rule()).isEqualTo(Rule.OWNER_CHECK_MISMATCH);
    }

    @Test
    void anImportReceivedOverInTheOldForm_aSecondSessionReceived_stillReplaysAsAnAuthenticatedSession() {
        Sender s = new Sender(room(), 1);
        keytrail.process(importRoomKeys(exportEntry(s, 0, alice)));
        SessionImported imported = (SessionImported) payloadsOf(eventStore, s.aggregateId()).get(0);
        // What the old code stored when an authenticated copy replaced the import: a second SessionReceived.
        SessionReceived oldForm = new SessionReceived(s.roomId, s.sessionId(), alice.userId(),
                alice.device("DEV").curve25519().toBase64(), alice.device("DEV").ed25519().publicKey().toBase64(),
                false, 0, imported.sealedSessionKey(), SenderData.unknown(), Rule.NO_DEVICE,
                new DecisionEvidence(null, null, null, null, false, false));
        insert(s.aggregateId(), 1, SessionReceived.class.getName(), "1",
                eventSerializer.serialize(oldForm, byte[].class).getData());

        // The aggregate folds the old form as an authenticated session: the same copy again changes nothing
        // (were it still an import, the copy would be received over it).
        keytrail.process(roomKey(alice, me, s, 0, Optional.empty()));
        assertThat(payloadsOf(eventStore, s.aggregateId())).hasSize(2);

        rebuild.rebuild(p -> { });
        assertThat(keytrail.session(s.roomId, s.sessionId()).orElseThrow().imported()).isFalse();
        assertThat(findingAt(s.aggregateId(), 1).event()).isEqualTo("SessionReceived");
        assertThat(findingAt(s.aggregateId(), 1).verdict()).isEqualTo(DecisionReverifier.Verdict.CONFIRMED);
    }

    private DecisionReverifier.Finding findingAt(String aggregateId, long sequence) {
        List<DecisionReverifier.Finding> findings = reverifier.reverifyAll().findings().stream()
                .filter(f -> aggregateId.equals(f.aggregateId()) && f.sequence() == sequence).toList();
        assertThat(findings).hasSize(1);
        return findings.get(0);
    }

    /** A {@code SessionDiscarded} exactly as revision 1 stored it: a free-string {@code reason}, no evidence. */
    private void insertRevision1Discard(Sender s, long sequence, String reason, String rule) {
        String payload = "{\"roomId\":\"" + s.roomId + "\",\"sessionId\":\"" + s.sessionId() + "\",\"reason\":\""
                + reason + "\",\"rule\":\"" + rule + "\",\"detail\":\"written by revision 1\",\"evidence\":null}";
        insert(s.aggregateId(), sequence, SessionDiscarded.class.getName(), "1",
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private void insert(String aggregateId, long sequence, String type, String revision, byte[] payload) {
        jdbc.update("insert into domain_event_entry (global_index, event_identifier, meta_data, payload, "
                        + "payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                        + "values (next value for domain_event_entry_seq, ?, ?, ?, ?, ?, ?, ?, ?, 'MegolmSession')",
                UUID.randomUUID().toString(), "{}".getBytes(StandardCharsets.UTF_8), payload, revision, type,
                Instant.now().toString(), aggregateId, sequence);
    }
}
