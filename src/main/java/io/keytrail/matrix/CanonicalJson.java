package io.keytrail.matrix;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Matrix canonical JSON (spec appendix "Canonical JSON"): the exact bytes that Ed25519 signatures
 * cover. Any difference from other implementations makes good signatures fail, so this is a small
 * dedicated writer rather than a configured Jackson serializer (which sorts keys by UTF-16 units,
 * escapes controls in uppercase hex and writes {@code 1e10} as {@code 1.0E10}).
 *
 * <ul>
 *   <li>object keys sorted by Unicode code point, no insignificant whitespace;</li>
 *   <li>numbers are integers in [-(2^53)+1, 2^53-1], held as integer nodes; a number with a fraction
 *       or an exponent is a {@link MatrixFormatException} even when its value is integral (the
 *       spec's example {@code 1e10}): matrix-rust-sdk (ruma) refuses it too, and deciding
 *       integrality of {@code 1e100000000} would mean expanding it (design section 11). The check
 *       reads only the node's type and a long, never a BigInteger of unbounded size;</li>
 *   <li>strings in raw UTF-8; only {@code "} {@code \} and C0 controls are escaped, with the short
 *       forms where JSON has them and lowercase {@code &#92;u00xx} otherwise.</li>
 * </ul>
 */
public final class CanonicalJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /** The canonical UTF-8 bytes of {@code node}. */
    public static byte[] encode(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(node, out, Path.ROOT);
        return out.toByteArray();
    }

    /** The canonical encoding as a Java string (for tests and messages; signatures use {@link #encode}). */
    public static String encodeToString(JsonNode node) {
        return new String(encode(node), StandardCharsets.UTF_8);
    }

    /** Orders strings by Unicode code point, which is the order of their UTF-8 bytes. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * Where a value sits, for error messages only: built as a chain of segments, rendered only when a
     * message needs it, so deep or wide objects with long names cost nothing extra.
     */
    private record Path(Path parent, String name, int index) {
        static final Path ROOT = new Path(null, null, -1);

        Path field(String field) {
            return new Path(this, field, -1);
        }

        Path element(int i) {
            return new Path(this, null, i);
        }

        @Override
        public String toString() {
            java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
            int chars = 0;
            for (Path p = this; p.parent != null; p = p.parent) {
                String part = p.name != null ? "." + Bounds.shorten(p.name) : "[" + p.index + "]";
                chars += part.length();
                parts.addFirst(part);
                if (chars > 4 * Bounds.QUOTE_CHARS) {
                    parts.addFirst("…");
                    break;
                }
            }
            return "$" + String.join("", parts);
        }
    }

    private static void write(JsonNode node, ByteArrayOutputStream out, Path path) {
        if (node == null) {
            throw new MatrixFormatException("canonical JSON: no value at " + path);
        }
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out, path);
            case ARRAY -> {
                out.write('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(node.get(i), out, path.element(i));
                }
                out.write(']');
            }
            case STRING -> writeString(node.textValue(), out, path);
            case NUMBER -> writeAscii(integerText(node, path), out);
            case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false", out);
            case NULL -> writeAscii("null", out);
            default -> throw new MatrixFormatException("canonical JSON: " + path + " is " + MatrixJson.describe(node)
                    + ", which has no JSON representation");
        }
    }

    private static void writeObject(JsonNode node, ByteArrayOutputStream out, Path path) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
        fields.sort((x, y) -> compareCodePoints(x.getKey(), y.getKey()));
        out.write('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : fields) {
            if (!first) {
                out.write(',');
            }
            first = false;
            writeString(field.getKey(), out, path);
            out.write(':');
            write(field.getValue(), out, path.field(field.getKey()));
        }
        out.write('}');
    }

    private static String integerText(JsonNode node, Path path) {
        if (!node.isIntegralNumber()) {
            throw new MatrixFormatException("canonical JSON: " + path + " has a fraction or an exponent, "
                    + "but only integers are allowed");
        }
        // canConvertToLong looks at the bit length only; a BigInteger node is never printed or expanded.
        if (!node.canConvertToLong() || node.longValue() > Bounds.MAX_SAFE_INTEGER
                || node.longValue() < -Bounds.MAX_SAFE_INTEGER) {
            throw new MatrixFormatException("canonical JSON: " + path
                    + " is outside the allowed integer range [-(2^53)+1, 2^53-1]");
        }
        return Long.toString(node.longValue());
    }

    private static void writeString(String s, ByteArrayOutputStream out, Path path) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> writeAscii("\\\"", out);
                case '\\' -> writeAscii("\\\\", out);
                case '\b' -> writeAscii("\\b", out);
                case '\t' -> writeAscii("\\t", out);
                case '\n' -> writeAscii("\\n", out);
                case '\f' -> writeAscii("\\f", out);
                case '\r' -> writeAscii("\\r", out);
                default -> {
                    if (c < 0x20) {
                        writeAscii("\\u00", out);
                        out.write(HEX[c >> 4]);
                        out.write(HEX[c & 0xf]);
                    } else if (c < 0x80) {
                        out.write(c);
                    } else if (Character.isSurrogate(c)) {
                        if (!Character.isHighSurrogate(c) || i + 1 >= s.length()
                                || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw new MatrixFormatException("canonical JSON: a string at " + path
                                    + " contains an unpaired UTF-16 surrogate, which UTF-8 cannot encode");
                        }
                        writeUtf8(Character.toCodePoint(c, s.charAt(i + 1)), out);
                        i++;
                    } else {
                        writeUtf8(c, out);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void writeUtf8(int cp, ByteArrayOutputStream out) {
        if (cp < 0x800) {
            out.write(0xc0 | (cp >> 6));
            out.write(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out.write(0xe0 | (cp >> 12));
            out.write(0x80 | ((cp >> 6) & 0x3f));
            out.write(0x80 | (cp & 0x3f));
        } else {
            out.write(0xf0 | (cp >> 18));
            out.write(0x80 | ((cp >> 12) & 0x3f));
            out.write(0x80 | ((cp >> 6) & 0x3f));
            out.write(0x80 | (cp & 0x3f));
        }
    }

    private static void writeAscii(String s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
