package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class BoundsTest {
    @Test
    void idLength_isCountedInUtf8Bytes() {
        assertThat(Bounds.isIdSized("x".repeat(255))).isTrue();
        assertThat(Bounds.isIdSized("x".repeat(256))).isFalse();
        assertThat(Bounds.isIdSized("é".repeat(127) + "x")).isTrue(); // 255 bytes
        assertThat(Bounds.isIdSized("é".repeat(128))).isFalse(); // 256 bytes
        assertThat(Bounds.isIdSized("\ud83d\ude00".repeat(63) + "xxx")).isTrue(); // 4-byte code points: 255 bytes
        assertThat(Bounds.isIdSized("\ud83d\ude00".repeat(64))).isFalse();
        assertThat(Bounds.isIdSized(null)).isFalse();
    }

    @Test
    void overlongId_isAFormatErrorNamingTheFieldButNotTheValue() {
        String id = "@" + "a".repeat(300) + ":x";
        assertThatThrownBy(() -> Bounds.id(id, "content.room_id")).isInstanceOf(MatrixFormatException.class)
                .hasMessage("content.room_id is longer than 255 bytes, the Matrix limit for ids");
    }

    @Test
    void shorten_cutsLongValuesWithoutSplittingASurrogatePair() {
        assertThat(Bounds.shorten("short")).isEqualTo("short");
        assertThat(Bounds.shorten("y".repeat(1000))).hasSize(65).endsWith("…");
        String pairAtTheCut = "y".repeat(63) + "\ud83d\ude00" + "z".repeat(10);
        assertThat(Bounds.shorten(pairAtTheCut)).isEqualTo("y".repeat(63) + "…");
    }

    @Test
    void exceeds_measuresJsonTextSizeAndStopsEarly() {
        ObjectNode small = JsonNodeFactory.instance.objectNode().put("a", "b");
        assertThat(Bounds.exceeds(small, 100)).isFalse();
        ObjectNode big = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 10_000; i++) {
            big.put("k" + i, "v".repeat(100));
        }
        assertThat(Bounds.exceeds(big, 32_768)).isTrue();
        assertThat(Bounds.exceeds(big, 10_000_000)).isFalse();
    }
}
