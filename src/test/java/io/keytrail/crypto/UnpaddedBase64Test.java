package io.keytrail.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UnpaddedBase64Test {
    /** The spec appendix's examples. */
    @ParameterizedTest
    @CsvSource({"'',''", "f,Zg", "fo,Zm8", "foo,Zm9v", "foob,Zm9vYg", "fooba,Zm9vYmE", "foobar,Zm9vYmFy"})
    void encodesWithoutPadding_andDecodesBack(String text, String encoded) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(UnpaddedBase64.encode(bytes)).isEqualTo(encoded);
        assertThat(UnpaddedBase64.decode(encoded)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"Zg==,f", "Zm8=,fo", "Zm9vYg==,foob"})
    void acceptsPaddedInput(String padded, String text) {
        assertThat(UnpaddedBase64.decode(padded)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Zm9!", "Zm 9", "Zm9v-_", "Zm9\u00e9"})
    void rejectsCharactersOutsideTheStandardAlphabet(String input) {
        assertThatThrownBy(() -> UnpaddedBase64.decode(input)).isInstanceOf(CryptoInputException.class)
                .hasMessageContaining("not in the standard base64 alphabet");
    }

    @Test
    void rejectsALengthThatCannotEncodeWholeBytes() {
        assertThatThrownBy(() -> UnpaddedBase64.decode("Zm9vY")).isInstanceOf(CryptoInputException.class)
                .hasMessageContaining("cannot encode whole bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Zg=", "Zg===", "Z===", "=Zg", "Zm8==", "Zm9v="})
    void rejectsMalformedPadding(String input) {
        assertThatThrownBy(() -> UnpaddedBase64.decode(input)).isInstanceOf(CryptoInputException.class);
    }

    @Test
    void rejectsNonZeroTrailingBits_soEveryValueHasOneSpelling() {
        assertThatThrownBy(() -> UnpaddedBase64.decode("Zh")).isInstanceOf(CryptoInputException.class)
                .hasMessageContaining("trailing bits");
    }

    @Test
    void rejectsAMissingValue() {
        assertThatThrownBy(() -> UnpaddedBase64.decode(null)).isInstanceOf(CryptoInputException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void decodeExact_namesTheValueAndTheLengthItExpected() {
        assertThatThrownBy(() -> UnpaddedBase64.decodeExact("Zm9v", 32, "Ed25519 public key"))
                .isInstanceOf(CryptoInputException.class)
                .hasMessage("Ed25519 public key must be 32 bytes, got 3");
        assertThatThrownBy(() -> UnpaddedBase64.decodeExact("Zm9v!", 32, "Ed25519 public key"))
                .hasMessageStartingWith("Ed25519 public key: invalid base64");
    }
}
