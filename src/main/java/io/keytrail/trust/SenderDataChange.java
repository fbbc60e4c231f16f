package io.keytrail.trust;

import java.util.Optional;

import io.keytrail.errors.RefusalCode;

/**
 * The change rule (design 5): given a session's current sender data and a new {@link Decision} from
 * {@link SenderDataFinder}, what the session does. Pure; the aggregate only applies the answer.
 *
 * <ul>
 * <li>The state recorded at reception is history; later changes only move up in rank.</li>
 * <li>Tampering ({@link Decision.Tampered}) discards a session whose trust could rest on the tampered
 *     material: one below {@code SenderUnverified}. A session already cross-signed
 *     ({@code SenderUnverified} or {@code SenderVerified}) got its trust from an earlier, valid chain that
 *     the tampered keys do not touch (design 3.7: only "sessions that depend on it" are discarded), so it
 *     keeps it.</li>
 * <li>A rejection ({@link Decision.Rejected}) refuses a room key (a first copy or another copy); on a
 *     re-decision it proves the session's creator a mismatch (an attack) and discards the session.</li>
 * </ul>
 */
public final class SenderDataChange {
    private SenderDataChange() {
    }

    /** What the session does with a decision. */
    public sealed interface Action {
        Rule rule();
    }

    /** Record {@code senderData}: the first decision of a new session, or an upgrade. */
    public record Record(SenderData senderData, Rule rule) implements Action {
    }

    /** Nothing changes: the decision does not raise the session's trust. */
    public record Keep(SenderData offered, Rule rule) implements Action {
    }

    /**
     * Another copy of a session we hold vouches for {@code offered}: merge it (the better ratchet and
     * the higher trust, {@link SessionMerge}); the recorded trust still only moves up ({@link #isAllowed}).
     */
    public record Merge(SenderData offered, Rule rule) implements Action {
    }

    /**
     * Discard the session. For a session that does not exist yet, it is first stored as
     * {@code UnknownDevice} and then discarded, so the discard and its evidence are on record.
     *
     * @param cause tampering, or a proven mismatch
     * @param code  the refusal code a proven mismatch stands for; null for tampering
     */
    public record Discard(DiscardCause cause, RefusalCode code, Rule rule, String detail) implements Action {
    }

    /** Refuse the room key: store nothing usable (first copy) or refuse the copy (another copy). */
    public record Refuse(RefusalCode code, Rule rule, String detail) implements Action {
    }

    /**
     * A room key arrived over Olm.
     *
     * @param current the sender data of the session we hold, or null when this is its first copy
     */
    public static Action onReceipt(SenderData current, Decision decision) {
        if (decision instanceof Decision.Rejected r) {
            return new Refuse(r.code(), r.rule(), r.detail());
        }
        if (decision instanceof Decision.Tampered t) {
            return current == null || !keepsTrustDespiteTampering(current)
                    ? discard(t)
                    // The copy vouches for nothing, but its ratchet may still be better.
                    : new Merge(SenderData.unknown(), t.rule());
        }
        Decision.Decided d = (Decision.Decided) decision;
        return current == null ? new Record(d.senderData(), d.rule()) : new Merge(d.senderData(), d.rule());
    }

    /** New evidence about the sender (keys fetched, identity or verification changed): decide again. */
    public static Action onRedecision(SenderData current, Decision decision) {
        if (decision instanceof Decision.Rejected r) {
            return new Discard(DiscardCause.PROVEN_MISMATCH, r.code(), r.rule(), r.detail());
        }
        if (decision instanceof Decision.Tampered t) {
            return keepsTrustDespiteTampering(current) ? new Keep(SenderData.unknown(), t.rule()) : discard(t);
        }
        Decision.Decided d = (Decision.Decided) decision;
        return isAllowed(current, d.senderData())
                ? new Record(d.senderData(), d.rule())
                : new Keep(d.senderData(), d.rule());
    }

    /**
     * The local user verified {@code masterKey} of {@code userId}: a {@code SenderUnverified} or
     * {@code VerificationViolation} session that recorded exactly that user and MSK becomes
     * {@code SenderVerified} (design 9.3: the evidence is exact; matrix-rust-sdk never does this).
     *
     * @return the upgraded sender data, or empty when the verification does not concern this session
     */
    public static Optional<SenderData> onVerification(SenderData current, String userId, String masterKey) {
        KnownSenderData known = current.signerAwaitingVerification().orElse(null);
        if (known != null && known.userId().equals(userId) && known.masterKey().toBase64().equals(masterKey)) {
            return Optional.of(new SenderData.SenderVerified(known));
        }
        return Optional.empty();
    }

    /** The "already cross-signed keeps its trust" exemption: see the class comment. */
    public static boolean keepsTrustDespiteTampering(SenderData current) {
        return current.rank() >= SenderData.SENDER_UNVERIFIED_RANK;
    }

    private static Discard discard(Decision.Tampered t) {
        return new Discard(DiscardCause.TAMPERING, null, t.rule(), t.what() + " (" + t.keyId() + "): " + t.detail());
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
