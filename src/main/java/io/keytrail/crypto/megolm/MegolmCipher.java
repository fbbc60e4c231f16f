package io.keytrail.crypto.megolm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Megolm's message cipher ("m.megolm.v1.aes-sha2", reference §4.3): keys from HKDF-SHA-256 over the
 * whole 128-byte ratchet, AES-256-CBC with PKCS#7 padding, and an HMAC-SHA-256 truncated to 8 bytes.
 */
final class MegolmCipher {
    private static final byte[] INFO = "MEGOLM_KEYS".getBytes(StandardCharsets.US_ASCII);
    /** vodozemac passes the single byte 0; HMAC zero-pads keys, so this equals the RFC 5869 default. */
    private static final byte[] SALT = {0};
    private static final int BLOCK = 16;

    /** The 80 bytes of HKDF output, split. */
    record MessageKeys(byte[] aesKey, byte[] hmacKey, byte[] iv) {
    }

    private MegolmCipher() {
    }

    static MessageKeys deriveKeys(MegolmRatchet ratchet) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ratchet.toBytes(), SALT, INFO));
        byte[] okm = new byte[80];
        hkdf.generateBytes(okm, 0, okm.length);
        return new MessageKeys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 64),
                Arrays.copyOfRange(okm, 64, 80));
    }

    /** The first 8 bytes of HMAC-SHA-256(hmacKey, input). */
    static byte[] truncatedMac(MessageKeys keys, byte[] input) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(keys.hmacKey()));
        mac.update(input, 0, input.length);
        byte[] full = new byte[mac.getMacSize()];
        mac.doFinal(full, 0);
        return Arrays.copyOf(full, MegolmMessage.MAC_LENGTH);
    }

    static boolean macMatches(MessageKeys keys, byte[] input, byte[] mac) {
        return MessageDigest.isEqual(truncatedMac(keys, input), mac);
    }

    static byte[] encrypt(MessageKeys keys, byte[] plaintext) {
        int pad = BLOCK - plaintext.length % BLOCK;
        byte[] padded = Arrays.copyOf(plaintext, plaintext.length + pad);
        Arrays.fill(padded, plaintext.length, padded.length, (byte) pad);
        return cbc(true, keys, padded);
    }

    /** Decrypts and strips PKCS#7 padding. Only called after the MAC verified, so no padding oracle. */
    static byte[] decrypt(MessageKeys keys, byte[] ciphertext) {
        if (ciphertext.length == 0 || ciphertext.length % BLOCK != 0) {
            throw new MegolmException(MegolmException.Reason.BAD_PADDING, "the authenticated ciphertext is "
                    + ciphertext.length + " bytes, not a positive multiple of the AES block size: the sender is broken");
        }
        byte[] padded = cbc(false, keys, ciphertext);
        int pad = padded[padded.length - 1] & 0xFF;
        boolean valid = pad >= 1 && pad <= BLOCK;
        for (int i = 1; valid && i <= pad; i++) {
            valid = (padded[padded.length - i] & 0xFF) == pad;
        }
        if (!valid) {
            throw new MegolmException(MegolmException.Reason.BAD_PADDING,
                    "the message authenticated but its PKCS#7 padding is invalid: the sender is broken");
        }
        return Arrays.copyOf(padded, padded.length - pad);
    }

    private static byte[] cbc(boolean encrypt, MessageKeys keys, byte[] input) {
        BlockCipher cipher = CBCBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new ParametersWithIV(new KeyParameter(keys.aesKey()), keys.iv()));
        byte[] out = new byte[input.length];
        for (int off = 0; off < input.length; off += BLOCK) {
            cipher.processBlock(input, off, out, off);
        }
        return out;
    }
}
