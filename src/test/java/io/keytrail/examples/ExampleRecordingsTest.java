package io.keytrail.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The checked-in recordings are exactly what the generator produces (real keys, real signatures). */
class ExampleRecordingsTest {
    @Test
    void quickstartFile_isExactlyWhatTheGeneratorProduces() throws IOException {
        assertThat(Files.readString(Path.of("examples/quickstart.jsonl"), StandardCharsets.UTF_8))
                .as("examples/quickstart.jsonl is out of date: run ExampleRecordings.main, then regenerate "
                        + "quickstart.expected.jsonl with replay and review both diffs")
                .isEqualTo(ExampleRecordings.jsonLines(ExampleRecordings.quickstart()));
    }

    @Test
    void generatorIsDeterministic() {
        assertThat(ExampleRecordings.quickstart()).isEqualTo(ExampleRecordings.quickstart());
    }
}
