package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Physical line numbering of recordings (design section 10: N is the 1-based physical line number). */
class RecordingReaderTest {
    private static List<RecordingReader.Line> read(byte[] bytes, int max) throws IOException {
        List<RecordingReader.Line> lines = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(new ByteArrayInputStream(bytes), max)) {
            RecordingReader.Line line;
            while ((line = reader.next()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<RecordingReader.Line> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), 1000);
    }

    @Test
    void onlyNewlineEndsALine_andAFinalNewlineStartsNoExtraLine() throws IOException {
        assertThat(read("a\nb\n")).extracting(RecordingReader.Line::text).containsExactly("a", "b");
        assertThat(read("a\nb")).extracting(RecordingReader.Line::text).containsExactly("a", "b");
        assertThat(read("")).isEmpty();
        assertThat(read("\n")).singleElement().satisfies(l -> assertThat(l.blank()).isTrue());
    }

    @Test
    void crlfLinesLoseTheirCarriageReturn_butALoneCarriageReturnDoesNotSplit() throws IOException {
        assertThat(read("a\r\nb\r\n")).extracting(RecordingReader.Line::text).containsExactly("a", "b");
        assertThat(read("{\"a\":\r1}\nx")).extracting(RecordingReader.Line::number).containsExactly(1, 2);
    }

    @Test
    void blankMeansOnlyJsonWhitespace() throws IOException {
        List<RecordingReader.Line> lines = read("\n \t\n\r\n x\n\u00a0\n");
        assertThat(lines).extracting(RecordingReader.Line::blank).containsExactly(true, true, true, false, false);
        assertThat(lines).extracting(RecordingReader.Line::number).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void byteOrderMarkOnTheFirstLineIsIgnored() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}', '\n', '{', '}'};
        assertThat(read(bom, 1000)).extracting(RecordingReader.Line::text).containsExactly("{}", "{}");
    }

    @Test
    void invalidUtf8_isAProblemOfThatLineOnly() throws IOException {
        byte[] bytes = {'a', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'c'};
        List<RecordingReader.Line> lines = read(bytes, 1000);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).text()).isNull();
        assertThat(lines.get(1).problem()).isEqualTo("the line is not valid UTF-8");
        assertThat(lines.get(2).text()).isEqualTo("c");
    }

    @Test
    void lineOverTheLimit_isSkippedWithAProblem_andCountingGoesOn() throws IOException {
        List<RecordingReader.Line> lines = read("short\n" + "y".repeat(50) + "\nafter\n");
        assertThat(lines).hasSize(3);
        assertThat(read(("short\n" + "y".repeat(50) + "\nafter\n").getBytes(StandardCharsets.UTF_8), 10))
                .extracting(RecordingReader.Line::number, RecordingReader.Line::text, RecordingReader.Line::problem)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "short", null),
                        org.assertj.core.groups.Tuple.tuple(2, null, "the line is 50 bytes long; the limit is 10"),
                        org.assertj.core.groups.Tuple.tuple(3, "after", null));
    }
}
