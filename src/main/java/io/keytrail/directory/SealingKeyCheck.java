package io.keytrail.directory;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.keytrail.session.SessionKeyVault;

/**
 * Refuses to start a node that could not open some of the store's session keys (issue 9: a node with
 * its own generated key answered re-deliveries and decryptions with 500s; issue 10: check every key in
 * use, not only the newest). Runs as soon as the store is migrated and the vault exists: the entity
 * manager factory waits for it ({@code KeytrailAutoConfiguration}), so a refused node stops before JPA,
 * Axon and the web server start, not after a whole boot (ADR 0033). Every sealing key id still needed is
 * read: those that wrap the data keys (distinct over an index of the data-key table) and those of
 * sessions still in the older v1 form (a scan of the session read model that only looks at v1 values;
 * after {@code audit rotate-key} there are none). Only key ids (hash prefixes) are named, never a key.
 * {@code keytrail.sealing-key-check=false} lets an operator start anyway, e.g. right after destroying
 * an old key on purpose.
 */
@Component
public class SealingKeyCheck implements InitializingBean {
    private final JdbcTemplate jdbc;
    private final SessionKeyVault vault;
    private final boolean enabled;

    public SealingKeyCheck(JdbcTemplate jdbc, SessionKeyVault vault,
                           @Value("${keytrail.sealing-key-check:true}") boolean enabled) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.enabled = enabled;
    }

    @Override
    public void afterPropertiesSet() {
        if (!enabled) {
            return;
        }
        Set<String> missing = new TreeSet<>(keyIdsInUse());
        missing.removeAll(vault.sealingKeys().ids());
        if (!missing.isEmpty()) {
            throw new MissingSealingKeys("The configured sealing key (key id " + vault.keyId() + ", all configured: "
                    + vault.sealingKeys().ids() + ") is not the key that sealed the session keys in this store: "
                    + "they also need key id " + String.join(", ", missing) + ", which is not configured. Configure "
                    + "that key as an old key (keytrail.sealing.old-keys or keytrail.sealing.old-key-files) until "
                    + "'audit rotate-key' has re-wrapped everything, give every node the same keys, or set "
                    + "keytrail.sealing-key-check=false if the key was destroyed on purpose. See README, \"Keys at rest\".");
        }
    }

    /** Every sealing key id that some readable session key of the store needs. */
    public Set<String> keyIdsInUse() {
        Set<String> ids = new TreeSet<>(vault.dataKeys().sealingKeyIdsInUse());
        ids.addAll(jdbc.queryForList("select distinct substring(sealed_session_key from 4 for 8) from kt_session "
                + "where sealed_session_key like 'v1:%'", String.class));
        return ids;
    }

    /** The store needs a sealing key that is not configured: the node must not start. */
    public static final class MissingSealingKeys extends IllegalStateException {
        public MissingSealingKeys(String message) {
            super(message);
        }
    }
}
