package io.keytrail.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * A user's stream grows with every keys query; after the configured number of events (100 by default)
 * the identity is snapshotted, later loads start from the snapshot, and the state it carries is the
 * state the events give (the user can still be verified, and sessions still upgrade).
 */
@EngineSpringTest
class UserIdentitySnapshotTest {
    private static final int KEYS_QUERIES = 120;

    @Autowired
    Keytrail keytrail;
    @Autowired
    EventStore events;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void longLivedIdentity_isSnapshotted_andLoadsFromTheSnapshotWithTheSameState() {
        TestAccount erin = TestAccount.create("@erin-snapshot:example.org", "erin-snapshot", "PHONE");
        var body = KeysQueryBody.of(erin);
        for (int i = 0; i < KEYS_QUERIES; i++) {
            keytrail.recordKeysQuery(body);
        }

        Integer snapshots = jdbc.queryForObject(
                "select count(*) from snapshot_event_entry where aggregate_identifier = ?", Integer.class,
                erin.userId());
        assertThat(snapshots).isPositive();
        List<? extends DomainEventMessage<?>> stream = events.readEvents(erin.userId()).asStream().toList();
        assertThat(stream.get(0).getPayload()).isInstanceOf(UserIdentity.class);
        assertThat(stream.get(0).getSequenceNumber()).isGreaterThanOrEqualTo(99);
        assertThat(stream.size()).isLessThan(KEYS_QUERIES);

        // The snapshot carries the identity: verifying its current master key marks it verified, which
        // needs the MSK that only the snapshot (not the few events after it) can supply.
        String msk = erin.masterKey().publicKey().toBase64();
        keytrail.verifyMasterKey(erin.userId(), msk);
        assertThat(events.readEvents(erin.userId()).asStream().map(DomainEventMessage::getPayload)
                .filter(IdentityEvents.MskVerified.class::isInstance).map(IdentityEvents.MskVerified.class::cast))
                .singleElement().satisfies(v -> {
                    assertThat(v.masterKey()).isEqualTo(msk);
                    assertThat(v.trust().verified()).isTrue();
                });
    }
}
