package io.keytrail.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class KeyTypesTest {
    private static final String SPEC_PUBLIC_KEY = "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI";

    @Test
    void keysParseTheirOwnEncoding_andCompareByValue() {
        Ed25519PublicKey a = Ed25519PublicKey.parse(SPEC_PUBLIC_KEY);
        Ed25519PublicKey b = Ed25519PublicKey.fromBytes(a.toBytes());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toBase64()).isEqualTo(SPEC_PUBLIC_KEY);
        assertThat(a.toString()).isEqualTo(SPEC_PUBLIC_KEY);
    }

    @Test
    void keysOfDifferentTypesWithTheSameBytesAreNotEqual() {
        byte[] bytes = Ed25519PublicKey.parse(SPEC_PUBLIC_KEY).toBytes();
        assertThat((Object) Curve25519PublicKey.fromBytes(bytes)).isNotEqualTo(Ed25519PublicKey.fromBytes(bytes));
    }

    @Test
    void wrongLengthsAreRefusedWithTheExpectedLength() {
        assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(new byte[31])).isInstanceOf(CryptoInputException.class)
                .hasMessage("Ed25519 public key must be 32 bytes, got 31");
        assertThatThrownBy(() -> Curve25519PublicKey.fromBytes(new byte[33]))
                .hasMessage("Curve25519 public key must be 32 bytes, got 33");
        assertThatThrownBy(() -> Ed25519Signature.fromBytes(null))
                .hasMessage("Ed25519 signature must be 64 bytes, got none");
        assertThatThrownBy(() -> Curve25519PublicKey.parse(SPEC_PUBLIC_KEY + "AAAA"))
                .hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> Ed25519Signature.parse("AAAA")).hasMessageContaining("must be 64 bytes");
    }

    @Test
    void aValueCannotBeChangedThroughTheArrayItWasBuiltFromOrGaveOut() {
        byte[] bytes = Ed25519PublicKey.parse(SPEC_PUBLIC_KEY).toBytes();
        Ed25519PublicKey key = Ed25519PublicKey.fromBytes(bytes);
        bytes[0] ^= 1;
        key.toBytes()[1] ^= 1;
        assertThat(key.toBase64()).isEqualTo(SPEC_PUBLIC_KEY);
    }

    @Test
    void signAndVerify_andAnyChangeBreaksTheSignature() {
        Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(new byte[32]);
        byte[] message = "{\"one\":1}".getBytes(StandardCharsets.UTF_8);
        Ed25519Signature signature = pair.sign(message);
        assertThat(pair.publicKey().verify(message, signature)).isTrue();
        assertThat(pair.publicKey().verify("{\"one\":2}".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        byte[] flipped = signature.toBytes();
        flipped[10] ^= 1;
        assertThat(pair.publicKey().verify(message, Ed25519Signature.fromBytes(flipped))).isFalse();
        assertThat(Ed25519KeyPair.fromSeed(new byte[32]).publicKey()).isEqualTo(pair.publicKey());
        assertThat(pair.toString()).doesNotContain("seed").contains(pair.publicKey().toBase64());
    }

    @Test
    void aSeedOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> Ed25519KeyPair.fromSeed(new byte[31])).isInstanceOf(CryptoInputException.class);
    }
}
