package io.keytrail;

import java.util.List;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.keytrail.decrypt.MessageIndexLedger;

import io.keytrail.directory.OwnDevices;

/** A fresh store inside a shared engine, instead of a fresh engine ({@code @DirtiesContext}). */
public final class TestStores {
    /**
     * Kept: the event processors' claims and positions. Deleting them would make a running tracking
     * processor lose its claim (and back off); positions stay valid because the event sequence does not
     * restart. And the history of the schema's migrations (ADR 0024).
     */
    private static final List<String> KEPT = List.of("TOKEN_ENTRY", "KEYTRAIL_SCHEMA_HISTORY");

    private TestStores() {
    }

    /**
     * Empties every table of the engine's (H2) store and forgets the own device: for test classes whose
     * users are fixed (e.g. by a test vector) and so cannot be made unique per test.
     */
    public static void empty(ApplicationContext context) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        List<String> tables = jdbc.queryForList("select table_name from information_schema.tables "
                + "where table_schema = 'PUBLIC' and table_type = 'BASE TABLE'", String.class);
        jdbc.execute("set referential_integrity false");
        try {
            tables.stream().filter(t -> !KEPT.contains(t.toUpperCase()))
                    .forEach(t -> jdbc.execute("truncate table \"" + t + "\""));
        } finally {
            jdbc.execute("set referential_integrity true");
        }
        OwnDevices.forget(context);
        // The replay ledger remembers claims in memory; the claims are gone from the store now.
        context.getBean(MessageIndexLedger.class).forgetRemembered();
    }
}
