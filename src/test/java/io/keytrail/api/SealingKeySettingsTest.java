package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.keytrail.crypto.UnpaddedBase64;
import io.keytrail.session.SealingKeys;

/** ADR 0012: where the sealing keys come from, and the key files that are refused. Plain objects. */
class SealingKeySettingsTest {
    private static final String KEY = UnpaddedBase64.encode(filled(3));
    private static final String OLD_KEY = UnpaddedBase64.encode(filled(4));

    @TempDir
    Path tmp;
    private Path dataDir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SealingKeySettings.class);

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    @BeforeEach
    void setUp() throws IOException {
        dataDir = Files.createDirectory(tmp.resolve("data"));
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
    }

    private Path keyFile(Path file, String permissions) throws IOException {
        Files.writeString(file, KEY + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private static KeytrailProperties settings(Path dataDir, String inline, String keyFile, List<String> oldKeys) {
        return new KeytrailProperties(dataDir.toString(), inline, new KeytrailProperties.Sealing(keyFile, oldKeys, List.of()));
    }

    private SealingKeys load(KeytrailProperties properties) {
        return SealingKeySettings.load(properties, new SecureRandom());
    }

    @Test
    void ownerOnlyKeyFileOutsideTheDataDirectory_isTheCurrentKey_andOldKeysAreKeptForReading() throws IOException {
        Path file = keyFile(tmp.resolve("sealing.key"), "rw-------");

        SealingKeys keys = load(settings(dataDir, null, file.toString(), List.of(OLD_KEY)));

        assertThat(keys.currentId()).isEqualTo(SealingKeys.idOf(filled(3)));
        assertThat(keys.ids()).containsExactly(SealingKeys.idOf(filled(3)), SealingKeys.idOf(filled(4)));
        assertThat(logs.list).noneMatch(e -> e.getLevel() == Level.WARN);
        assertThat(logs.list).allMatch(e -> !e.getFormattedMessage().contains(KEY) && !e.getFormattedMessage().contains(OLD_KEY));
    }

    @Test
    void keyFileInsideTheDataDirectory_isRefused_namingTheFile() throws IOException {
        Path file = keyFile(Files.createDirectories(dataDir.resolve("keys")).resolve("sealing.key"), "r--------");

        assertThatThrownBy(() -> load(settings(dataDir, null, file.toString(), List.of())))
                .isInstanceOf(SealingKeySettings.BadSealingKeys.class)
                .hasMessageContaining("inside the data directory").hasMessageContaining(file.toString())
                .hasMessageNotContaining(KEY);
    }

    @Test
    void keyFileReadableByGroupOrOthers_isRefused_sayingHowToFixIt() throws IOException {
        for (String permissions : List.of("rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-")) {
            Path file = keyFile(tmp.resolve("sealing-" + permissions + ".key"), permissions);

            assertThatThrownBy(() -> load(settings(dataDir, null, file.toString(), List.of()))).as(permissions)
                    .isInstanceOf(SealingKeySettings.BadSealingKeys.class)
                    .hasMessageContaining("group or others").hasMessageContaining("chmod 600")
                    .hasMessageNotContaining(KEY);
        }
    }

    @Test
    void missingKeyFile_orMalformedKey_isRefused_withoutQuotingTheValue() throws IOException {
        assertThatThrownBy(() -> load(settings(dataDir, null, tmp.resolve("absent.key").toString(), List.of())))
                .isInstanceOf(SealingKeySettings.BadSealingKeys.class).hasMessageContaining("does not exist");
        String almost = KEY.substring(0, 20) + "!" + KEY.substring(21);
        assertThatThrownBy(() -> load(settings(dataDir, almost, null, List.of())))
                .isInstanceOf(SealingKeySettings.BadSealingKeys.class)
                .hasMessageContaining("keytrail.session-key-encryption-key").hasMessageNotContaining("!")
                .hasMessageNotContaining(almost.substring(0, 10));
        assertThatThrownBy(() -> load(settings(dataDir, KEY, null, List.of("short"))))
                .isInstanceOf(SealingKeySettings.BadSealingKeys.class).hasMessageContaining("keytrail.sealing.old-keys");
    }

    @Test
    void inlineKeyAndKeyFileTogether_isRefused_asAmbiguous() throws IOException {
        Path file = keyFile(tmp.resolve("sealing.key"), "rw-------");

        assertThatThrownBy(() -> load(settings(dataDir, KEY, file.toString(), List.of())))
                .isInstanceOf(SealingKeySettings.BadSealingKeys.class).hasMessageContaining("Both");
    }

    @Test
    void noKeyConfigured_usesAGeneratedDevelopmentKey_withAWarnNamingItsPath_atEveryStart() {
        SealingKeys first = load(settings(dataDir, null, null, List.of()));
        SealingKeys second = load(settings(dataDir, "", "", List.of()));

        Path dev = dataDir.resolve(SealingKeySettings.DEV_KEY_FILE);
        assertThat(dev).exists();
        assertThat(second.currentId()).isEqualTo(first.currentId());
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(2)
                .allMatch(e -> e.getFormattedMessage().contains("DEVELOPMENT SEALING KEY")
                        && e.getFormattedMessage().contains(dev.toAbsolutePath().toString()));
    }
}
