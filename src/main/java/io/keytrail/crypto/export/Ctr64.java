package io.keytrail.crypto.export;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-CTR as WebCrypto does it with {@code length: 64}: the low 8 bytes of the counter block
 * increment modulo 2^64 and the high 8 bytes never change.
 *
 * <p>Bouncy Castle's {@code SICBlockCipher} carries into the high half (a 128-bit counter). The two
 * agree unless the low half wraps, which can only happen within an export when the writer left IV
 * bit 63 set; element-web did once, and its test vector decrypts only this way. For every IV we
 * write (bit 63 clear) this is plain 128-bit CTR.
 */
final class Ctr64 {
    private static final int BLOCK = 16;

    private Ctr64() {
    }

    /** Encrypts or decrypts (the same operation in CTR mode). */
    static byte[] apply(byte[] key, byte[] iv, byte[] input) {
        BlockCipher aes = AESEngine.newInstance();
        aes.init(true, new KeyParameter(key));
        byte[] counter = iv.clone();
        byte[] stream = new byte[BLOCK];
        byte[] out = new byte[input.length];
        for (int offset = 0; offset < input.length; offset += BLOCK) {
            aes.processBlock(counter, 0, stream, 0);
            int n = Math.min(BLOCK, input.length - offset);
            for (int i = 0; i < n; i++) {
                out[offset + i] = (byte) (input[offset + i] ^ stream[i]);
            }
            incrementLow64(counter);
        }
        return out;
    }

    /** The same key stream applied piece by piece: {@link #update} continues where the last call ended. */
    static final class Stream {
        private final BlockCipher aes = AESEngine.newInstance();
        private final byte[] counter;
        private final byte[] stream = new byte[BLOCK];
        private int used = BLOCK;

        Stream(byte[] key, byte[] iv) {
            aes.init(true, new KeyParameter(key));
            counter = iv.clone();
        }

        byte[] update(byte[] input, int offset, int length) {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                if (used == BLOCK) {
                    aes.processBlock(counter, 0, stream, 0);
                    incrementLow64(counter);
                    used = 0;
                }
                out[i] = (byte) (input[offset + i] ^ stream[used++]);
            }
            return out;
        }
    }

    private static void incrementLow64(byte[] counter) {
        for (int i = BLOCK - 1; i >= BLOCK - 8; i--) {
            if (++counter[i] != 0) {
                return;
            }
        }
    }
}
