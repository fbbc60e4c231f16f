package io.keytrail.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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
}
