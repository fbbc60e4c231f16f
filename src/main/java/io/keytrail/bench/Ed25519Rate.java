package io.keytrail.bench;

import java.nio.charset.StandardCharsets;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.Ed25519Signature;

/**
 * This machine's raw Ed25519 verification rate on one thread, through the same Bouncy Castle call the
 * engine uses ({@link Ed25519PublicKey#verify}). Measured in the same run as everything else, because
 * the machine is shared: ratios to it stay comparable when absolute figures do not.
 */
final class Ed25519Rate {
    private Ed25519Rate() {
    }

    /** Verifications per second over about {@code measureMillis}, after {@code warmUpMillis} of the same loop. */
    static double measure(long warmUpMillis, long measureMillis) {
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
        // About the size of the canonical JSON of signed device keys.
        byte[] message = "{\"algorithms\":[\"m.olm.v1.curve25519-aes-sha2\",\"m.megolm.v1.aes-sha2\"],\"device_id\":\"BENCH\"}"
                .repeat(4).getBytes(StandardCharsets.UTF_8);
        Ed25519Signature signature = key.sign(message);
        Ed25519PublicKey publicKey = key.publicKey();
        loop(publicKey, message, signature, warmUpMillis);
        return loop(publicKey, message, signature, measureMillis);
    }

    private static double loop(Ed25519PublicKey key, byte[] message, Ed25519Signature signature, long millis) {
        long start = System.nanoTime();
        long end = start + millis * 1_000_000L;
        long count = 0;
        long now;
        do {
            for (int i = 0; i < 50; i++) {
                if (!key.verify(message, signature)) {
                    throw new IllegalStateException("a valid signature did not verify");
                }
            }
            count += 50;
            now = System.nanoTime();
        } while (now < end);
        return count * 1e9 / (now - start);
    }
}
