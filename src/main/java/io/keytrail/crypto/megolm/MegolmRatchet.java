package io.keytrail.crypto.megolm;

import java.security.MessageDigest;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The Megolm ratchet: a u32 counter and four 32-byte parts {@code R(i,0..3)} (spec "Megolm" §ratchet;
 * reference §4.2). Immutable: {@link #advance()} and {@link #advanceTo(long)} return a new ratchet,
 * so a session can derive a message key from a copy without losing its earliest known state.
 *
 * <p>The state is secret key material: {@link #toString()} never shows it and {@link #toBytes()}
 * returns a copy.
 */
public final class MegolmRatchet {
    public static final int LENGTH = 128;
    static final long MAX_INDEX = 0xFFFF_FFFFL;
    private static final int PART = 32;
    private static final int PARTS = 4;

    /** Unsigned 32-bit counter; Java int arithmetic wraps exactly like vodozemac's u32. */
    private final int counter;
    private final byte[] state;

    private MegolmRatchet(int counter, byte[] state) {
        this.counter = counter;
        this.state = state;
    }

    /** A ratchet at {@code index} (0 .. 2^32-1) with the given 128 bytes of state, which are copied. */
    public static MegolmRatchet of(long index, byte[] state) {
        if (index < 0 || index > MAX_INDEX) {
            throw new MegolmException(MegolmException.Reason.MALFORMED_RATCHET,
                    "Megolm ratchet index must be between 0 and 2^32-1, got " + index);
        }
        if (state == null || state.length != LENGTH) {
            throw new MegolmException(MegolmException.Reason.MALFORMED_RATCHET,
                    "Megolm ratchet state must be " + LENGTH + " bytes, got "
                            + (state == null ? "none" : state.length));
        }
        return new MegolmRatchet((int) index, state.clone());
    }

    /** The message index this ratchet derives keys for (an unsigned 32-bit value). */
    public long index() {
        return Integer.toUnsignedLong(counter);
    }

    /** A copy of the 128-byte state {@code R(i,0) | R(i,1) | R(i,2) | R(i,3)}. */
    public byte[] toBytes() {
        return state.clone();
    }

    /**
     * One step forward. Every 2^24 steps all parts are reseeded from R0, every 2^16 from R1, every 2^8
     * from R2; otherwise only R3 is hashed. From 2^32-1 the counter wraps to 0 (as vodozemac does).
     */
    public MegolmRatchet advance() {
        int next = counter + 1;
        int h = 0;
        while (h < PARTS - 1 && (next & (0x00FF_FFFF >>> (8 * h))) != 0) {
            h++;
        }
        byte[] s = state.clone();
        reseedFrom(s, h);
        return new MegolmRatchet(next, s);
    }

    /**
     * Jumps to {@code target} with at most 1020 hashes. A target below the current index wraps
     * through 2^32, exactly like vodozemac; an inbound session must therefore never ask for an index
     * below its first known one (it checks that first).
     */
    public MegolmRatchet advanceTo(long target) {
        if (target < 0 || target > MAX_INDEX) {
            throw new MegolmException(MegolmException.Reason.MALFORMED_RATCHET,
                    "Megolm ratchet index must be between 0 and 2^32-1, got " + target);
        }
        int to = (int) target;
        int current = counter;
        byte[] s = state.clone();
        for (int j = 0; j < PARTS; j++) {
            int shift = (PARTS - 1 - j) * 8;
            int steps = ((to >>> shift) - (current >>> shift)) & 0xFF;
            if (steps == 0) {
                if (Integer.compareUnsigned(to, current) < 0) {
                    steps = 0x100;
                } else {
                    continue;
                }
            }
            for (; steps > 1; steps--) {
                byte[] next = hash(s, j, j);
                System.arraycopy(next, 0, s, j * PART, PART);
            }
            reseedFrom(s, j);
            current = to & (0xFFFF_FFFF << shift);
        }
        return new MegolmRatchet(current, s);
    }

    /** Constant-time comparison of index and state (vodozemac compares ratchets with ct_eq). */
    boolean sameAs(MegolmRatchet other) {
        boolean sameState = MessageDigest.isEqual(state, other.state);
        return sameState & counter == other.counter;
    }

    /** R(k) = H_k(R(h)) for k = 3 down to h; R(h) itself is overwritten last. */
    private static void reseedFrom(byte[] s, int h) {
        for (int k = PARTS - 1; k >= h; k--) {
            byte[] next = hash(s, h, k);
            System.arraycopy(next, 0, s, k * PART, PART);
        }
    }

    /** H_k(R(part)) = HMAC-SHA-256(key = R(part), data = the single byte k). */
    private static byte[] hash(byte[] s, int part, int k) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(s, part * PART, PART));
        mac.update((byte) k);
        byte[] out = new byte[PART];
        mac.doFinal(out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MegolmRatchet other && sameAs(other);
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(counter) * 31 + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return "MegolmRatchet[index=" + index() + "]";
    }
}
