package io.keytrail.crypto.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

/** The streaming writer makes the very file {@link KeyExportFile#encrypt} makes, whatever the pieces. */
class KeyExportWriterTest {
    /**
     * One PBKDF2 round: this class compares the streamed file with {@link KeyExportFile#encrypt}'s byte for
     * byte, and both derive the same keys whatever the count (KeyExportFileTest reads real clients' files).
     * At 1,000 rounds its 400 derivations were a third of the PBKDF2 samples in a JFR profile of the suite.
     */
    private static final int ROUNDS = 1;

    /** The same bytes every time it is created: salt and IV depend only on the seed. */
    private static SecureRandom fixed(int seed) {
        return new SecureRandom() {
            private int next = seed;

            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (next++ * 31);
                }
            }
        };
    }

    private static String streamed(String[] pieces, int seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeyExportWriter writer = new KeyExportWriter(out, "passphrase", ROUNDS, fixed(seed));
        for (String piece : pieces) {
            writer.write(piece);
        }
        writer.finish();
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void piecesOfAnySize_giveTheFileEncryptGives() throws IOException {
        StringBuilder json = new StringBuilder("[");
        String[] pieces = new String[301];
        pieces[0] = "[";
        for (int i = 1; i < 301; i++) {
            pieces[i] = (i > 1 ? "," : "") + "{\"session_id\":\"" + "é".repeat(i % 7) + i + "\"}";
            json.append(pieces[i]);
        }
        json.append("]");
        String[] withEnd = java.util.Arrays.copyOf(pieces, 302);
        withEnd[301] = "]";

        String file = streamed(withEnd, 5);

        assertThat(file).isEqualTo(KeyExportFile.encrypt(json.toString(), "passphrase", ROUNDS, fixed(5)));
        assertThat(KeyExportFile.decrypt(file, "passphrase")).isEqualTo(json.toString());
    }

    @Test
    void bodyOfWholeLines_hasNoEmptyLastLine_andEmptyContentStillDecrypts() throws IOException {
        for (int length = 0; length < 200; length++) {
            String json = "x".repeat(length);
            assertThat(streamed(new String[] {json}, length))
                    .isEqualTo(KeyExportFile.encrypt(json, "passphrase", ROUNDS, fixed(length)));
        }
    }

    @Test
    void writingAfterFinish_isRefused_andFinishingTwiceWritesOnce() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeyExportWriter writer = new KeyExportWriter(out, "passphrase", ROUNDS, fixed(1));
        writer.write("[]");
        writer.finish();
        int size = out.size();
        writer.finish();

        assertThat(out.size()).isEqualTo(size);
        assertThatThrownBy(() -> writer.write("more")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void roundsOutOfRange_areRefusedBeforeAnythingIsWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> new KeyExportWriter(out, "passphrase", 0, fixed(1)))
                .isInstanceOf(KeyExportException.class);
        assertThat(out.size()).isZero();
    }
}
