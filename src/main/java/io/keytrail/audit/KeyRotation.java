package io.keytrail.audit;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.keytrail.directory.SealingKeyCheck;
import io.keytrail.directory.WriteUnits;
import io.keytrail.session.Commands;
import io.keytrail.session.DataKeys;
import io.keytrail.session.SessionCommands.ResealSessionKey;
import io.keytrail.session.SessionKeyVault;

/**
 * {@code audit rotate-key}: moves everything the store seals onto the current sealing key, so that the
 * older keys can be removed from the configuration (ADR 0012). Two steps, neither edits an event:
 * <ol>
 *   <li>sessions still in the v1 form (sealed directly by a sealing key, written before data keys
 *   existed) are sealed anew under a data key, each as a new {@code SessionKeyResealed} event;</li>
 *   <li>every data key wrapped by another sealing key is re-wrapped by the current one (a row update in
 *   the data-key table; the data key, and every value it sealed, stay as they are).</li>
 * </ol>
 * Each session and each data key is its own small write, so the rotation can stop at any point and be
 * run again: it only picks up what is still under another key. Nothing here logs or returns a key.
 */
@Component
public class KeyRotation {
    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);
    private static final int PAGE = 200;
    private final SessionKeyVault vault;
    private final JdbcTemplate jdbc;
    private final Commands commands;
    private final WriteUnits units;
    private final SealingKeyCheck check;

    public KeyRotation(SessionKeyVault vault, JdbcTemplate jdbc, CommandGateway gateway, WriteUnits units,
                       SealingKeyCheck check) {
        this.vault = vault;
        this.jdbc = jdbc;
        this.commands = new Commands(gateway);
        this.units = units;
        this.check = check;
    }

    /** Progress of one step: {@code done} of {@code total} (the total counted when the step began). */
    public record Progress(String step, long done, long total) {
    }

    /**
     * @param sealingKeyId     the current sealing key, which now seals everything
     * @param sessionsResealed v1 values sealed anew as events
     * @param dataKeysRewrapped data keys re-wrapped
     * @param failed           values that could not be opened (their key is not configured): left as they are
     * @param stillNeeded      sealing key ids the store still needs besides the current one (empty: every
     *                         older key may now be removed from the configuration)
     */
    public record Report(String sealingKeyId, long sessionsResealed, long dataKeysRewrapped, long failed,
                         Set<String> stillNeeded) {
    }

    public Report rotate(Consumer<Progress> progress) {
        String current = vault.keyId();
        long failed = 0;

        long resealed = 0;
        long legacyTotal = count("select count(*) from kt_session where sealed_session_key like 'v1:%'");
        long done = 0;
        progress.accept(new Progress("reseal-v1-sessions", 0, legacyTotal));
        long after = -1;
        while (true) {
            List<Object[]> page = jdbc.query("select position, aggregate_id from kt_session where position > ? "
                    + "and sealed_session_key like 'v1:%' order by position limit ?",
                    (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (Object[] row : page) {
                after = (Long) row[0];
                String aggregateId = (String) row[1];
                try {
                    if (Boolean.TRUE.equals(units.run(() -> commands.send(new ResealSessionKey(aggregateId))))) {
                        resealed++;
                    }
                } catch (SessionKeyVault.SessionKeyUnavailableException e) {
                    failed++;
                    log.warn("rotate-key: session {} left as it is: {}", aggregateId, e.getMessage());
                }
                done++;
            }
            progress.accept(new Progress("reseal-v1-sessions", done, legacyTotal));
        }

        long rewrapped = 0;
        long wrappedTotal = vault.dataKeys().countWrappedByOtherThan(current);
        done = 0;
        progress.accept(new Progress("rewrap-data-keys", 0, wrappedTotal));
        String afterId = "";
        while (true) {
            List<DataKeys.Wrapped> page = vault.dataKeys().wrappedByOtherThan(current, afterId, PAGE);
            if (page.isEmpty()) {
                break;
            }
            // One transaction per page (a commit per row made the rotation fsync-bound); each update is a
            // compare-and-set on the old key id, so a page that lost a race or was cut off is simply redone.
            long[] counts = units.run(() -> {
                long ok = 0;
                long bad = 0;
                for (DataKeys.Wrapped wrapped : page) {
                    try {
                        if (vault.rewrap(wrapped)) {
                            ok++;
                        }
                    } catch (SessionKeyVault.SessionKeyUnavailableException e) {
                        bad++;
                        log.warn("rotate-key: {}", e.getMessage());
                    }
                }
                return new long[] {ok, bad};
            });
            rewrapped += counts[0];
            failed += counts[1];
            done += page.size();
            afterId = page.get(page.size() - 1).dataKeyId();
            progress.accept(new Progress("rewrap-data-keys", done, wrappedTotal));
        }

        Set<String> stillNeeded = new TreeSet<>(check.keyIdsInUse());
        stillNeeded.remove(current);
        log.info("rotate-key: sealing key {}: {} sessions resealed, {} data keys re-wrapped, {} failed; still needed: {}",
                current, resealed, rewrapped, failed, stillNeeded);
        return new Report(current, resealed, rewrapped, failed, stillNeeded);
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}
