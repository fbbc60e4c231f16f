package io.keytrail.crypto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.keytrail.crypto.CryptoInputException;

class Base58Test {

    @Test
    void knownBitcoinExamples_encodeAndDecode() {
        assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
        assertThat(Base58.encode(HexFormat.of().parseHex("0000287fb4cd"))).isEqualTo("11233QC4");
        assertThat(Base58.decode("11233QC4")).isEqualTo(HexFormat.of().parseHex("0000287fb4cd"));
    }

    @Test
    void emptyInput_isEmptyOutput() {
        assertThat(Base58.encode(new byte[0])).isEmpty();
        assertThat(Base58.decode("")).isEmpty();
    }

    @Test
    void leadingZeroBytes_becomeLeadingOnes() {
        assertThat(Base58.encode(new byte[] {0, 0, 0})).isEqualTo("111");
        assertThat(Base58.decode("111")).containsExactly(0, 0, 0);
    }

    @Test
    void randomBytes_surviveARoundTrip() {
        Random random = new Random(42);
        for (int len = 0; len < 40; len++) {
            byte[] bytes = new byte[len];
            random.nextBytes(bytes);
            if (len % 3 == 0 && len > 0) {
                bytes[0] = 0;
            }
            assertThat(Base58.decode(Base58.encode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void highBitInTheFirstByte_doesNotAddASignByte() {
        byte[] bytes = HexFormat.of().parseHex("8b01ff");
        assertThat(Base58.decode(Base58.encode(bytes))).isEqualTo(bytes);
    }

    @Test
    void charactersOutsideTheAlphabet_areRejectedWithTheirPosition() {
        assertThatThrownBy(() -> Base58.decode("abc0")).isInstanceOf(CryptoInputException.class)
                .hasMessageContaining("'0' at position 3");
        assertThatThrownBy(() -> Base58.decode("abO")).hasMessageContaining("'O' at position 2");
        assertThatThrownBy(() -> Base58.decode("aI")).hasMessageContaining("'I' at position 1");
        assertThatThrownBy(() -> Base58.decode("l")).hasMessageContaining("'l' at position 0");
        assertThatThrownBy(() -> Base58.decode("ab c")).hasMessageContaining("' ' at position 2");
    }
}
