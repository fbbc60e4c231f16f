package io.keytrail.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import io.keytrail.errors.RefusalCode;

import org.junit.jupiter.api.Test;

class SenderDataChangeTest {
    private static final List<SenderData> BY_RANK = List.of(Samples.unknown(false, false), Samples.deviceInfo(false),
            Samples.violation(), Samples.unverified(), Samples.verified());

    @Test
    void strictlyHigherRank_isAnAllowedUpgrade() {
        for (int from = 0; from < BY_RANK.size(); from++) {
            for (int to = from + 1; to < BY_RANK.size(); to++) {
                assertThat(SenderDataChange.judge(BY_RANK.get(from), BY_RANK.get(to)))
                        .isEqualTo(SenderDataChange.Verdict.UPGRADE);
                assertThat(SenderDataChange.isAllowed(BY_RANK.get(from), BY_RANK.get(to))).isTrue();
            }
        }
    }

    @Test
    void lowerRank_isRefused() {
        for (int from = 0; from < BY_RANK.size(); from++) {
            for (int to = 0; to < from; to++) {
                assertThat(SenderDataChange.judge(BY_RANK.get(from), BY_RANK.get(to)))
                        .isEqualTo(SenderDataChange.Verdict.DOWNGRADE);
            }
        }
    }

    @Test
    void senderUnverifiedThenSameMskVerified_upgradesToSenderVerified() {
        assertThat(SenderDataChange.isAllowed(Samples.unverified(), Samples.verified())).isTrue();
    }

    @Test
    void equalRank_neverFlipsLegacyOrOwnerCheckOrDeviceKeys() {
        assertThat(SenderDataChange.judge(SenderData.legacy(), Samples.unknown(false, false)))
                .isEqualTo(SenderDataChange.Verdict.SAME_RANK);
        assertThat(SenderDataChange.isAllowed(SenderData.legacy(), Samples.unknown(true, true))).isFalse();
        assertThat(SenderDataChange.isAllowed(Samples.deviceInfo(true), Samples.deviceInfo(false))).isFalse();
        assertThat(SenderDataChange.isAllowed(Samples.unverified(), Samples.unverified())).isFalse();
    }

    @Test
    void legacySessionThenCrossSignedCopy_upgradesAndDropsLegacy() {
        assertThat(SenderDataChange.isAllowed(SenderData.legacy(), Samples.unverified())).isTrue();
    }

    // ---- the change rule: what a session does with a decision (design 5) ------------------------

    private static final Decision.Tampered TAMPERED = new Decision.Tampered(Rule.TAINTED_DEVICE, "device_keys:PHONE",
            "ed25519:refused", "relies on a refused key");
    private static final Decision.Rejected REJECTED = new Decision.Rejected(Rule.OWNER_CHECK_MISMATCH,
            RefusalCode.MISMATCHED_IDENTITY_KEYS, "keys contradict");

    private static Decision decided(SenderData data) {
        return new Decision.Decided(data, Rule.CROSS_SIGNED_UNVERIFIED, Optional.empty());
    }

    @Test
    void firstCopy_recordsTheDecidedSenderData() {
        assertThat(SenderDataChange.onReceipt(null, decided(Samples.unverified())))
                .isEqualTo(new SenderDataChange.Record(Samples.unverified(), Rule.CROSS_SIGNED_UNVERIFIED));
    }

    @Test
    void firstCopyRejected_isRefused() {
        assertThat(SenderDataChange.onReceipt(null, REJECTED)).isEqualTo(new SenderDataChange.Refuse(
                RefusalCode.MISMATCHED_IDENTITY_KEYS, Rule.OWNER_CHECK_MISMATCH, "keys contradict"));
    }

    @Test
    void firstCopyTampered_isDiscardedForTamperingNamingTheKey() {
        SenderDataChange.Action action = SenderDataChange.onReceipt(null, TAMPERED);

        assertThat(action).isEqualTo(new SenderDataChange.Discard(DiscardCause.TAMPERING, null, Rule.TAINTED_DEVICE,
                "device_keys:PHONE (ed25519:refused): relies on a refused key"));
    }

    @Test
    void anotherCopyTampered_discardsASessionBelowSenderUnverified() {
        for (SenderData current : BY_RANK.subList(0, 3)) {
            assertThat(SenderDataChange.onReceipt(current, TAMPERED)).isInstanceOf(SenderDataChange.Discard.class);
        }
    }

    @Test
    void anotherCopyTampered_overAnAlreadyCrossSignedSession_mergesAsVouchingForNothing() {
        for (SenderData current : BY_RANK.subList(3, 5)) {
            assertThat(SenderDataChange.onReceipt(current, TAMPERED))
                    .isEqualTo(new SenderDataChange.Merge(SenderData.unknown(), Rule.TAINTED_DEVICE));
        }
    }

    @Test
    void anotherCopyDecided_isMergedWithWhatItVouchesFor() {
        assertThat(SenderDataChange.onReceipt(Samples.verified(), decided(Samples.deviceInfo(false))))
                .isEqualTo(new SenderDataChange.Merge(Samples.deviceInfo(false), Rule.CROSS_SIGNED_UNVERIFIED));
    }

    @Test
    void anotherCopyRejected_refusesTheCopy() {
        assertThat(SenderDataChange.onReceipt(Samples.verified(), REJECTED)).isInstanceOf(SenderDataChange.Refuse.class);
    }

    @Test
    void redecisionToAHigherRank_recordsTheUpgrade() {
        assertThat(SenderDataChange.onRedecision(Samples.deviceInfo(false), decided(Samples.unverified())))
                .isEqualTo(new SenderDataChange.Record(Samples.unverified(), Rule.CROSS_SIGNED_UNVERIFIED));
    }

    @Test
    void redecisionToTheSameOrALowerRank_keeps() {
        assertThat(SenderDataChange.onRedecision(Samples.unverified(), decided(Samples.unverified())))
                .isInstanceOf(SenderDataChange.Keep.class);
        assertThat(SenderDataChange.onRedecision(Samples.unverified(), decided(Samples.deviceInfo(false))))
                .isEqualTo(new SenderDataChange.Keep(Samples.deviceInfo(false), Rule.CROSS_SIGNED_UNVERIFIED));
    }

    @Test
    void redecisionFindingTampering_discardsBelowSenderUnverifiedAndKeepsTheCrossSigned() {
        for (SenderData current : BY_RANK) {
            SenderDataChange.Action action = SenderDataChange.onRedecision(current, TAMPERED);
            if (current.rank() < 3) {
                assertThat(action).as("%s", current).isInstanceOf(SenderDataChange.Discard.class);
            } else {
                assertThat(action).as("%s", current)
                        .isEqualTo(new SenderDataChange.Keep(SenderData.unknown(), Rule.TAINTED_DEVICE));
            }
        }
    }

    @Test
    void redecisionProvingAMismatch_discardsWhateverTheRankWithTheRefusalCode() {
        for (SenderData current : BY_RANK) {
            assertThat(SenderDataChange.onRedecision(current, REJECTED)).isEqualTo(new SenderDataChange.Discard(
                    DiscardCause.PROVEN_MISMATCH, RefusalCode.MISMATCHED_IDENTITY_KEYS, Rule.OWNER_CHECK_MISMATCH, "keys contradict"));
        }
    }

    @Test
    void onlySenderUnverifiedAndSenderVerified_keepTheirTrustDespiteTampering() {
        assertThat(BY_RANK.stream().map(SenderDataChange::keepsTrustDespiteTampering))
                .containsExactly(false, false, false, true, true);
        assertThat(SenderDataChange.keepsTrustDespiteTampering(SenderData.legacy())).isFalse();
    }

    @Test
    void verificationOfExactlyTheRecordedMsk_upgradesSenderUnverifiedAndViolationToSenderVerified() {
        String msk = Samples.MSK.toBase64();

        assertThat(SenderDataChange.onVerification(Samples.unverified(), Samples.ALICE, msk)).contains(Samples.verified());
        assertThat(SenderDataChange.onVerification(Samples.violation(), Samples.ALICE, msk)).contains(Samples.verified());
    }

    @Test
    void verificationOfAnotherMskOrUser_orOfASessionNotCrossSigned_changesNothing() {
        String msk = Samples.MSK.toBase64();
        String other = io.keytrail.crypto.Ed25519PublicKey.fromBytes(new byte[32]).toBase64();

        assertThat(SenderDataChange.onVerification(Samples.unverified(), Samples.ALICE, other)).isEmpty();
        assertThat(SenderDataChange.onVerification(Samples.unverified(), Samples.MALLORY, msk)).isEmpty();
        assertThat(SenderDataChange.onVerification(Samples.deviceInfo(false), Samples.ALICE, msk)).isEmpty();
        assertThat(SenderDataChange.onVerification(Samples.verified(), Samples.ALICE, msk)).isEmpty();
    }
}
