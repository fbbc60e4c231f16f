package io.keytrail.crypto;

import java.security.SecureRandom;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 signing key (from a 32-byte seed). Keytrail only verifies in production; signing exists
 * for test fixtures, example recordings and the Megolm sender used to build them.
 */
public final class Ed25519KeyPair {
    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKey publicKey;

    private Ed25519KeyPair(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = Ed25519PublicKey.fromBytes(privateKey.generatePublicKey().getEncoded());
    }

    public static Ed25519KeyPair fromSeed(byte[] seed) {
        if (seed == null || seed.length != 32) {
            throw new CryptoInputException("Ed25519 seed must be 32 bytes");
        }
        return new Ed25519KeyPair(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public static Ed25519KeyPair fromSeedBase64(String base64) {
        return fromSeed(UnpaddedBase64.decodeExact(base64, 32, "Ed25519 seed"));
    }

    public static Ed25519KeyPair generate(SecureRandom random) {
        return new Ed25519KeyPair(new Ed25519PrivateKeyParameters(random));
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    public Ed25519Signature sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return Ed25519Signature.fromBytes(signer.generateSignature());
    }

    @Override
    public String toString() {
        return "Ed25519KeyPair[public=" + publicKey + "]";
    }
}
