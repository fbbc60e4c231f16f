package io.keytrail.directory;

import java.util.List;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.keytrail.session.SessionKeyVault;

/**
 * Refuses to start a node whose sealing key is not the key the store's newest session key was sealed
 * with (issue 9: a second node with its own generated key answered re-deliveries and decryptions with
 * 500s). Runs before the web server opens. Only the key id (a hash prefix) is compared and named,
 * never a key. {@code keytrail.sealing-key-check=false} lets an operator start anyway, e.g. right after
 * shredding the old key on purpose.
 */
@Component
public class SealingKeyCheck implements SmartInitializingSingleton {
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
    public void afterSingletonsInstantiated() {
        if (!enabled) {
            return;
        }
        List<String> newest = jdbc.queryForList("select sealed_session_key from kt_session "
                + "where sealed_session_key is not null order by position desc limit 1", String.class);
        if (newest.isEmpty()) {
            return;
        }
        String[] parts = newest.get(0).split(":");
        String storedKeyId = parts.length == 4 ? parts[1] : "(unknown format)";
        if (!vault.keyId().equals(storedKeyId)) {
            throw new IllegalStateException("The configured keytrail.session-key-encryption-key (key id "
                    + vault.keyId() + ") is not the key that sealed the session keys in this store (key id "
                    + storedKeyId + "): this node could not read them. Give every node the same key (shared "
                    + "configuration or secret), or set keytrail.sealing-key-check=false if the old key "
                    + "was destroyed on purpose.");
        }
    }
}
