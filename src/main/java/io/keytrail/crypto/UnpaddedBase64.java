package io.keytrail.crypto;

import java.util.Base64;

/**
 * Matrix's "unpadded base64": the standard RFC 4648 alphabet with the trailing '=' removed.
 *
 * <p>Decoding accepts padded input too (the spec says decoders SHOULD: key export files and some
 * js-sdk keys are padded) but is otherwise strict: characters outside the alphabet, impossible
 * lengths and non-zero trailing bits are rejected. The last rule matches vodozemac and keeps one
 * value from having two spellings, so that encoded keys can be compared as strings.
 */
public final class UnpaddedBase64 {
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    private UnpaddedBase64() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] decode(String text) {
        if (text == null) {
            throw new CryptoInputException("base64 value is missing");
        }
        String body = stripPadding(text);
        int rem = body.length() % 4;
        if (rem == 1) {
            throw new CryptoInputException("invalid base64: a length of " + body.length()
                    + " characters (without padding) cannot encode whole bytes");
        }
        for (int i = 0; i < body.length(); i++) {
            if (valueOf(body.charAt(i)) < 0) {
                throw new CryptoInputException("invalid base64: character '" + printable(body.charAt(i))
                        + "' at position " + i + " is not in the standard base64 alphabet");
            }
        }
        if (rem != 0) {
            int last = valueOf(body.charAt(body.length() - 1));
            int unusedBits = rem == 2 ? 4 : 2;
            if ((last & ((1 << unusedBits) - 1)) != 0) {
                throw new CryptoInputException("invalid base64: non-zero trailing bits in the last character");
            }
        }
        return Base64.getDecoder().decode(rem == 0 ? body : body + "==".substring(0, 4 - rem));
    }

    /** Decodes and checks the decoded length, naming {@code what} in the error. */
    public static byte[] decodeExact(String text, int length, String what) {
        byte[] bytes;
        try {
            bytes = decode(text);
        } catch (CryptoInputException e) {
            throw new CryptoInputException(what + ": " + e.getMessage(), e);
        }
        if (bytes.length != length) {
            throw new CryptoInputException(what + " must be " + length + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    private static String stripPadding(String text) {
        int end = text.length();
        int pads = 0;
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
            pads++;
        }
        if (pads > 2 || (pads > 0 && text.length() % 4 != 0)) {
            throw new CryptoInputException("invalid base64: malformed '=' padding");
        }
        return text.substring(0, end);
    }

    private static int valueOf(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
