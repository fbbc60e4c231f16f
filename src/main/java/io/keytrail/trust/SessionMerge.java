package io.keytrail.trust;

import java.util.Objects;

import io.keytrail.crypto.megolm.RatchetComparison;

/**
 * What to keep when a copy of a Megolm session we already hold arrives again (a re-share, a forward,
 * an import or a backup restore): the ratchet x trust table of matrix-rust-sdk's
 * {@code merge_received_group_session} (reference 1.4), with one deliberate change (design 6).
 *
 * <p>Rows, for the new copy compared with the stored one (trust = {@link SenderData#rank()}):
 * <pre>
 * ratchet       trust                          outcome
 * UNCONNECTED   any                            DISCARD_UNCONNECTED  (same id, other key/room: an attack)
 * BETTER        greater                        TAKE_NEW
 * BETTER        equal, same legacy flag        TAKE_NEW
 * BETTER        equal, legacy flags differ     OLD_SENDER_DATA_NEW_RATCHET   (upstream: TAKE_NEW)
 * BETTER        less                           OLD_SENDER_DATA_NEW_RATCHET
 * EQUAL         greater                        TAKE_NEW
 * EQUAL         equal or less                  KEEP_OLD
 * WORSE         greater                        NEW_SENDER_DATA_OLD_RATCHET
 * WORSE         equal or less                  KEEP_OLD
 * </pre>
 *
 * <p><b>The changed row.</b> Upstream lets a better ratchet of equal trust replace the stored session
 * whole. Because every import is {@code UnknownDevice{legacy_session=true}}, that lets an import replace
 * a session received over Olm that is still {@code UnknownDevice{legacy_session=false}} (its device not
 * fetched yet): the session turns into an imported one, whose creator can never be proven again. That
 * lowers trust, which an import must never do (design 6). The opposite direction is also refused: a
 * legacy session keeps {@code legacy_session=true} unless a copy with strictly higher trust replaces it,
 * so a message shown under {@link TrustPolicy#CROSS_SIGNED_OR_LEGACY} is never hidden by a merge
 * (reference 7.2). So when the legacy flags differ at equal trust, only the better ratchet is grafted on.
 * Since the finder only ever decides imported sessions to rank 0, "strictly higher trust" always
 * means an authenticated (non-imported) copy.
 */
public final class SessionMerge {
    private SessionMerge() {
    }

    /** What the stored session becomes. The session's {@code imported} flag follows its sender data. */
    public enum Outcome {
        /** Not the same session (different creator key, signing key or room, or unrelated ratchets). */
        DISCARD_UNCONNECTED(false, false),
        /** The new copy, whole: its ratchet, sender data and flags. */
        TAKE_NEW(true, true),
        /** Nothing changes; the new copy brings nothing better. */
        KEEP_OLD(false, false),
        /** The stored sender data and flags, with the new copy's (better) ratchet grafted on. */
        OLD_SENDER_DATA_NEW_RATCHET(true, false),
        /** The new copy's sender data and flags, with the stored (better) ratchet. */
        NEW_SENDER_DATA_OLD_RATCHET(false, true);

        private final boolean newRatchet;
        private final boolean newSenderData;

        Outcome(boolean newRatchet, boolean newSenderData) {
            this.newRatchet = newRatchet;
            this.newSenderData = newSenderData;
        }

        public boolean takesNewRatchet() {
            return newRatchet;
        }

        public boolean takesNewSenderData() {
            return newSenderData;
        }

        /** True when the stored session changes at all. */
        public boolean changesSession() {
            return newRatchet || newSenderData;
        }
    }

    /**
     * @param ratchet    the new copy's ratchet compared with the stored one
     * @param newData    the new copy's sender data (as decided for it, or {@code legacy()} for an import)
     * @param storedData the stored session's current sender data
     */
    public static Outcome merge(RatchetComparison ratchet, SenderData newData, SenderData storedData) {
        Objects.requireNonNull(ratchet, "ratchet");
        int trust = Integer.compare(newData.rank(), storedData.rank());
        switch (ratchet) {
            case UNCONNECTED:
                return Outcome.DISCARD_UNCONNECTED;
            case BETTER:
                if (trust > 0) {
                    return Outcome.TAKE_NEW;
                }
                if (trust == 0 && newData.legacySession() == storedData.legacySession()) {
                    return Outcome.TAKE_NEW;
                }
                return Outcome.OLD_SENDER_DATA_NEW_RATCHET;
            case EQUAL:
                return trust > 0 ? Outcome.TAKE_NEW : Outcome.KEEP_OLD;
            case WORSE:
                return trust > 0 ? Outcome.NEW_SENDER_DATA_OLD_RATCHET : Outcome.KEEP_OLD;
            default:
                throw new IllegalArgumentException("unknown ratchet comparison " + ratchet);
        }
    }
}
