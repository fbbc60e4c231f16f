package io.keytrail.crypto.megolm;

import static io.keytrail.crypto.megolm.MegolmAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class MegolmRatchetTest {
    private static final JsonNode LIBOLM = MegolmVectors.libolm().get("ratchet_advance");
    private static final byte[] LIBOLM_INITIAL =
            LIBOLM.get("initial_ratchet_ascii").asText().getBytes(StandardCharsets.US_ASCII);

    private static MegolmRatchet libolmInitial() {
        return MegolmRatchet.of(LIBOLM.get("initial_counter").asLong(), LIBOLM_INITIAL);
    }

    private static String expectedHexForStep(int step) {
        return LIBOLM.get("steps").get(step).get("expected_hex").asText();
    }

    @Test
    void advanceToOne_matchesLibolmVector() {
        MegolmRatchet r = libolmInitial().advanceTo(1);
        assertThat(r.index()).isEqualTo(1);
        assertThat(MegolmVectors.toHex(r.toBytes())).isEqualTo(expectedHexForStep(0));
    }

    @Test
    void singleAdvance_equalsAdvanceToOne() {
        assertThat(libolmInitial().advance()).isEqualTo(libolmInitial().advanceTo(1));
    }

    @Test
    void advanceToTwoToThe24_reseedsAllPartsFromR0_matchesLibolmVector() {
        MegolmRatchet r = libolmInitial().advanceTo(1).advanceTo(0x1000000);
        assertThat(r.index()).isEqualTo(0x1000000);
        assertThat(MegolmVectors.toHex(r.toBytes())).isEqualTo(expectedHexForStep(1));
    }

    @Test
    void advanceToSucceedingTargets_continuesFromPreviousState_matchesLibolmVectors() {
        MegolmRatchet r = libolmInitial();
        for (int step = 0; step < LIBOLM.get("steps").size(); step++) {
            JsonNode s = LIBOLM.get("steps").get(step);
            r = r.advanceTo(s.get("advance_to").asLong());
            assertThat(r.index()).isEqualTo(s.get("advance_to").asLong());
            assertThat(MegolmVectors.toHex(r.toBytes())).as("advance_to %s", s.get("advance_to"))
                    .isEqualTo(s.get("expected_hex").asText());
        }
    }

    @Test
    void advanceToFromMaxCounter_wrapsThrough2To32_likeLibolm() {
        MegolmRatchet fromMax = MegolmRatchet.of(0xFFFF_FFFFL, LIBOLM_INITIAL).advanceTo(0x1000000);
        MegolmRatchet fromZero = MegolmRatchet.of(0, LIBOLM_INITIAL).advanceTo(0x2000000);
        assertThat(fromMax.toBytes()).isEqualTo(fromZero.toBytes());
        assertThat(fromMax.index()).isEqualTo(0x1000000);
    }

    @Test
    void zeroRatchet_advanceThenAdvanceToZero_wrapsAround_matchesVodozemacVector() {
        JsonNode v = MegolmVectors.vodozemacWraparound();
        MegolmRatchet r = MegolmRatchet.of(v.get("initial_counter").asLong(), MegolmVectors.hex(v.get("initial_ratchet_hex")));
        MegolmRatchet advanced = r.advance();
        assertThat(advanced.index()).isEqualTo(1);
        MegolmRatchet wrapped = advanced.advanceTo(0);
        assertThat(wrapped.index()).isZero();
        assertThat(MegolmVectors.toHex(wrapped.toBytes())).isEqualTo(v.get("expected_hex").asText());
    }

    @Test
    void singleAdvanceFromMaxCounter_wrapsToZeroAndReseedsFromR0() {
        MegolmRatchet max = MegolmRatchet.of(0xFFFF_FFFFL, LIBOLM_INITIAL);
        MegolmRatchet wrapped = max.advance();
        assertThat(wrapped.index()).isZero();
        assertThat(wrapped).isEqualTo(max.advanceTo(0));
    }

    @Test
    void advanceToCurrentIndex_isIdentity() {
        MegolmRatchet r = libolmInitial().advanceTo(300);
        assertThat(r.advanceTo(300)).isEqualTo(r);
    }

    @Test
    void advanceTo_agreesWithRepeatedSingleSteps_acrossEveryByteBoundaryUpTo70000() {
        MegolmRatchet stepwise = libolmInitial();
        MegolmRatchet jumping = libolmInitial();
        for (int i = 1; i <= 70_000; i++) {
            stepwise = stepwise.advance();
            if (i % 251 == 0 || (i & 0xFF) == 0 || (i & 0xFF) == 0xFF || i == 70_000) {
                assertThat(libolmInitial().advanceTo(i)).as("from 0 to %d", i).isEqualTo(stepwise);
                jumping = jumping.advanceTo(i);
                assertThat(jumping).as("chained jump to %d", i).isEqualTo(stepwise);
            }
        }
    }

    @Test
    void advance_returnsNewRatchetAndLeavesOriginalUnchanged() {
        MegolmRatchet r = libolmInitial();
        r.advance();
        r.advanceTo(5000);
        assertThat(r.index()).isZero();
        assertThat(r.toBytes()).isEqualTo(LIBOLM_INITIAL);
    }

    @Test
    void stateIsCopiedInAndOut() {
        byte[] input = LIBOLM_INITIAL.clone();
        MegolmRatchet r = MegolmRatchet.of(0, input);
        input[0] ^= 1;
        byte[] out = r.toBytes();
        out[1] ^= 1;
        assertThat(r.toBytes()).isEqualTo(LIBOLM_INITIAL);
    }

    @Test
    void toString_doesNotRevealState() {
        assertThat(libolmInitial().toString()).isEqualTo("MegolmRatchet[index=0]");
    }

    @Test
    void wrongStateLengthOrIndexOutOfU32Range_isRejected() {
        assertRefused(() -> MegolmRatchet.of(0, new byte[127]), MegolmException.Reason.MALFORMED_RATCHET)
                .hasMessageContaining("128 bytes, got 127");
        assertRefused(() -> MegolmRatchet.of(-1, LIBOLM_INITIAL), MegolmException.Reason.MALFORMED_RATCHET);
        assertRefused(() -> libolmInitial().advanceTo(1L << 32), MegolmException.Reason.MALFORMED_RATCHET);
    }
}
