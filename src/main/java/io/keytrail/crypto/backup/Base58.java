package io.keytrail.crypto.backup;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

import io.keytrail.crypto.CryptoInputException;

/**
 * Base58 with the Bitcoin alphabet, as used by Matrix recovery keys (spec appendices,
 * "Cryptographic key representation"). Each leading zero byte is written as a leading '1'.
 *
 * <p>Inputs are at most a few dozen bytes (a recovery key is 35), so the quadratic big-number
 * conversion is fine.
 */
public final class Base58 {
    public static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
        }
    }

    private Base58() {
    }

    public static String encode(byte[] bytes) {
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, bytes);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        out.append("1".repeat(zeros));
        return out.reverse().toString();
    }

    /** Decodes {@code text}; a character outside the alphabet (including spaces) is an error naming its position. */
    public static byte[] decode(String text) {
        if (text == null) {
            throw new CryptoInputException("base58 value is missing");
        }
        BigInteger value = BigInteger.ZERO;
        int zeros = 0;
        boolean leading = true;
        for (int i = 0; i < text.length(); i++) {
            int digit = digitOf(text.charAt(i));
            if (digit < 0) {
                throw new CryptoInputException("invalid base58: character '" + printable(text.charAt(i))
                        + "' at position " + i + " is not in the base58 alphabet"
                        + " (which has no 0, O, I or l)");
            }
            if (leading && digit == 0) {
                zeros++;
            } else {
                leading = false;
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[zeros]);
        if (value.signum() > 0) {
            byte[] magnitude = value.toByteArray();
            // toByteArray adds a sign byte when the top bit is set.
            int skip = magnitude[0] == 0 ? 1 : 0;
            out.write(magnitude, skip, magnitude.length - skip);
        }
        return out.toByteArray();
    }

    static int digitOf(char c) {
        return c < VALUES.length ? VALUES[c] : -1;
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
