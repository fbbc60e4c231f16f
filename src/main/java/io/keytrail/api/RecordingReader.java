package io.keytrail.api;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a recording into physical lines exactly as design section 10 numbers them: only {@code \n}
 * ends a line (a trailing {@code \r} is dropped, so CRLF files work), a UTF-8 byte order mark on
 * the first line is ignored, and each line is decoded strictly, so one bad line is reported on
 * its own instead of aborting the file or being silently altered. A line longer than the limit is
 * skipped, not buffered: a corrupt file cannot exhaust memory.
 */
final class RecordingReader implements Closeable {
    /** Generous: a key backup of many thousands of sessions fits on one line. */
    static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private int number;
    private boolean eof;

    /** One physical line: its text, or why there is none. */
    record Line(int number, String text, String problem) {
        /** Only JSON whitespace: counted, but gets no output. */
        boolean blank() {
            if (text == null) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != ' ' && c != '\t' && c != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    RecordingReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** @return the next line, or {@code null} at the end of the file */
    Line next() throws IOException {
        if (eof) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long length = 0;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            length++;
            if (length <= maxLineBytes) {
                bytes.write(b);
            }
        }
        if (b == -1) {
            eof = true;
            if (length == 0) {
                return null; // no line after the final newline
            }
        }
        number++;
        if (length > maxLineBytes) {
            return new Line(number, null, "the line is " + length + " bytes long; the limit is " + maxLineBytes);
        }
        byte[] raw = bytes.toByteArray();
        int start = number == 1 && startsWithBom(raw) ? 3 : 0;
        int end = raw.length > start && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, start, end - start))
                    .toString();
            return new Line(number, text, null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, "the line is not valid UTF-8");
        }
    }

    private static boolean startsWithBom(byte[] raw) {
        return raw.length >= 3 && (raw[0] & 0xff) == 0xEF && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
