package io.keytrail.identity;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link UserIdentity} lives as long as the user: every {@code /keys/query} answer, failure and
 * verification appends to one stream, so without snapshots each command on a busy user would replay a
 * stream that only grows (design 11: long-lived aggregates get snapshots). After every
 * {@code keytrail.snapshots.user-identity-every} events loaded, Axon stores the aggregate itself as a
 * snapshot (Jackson, the event serializer) and later loads start from it. The events stay the record:
 * a snapshot is a cache that can be deleted at any time.
 */
@Configuration
public class IdentitySnapshots {
    /** The bean name the aggregate refers to. */
    public static final String TRIGGER = "userIdentitySnapshotTrigger";

    @Bean(TRIGGER)
    SnapshotTriggerDefinition userIdentitySnapshotTrigger(Snapshotter snapshotter,
            @Value("${keytrail.snapshots.user-identity-every:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }
}
