package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.audit.KeyRotation;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.session.ImportSource;
import io.keytrail.session.SealingKeys;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionKeyVault;
import io.keytrail.session.SessionRef;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.TrustPolicy;

/**
 * ADR 0012, the whole rotation on a file store: sessions sealed under key 1 (a data key, and an older v1
 * value), a new session under key 2; a node with only key 2 refuses to start although the newest value
 * is under key 2; with key 1 kept as an old key, {@code rotate-key} moves everything (run twice: the
 * second run finds nothing); then key 1 is removed and the node starts and decrypts every session.
 */
class KeyRotationEndToEndTest {
    private static final String KEY_1 = UnpaddedBase64.encode(filled(0x11));
    private static final String KEY_2 = UnpaddedBase64.encode(filled(0x22));

    @TempDir
    Path store;

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private ConfigurableApplicationContext start(String current, String... old) {
        return CliContext.start(store, "--keytrail.session-key-encryption-key=" + current,
                "--keytrail.sealing.old-keys=" + String.join(",", old));
    }

    private static void receive(ConfigurableApplicationContext context, Story story) {
        ObjectNode roomKey = story.roomKey();
        context.getBean(Keytrail.class).receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(),
                roomKey.get("plaintext"), Optional.of(Story.ME));
    }

    /** A session as a store written before data keys holds it: imported, its ratchet in the v1 form. */
    private static void importAsV1(ConfigurableApplicationContext context, Story story) {
        String aggregateId = new SessionRef(story.room, story.sessionId()).aggregateId();
        String export = InboundGroupSession.fromSessionKey(story.session.sessionKey()).exportAtFirstKnownIndex().toBase64();
        String v1 = context.getBean(SessionKeyVault.class).sealV1(export, aggregateId);
        new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult(status ->
                context.getBean(EventStore.class).publish(new GenericDomainEventMessage<>("MegolmSession", aggregateId, 0,
                        new SessionImported(story.room, story.sessionId(), ImportSource.KEY_EXPORT, null, null, List.of(),
                                false, 0, v1, SenderData.legacy(), Rule.IMPORTED))));
    }

    private static String decrypt(ConfigurableApplicationContext context, Story story, String body) {
        return context.getBean(Keytrail.class).decrypt(story.room, TrustPolicy.SHOW_ALL,
                story.event(story.encrypt(body), story.eventId(body))).plaintext().at("/content/body").textValue();
    }

    private static long count(ConfigurableApplicationContext context, String sql) {
        return context.getBean(JdbcTemplate.class).queryForObject(sql, Long.class);
    }

    @Test
    void rotateKey_thenTheOldKeyIsRemoved_andTheServiceStillStartsAndDecrypts() {
        Story underDataKey = new Story();
        Story legacy = new Story();
        Story newest = new Story();
        String key1 = SealingKeys.idOf(filled(0x11));
        try (ConfigurableApplicationContext context = start(KEY_1)) {
            receive(context, underDataKey);
            importAsV1(context, legacy);
            assertThat(decrypt(context, legacy, "v1 readable")).isEqualTo("v1 readable");
        }
        long events;
        try (ConfigurableApplicationContext context = start(KEY_2, KEY_1)) {
            receive(context, newest);
            events = count(context, "select count(*) from domain_event_entry");
        }

        assertThatThrownBy(() -> start(KEY_2).close())
                .satisfies(e -> assertThat(SealingKeyFailureAnalyzer.problem(e))
                        .contains("is not the key that sealed the session keys in this store", key1)
                        .doesNotContain(KEY_1).doesNotContain(KEY_2))
                // Refused while the entity manager factory waited for the check: before JPA and Axon start (ADR 0033).
                .isInstanceOfSatisfying(BeanCreationException.class,
                        e -> assertThat(e.getBeanName()).isEqualTo("entityManagerFactory"));

        try (ConfigurableApplicationContext context = start(KEY_2, KEY_1)) {
            KeyRotation rotation = context.getBean(KeyRotation.class);
            KeyRotation.Report first = rotation.rotate(progress -> { });
            KeyRotation.Report second = rotation.rotate(progress -> { });

            assertThat(first.sessionsResealed()).isEqualTo(1);
            assertThat(first.dataKeysRewrapped()).isEqualTo(1);
            assertThat(first.failed()).isZero();
            assertThat(first.stillNeeded()).isEmpty();
            assertThat(second.sessionsResealed() + second.dataKeysRewrapped()).isZero();
            assertThat(count(context, "select count(*) from domain_event_entry")).as("one new event, none edited")
                    .isEqualTo(events + 1);
            assertThat(count(context, "select count(*) from domain_event_entry where payload_type like '%SessionImported'"))
                    .isEqualTo(1);
        }

        try (ConfigurableApplicationContext context = start(KEY_2)) {
            assertThat(decrypt(context, underDataKey, "after rotation")).isEqualTo("after rotation");
            assertThat(decrypt(context, legacy, "legacy after rotation")).isEqualTo("legacy after rotation");
            assertThat(decrypt(context, newest, "newest after rotation")).isEqualTo("newest after rotation");
        }
    }
}
