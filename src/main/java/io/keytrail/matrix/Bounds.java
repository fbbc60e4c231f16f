package io.keytrail.matrix;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The size limits of Matrix input (design section 11) and the helpers that enforce them at the
 * parser edge, so that no room below ever stores, signs or prints an unbounded value.
 */
public final class Bounds {
    /** Room, user, event and device ids: the Matrix spec's limit ("Identifier Grammar"), in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 255;
    /** Longest JSON number text we read; a canonical-JSON integer has at most 17 characters. */
    public static final int MAX_NUMBER_CHARS = 32;
    /** 2^53 - 1: the largest integer canonical JSON allows (every IEEE double holds it exactly). */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    /**
     * Largest device keys or cross-signing key object inside a {@code /keys/query} response, counted
     * as characters of its JSON text. Real ones are well under 2 KiB; the read models keep the JSON in
     * columns of 65,535 characters.
     */
    public static final int MAX_KEY_OBJECT_CHARS = 32 * 1024;
    /** How much of an offending value an error message quotes. */
    static final int QUOTE_CHARS = 64;

    private Bounds() {
    }

    /**
     * Checks a room, user, event or device id against {@link #MAX_ID_BYTES}; returns it unchanged.
     *
     * @throws MatrixFormatException naming {@code field}, without quoting the id
     */
    public static String id(String value, String field) {
        int bytes = utf8Length(value, MAX_ID_BYTES + 1);
        if (bytes > MAX_ID_BYTES) {
            throw new MatrixFormatException(field + " is longer than " + MAX_ID_BYTES
                    + " bytes, the Matrix limit for ids");
        }
        return value;
    }

    /** True when {@code value} fits the id limit. */
    public static boolean isIdSized(String value) {
        return value != null && utf8Length(value, MAX_ID_BYTES + 1) <= MAX_ID_BYTES;
    }

    /**
     * The UTF-8 length of {@code s}, counting no further than {@code stopAt} (a caller that only needs
     * to know whether a limit is exceeded does not pay for a long string).
     */
    static int utf8Length(String s, int stopAt) {
        int bytes = 0;
        for (int i = 0; i < s.length() && bytes < stopAt; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** {@code value} cut to {@link #QUOTE_CHARS} characters, for messages: they never echo unbounded input. */
    public static String shorten(String value) {
        if (value == null || value.length() <= QUOTE_CHARS) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(QUOTE_CHARS - 1)) ? QUOTE_CHARS - 1 : QUOTE_CHARS;
        return value.substring(0, end) + "…";
    }

    /**
     * True when the JSON text of {@code node} would be longer than {@code limit} characters. Walks the
     * tree at most until the limit is passed, so an oversized object costs no more than the limit.
     */
    public static boolean exceeds(JsonNode node, int limit) {
        return size(node, limit) > limit;
    }

    private static long size(JsonNode node, long budget) {
        if (node == null) {
            return 0;
        }
        if (node.isTextual()) {
            return node.textValue().length() + 2L;
        }
        if (node.isContainerNode()) {
            long total = 2;
            var fields = node.properties().iterator();
            if (node.isObject()) {
                while (fields.hasNext() && total <= budget) {
                    var field = fields.next();
                    total += field.getKey().length() + 4L + size(field.getValue(), budget - total);
                }
            } else {
                for (int i = 0; i < node.size() && total <= budget; i++) {
                    total += 1 + size(node.get(i), budget - total);
                }
            }
            return total;
        }
        return node.isNumber() ? 20 : 5;
    }
}
