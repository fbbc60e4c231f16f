package io.keytrail.imports;

import io.keytrail.errors.RefusalCode;

import java.util.List;

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

    /** A session of the input that we hold now (new, merged, or kept as it was). */
    /** The outcome of one session of the input. */
    public sealed interface Entry permits Imported, Failed {
        String roomId();

        String sessionId();
    }

    public record Imported(String roomId, String sessionId, SenderData senderData) implements Entry {
    }

    /**
     * A session of the input that was refused. {@code sessionId} (and {@code roomId}) are null when the
     * element was too malformed to name one; {@code message} says which element and why, never a secret.
     */
    public record Failed(String roomId, String sessionId, RefusalCode code, String message) implements Entry {
    }

    public int total() {
        return imported.size() + failed.size();
    }
}
