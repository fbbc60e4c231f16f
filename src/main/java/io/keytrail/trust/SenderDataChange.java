package io.keytrail.trust;

/**
 * Whether a session's current sender data may be replaced by a newly decided value (design 5): the
 * recorded state only moves up in rank. The two exceptions of design 5 (tampering, a proven mismatch)
 * are not sender data but {@link Decision.Tampered} and {@link Decision.Rejected}, handled by the caller.
 */
public final class SenderDataChange {
    private SenderDataChange() {
    }

    /** How a newly decided value relates to the current one. */
    public enum Verdict {
        /** Strictly higher rank: record the change (includes {@code SenderUnverified -> SenderVerified}). */
        UPGRADE,
        /**
         * Same rank: no change, even if flags or keys differ. Otherwise a re-decision could flip
         * {@code legacy_session} to false (hiding messages under {@code CROSS_SIGNED_OR_LEGACY}, reference
         * 7.2), set {@code owner_check_failed}, or swap one {@code DeviceInfo}'s keys for another's.
         */
        SAME_RANK,
        /** Lower rank: refused; trust recorded for a session never goes down (a re-decision is not proof). */
        DOWNGRADE
    }

    public static Verdict judge(SenderData current, SenderData decided) {
        int cmp = Integer.compare(decided.rank(), current.rank());
        return cmp > 0 ? Verdict.UPGRADE : cmp == 0 ? Verdict.SAME_RANK : Verdict.DOWNGRADE;
    }

    /** True iff {@code decided} should replace {@code current}: only a strictly higher rank does. */
    public static boolean isAllowed(SenderData current, SenderData decided) {
        return judge(current, decided) == Verdict.UPGRADE;
    }
}
