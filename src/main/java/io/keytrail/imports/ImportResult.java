package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;

import java.util.List;

import io.keytrail.session.BackupMacCheck;
import io.keytrail.session.ImportClaim;
import io.keytrail.trust.SenderData;

/**
 * What an import did, session by session (design section 10): the sessions we now hold, with their
 * current sender data, and the ones refused, each with an error code. One bad session never fails
 * the others.
 */
public record ImportResult(List<Imported> imported, List<Failed> failed) {
    public ImportResult {
        imported = List.copyOf(imported);
        failed = List.copyOf(failed);
    }

    /** The outcome of one session of the input. */
    public sealed interface Entry permits Imported, Failed {
        String roomId();

        String sessionId();
    }

    /**
     * A session of the input that we hold now.
     *
     * @param claim     who the entry claims created it (a Keytrail export or backup), or null: never sender data
     * @param backupMac what a backup entry's MSC4048 {@code mac2} said, or null when it had none (ADR 0018);
     *                  {@code MSC4048_MAC2_INVALID} is reported here and in the session's import event
     */
    public record Imported(String roomId, String sessionId, SenderData senderData, ImportClaim claim,
                           BackupMacCheck backupMac) implements Entry {
        public Imported(String roomId, String sessionId, SenderData senderData) {
            this(roomId, sessionId, senderData, null, null);
        }
    }

    /**
     * A session of the input that was refused. {@code sessionId} (and {@code roomId}) are null when the
     * element was too malformed to name one; {@code message} says which element and why, never a secret.
     */
    public record Failed(String roomId, String sessionId, RefusalCode code, String message) implements Entry {
    }

    /** Backup entries whose {@code mac2} did not verify (restored legacy, and reported). */
    public long badBackupMacs() {
        return imported.stream().filter(i -> i.backupMac() == BackupMacCheck.MSC4048_MAC2_INVALID).count();
    }

    public int total() {
        return imported.size() + failed.size();
    }
}
