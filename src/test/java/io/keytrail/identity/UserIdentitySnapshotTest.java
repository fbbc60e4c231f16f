package io.keytrail.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keytrail.EngineSpringTest;
import io.keytrail.api.Keytrail;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * A user's stream grows with every keys query; after the configured number of events (100 in production,
 * 20 in the test profile, so that the test needs few keys queries) the identity is snapshotted, later loads start from the snapshot, and the state it carries is the
 * state the events give (the user can still be verified, and sessions still upgrade).
 */
@EngineSpringTest
class UserIdentitySnapshotTest {
    /** Events between snapshots, as the engine is configured. */
    @Value("${keytrail.snapshots.user-identity-every}")
    int every;

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
        int keysQueries = every + every / 5; // one snapshot, and a few events after it
        for (int i = 0; i < keysQueries; i++) {
            keytrail.recordKeysQuery(body);
        }

        Integer snapshots = jdbc.queryForObject(
                "select count(*) from snapshot_event_entry where aggregate_identifier = ?", Integer.class,
                erin.userId());
        assertThat(snapshots).isPositive();
        List<? extends DomainEventMessage<?>> stream = events.readEvents(erin.userId()).asStream().toList();
        assertThat(stream.get(0).getPayload()).isInstanceOf(UserIdentity.class);
        assertThat(stream.get(0).getSequenceNumber()).isGreaterThanOrEqualTo(every - 1);
        assertThat(stream.size()).isLessThan(keysQueries);

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
