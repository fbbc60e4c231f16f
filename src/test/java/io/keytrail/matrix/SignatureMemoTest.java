package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import io.keytrail.crypto.Ed25519KeyPair;

/** A remembered check answers exactly what a new check would, for good and for bad signatures. */
class SignatureMemoTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aSignatureCheckedAgain_givesTheSameOutcome_andAnotherMessageUnderTheSameSignatureIsCheckedAnew() {
        Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);
        byte[] message = ("{\"n\":" + RANDOM.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
        String signature = key.sign(message).toBase64();
        byte[] altered = message.clone();
        altered[altered.length - 2] ^= 1;

        assertThat(SignedJson.verifyBytes(message, signature, key.publicKey())).isEqualTo(SignatureCheck.VALID);
        assertThat(SignedJson.verifyBytes(message, signature, key.publicKey())).isEqualTo(SignatureCheck.VALID);
        assertThat(SignedJson.verifyBytes(altered, signature, key.publicKey())).isEqualTo(SignatureCheck.INVALID);
        assertThat(SignedJson.verifyBytes(altered, signature, key.publicKey())).isEqualTo(SignatureCheck.INVALID);
        assertThat(SignedJson.verifyBytes(message, signature, Ed25519KeyPair.generate(RANDOM).publicKey()))
                .isEqualTo(SignatureCheck.INVALID);
        assertThat(SignatureMemo.size()).isBetween(1, SignatureMemo.CAPACITY);
    }
}
