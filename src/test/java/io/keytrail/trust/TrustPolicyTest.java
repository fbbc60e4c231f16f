package io.keytrail.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrustPolicyTest {
    /**
     * Reference 5.3 plus VERIFIED_ONLY, exhaustively: state x legacy x policy. Columns: SHOW_ALL,
     * CROSS_SIGNED_OR_LEGACY, CROSS_SIGNED, VERIFIED_ONLY; "L" = only when legacy.
     */
    private static final Object[][] TABLE = {
        {VerificationState.VERIFIED, "yes", "yes", "yes", "yes"},
        {level(VerificationLevel.UNVERIFIED_IDENTITY), "yes", "yes", "yes", "no"},
        {level(VerificationLevel.UNSIGNED_DEVICE), "yes", "L", "no", "no"},
        {level(VerificationLevel.NONE_MISSING_DEVICE), "yes", "L", "no", "no"},
        {level(VerificationLevel.NONE_INSECURE_SOURCE), "yes", "L", "no", "no"},
        {level(VerificationLevel.VERIFICATION_VIOLATION), "yes", "no", "no", "no"},
        {level(VerificationLevel.MISMATCHED_SENDER), "yes", "no", "no", "no"},
    };

    static Stream<Arguments> everyCombination() {
        List<Arguments> rows = new ArrayList<>();
        for (Object[] row : TABLE) {
            for (TrustPolicy policy : TrustPolicy.values()) {
                String cell = (String) row[1 + policy.ordinal()];
                for (boolean legacy : new boolean[] {false, true}) {
                    boolean shown = cell.equals("yes") || (cell.equals("L") && legacy);
                    rows.add(Arguments.of(policy, row[0], legacy, shown));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} legacy={2} -> shown={3}")
    @MethodSource("everyCombination")
    void policy_showsExactlyWhatTheTableSays(TrustPolicy policy, VerificationState state, boolean legacy,
                                             boolean shown) {
        assertThat(policy.allows(state, legacy)).isEqualTo(shown);
    }

    @Test
    void tableCoversEveryStateAndPolicy() {
        assertThat(TABLE.length).isEqualTo(1 + VerificationLevel.values().length);
        assertThat(TABLE[0].length).isEqualTo(1 + TrustPolicy.values().length);
    }

    private static VerificationState level(VerificationLevel level) {
        return VerificationState.unverified(level);
    }
}
