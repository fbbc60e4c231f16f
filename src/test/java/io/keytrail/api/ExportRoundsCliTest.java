package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI export refuses PBKDF2 rounds outside [100,000, 10,000,000] before it opens the store. */
class ExportRoundsCliTest {
    @TempDir
    Path dir;

    @Test
    void exportWithTooFewOrTooManyRounds_isAUsageError() throws Exception {
        Path passphrase = Files.writeString(dir.resolve("pass"), "a passphrase\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String rounds : new String[] {"1000", "99999", "10000001"}) {
                int code = ExportCommand.run(new String[] {"export", "--store", dir.toString(), "--passphrase-file",
                        passphrase.toString(), "--rounds", rounds});
                assertThat(code).as(rounds).isEqualTo(2);
            }
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--rounds must be between 100000 and 10000000");
    }
}
