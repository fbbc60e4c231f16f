package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two API tokens: configured, or generated once into an owner-only file and reused. */
class ApiTokensTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dataDir;

    private Properties file() throws Exception {
        Properties tokens = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve(ApiTokens.FILE_NAME))) {
            tokens.load(in);
        }
        return tokens;
    }

    @Test
    void withoutConfiguredTokens_theyAreGeneratedIntoAnOwnerOnlyFile_andReusedAtTheNextStart() throws Exception {
        ApiTokens first = ApiTokens.resolve("", null, dataDir, RANDOM);

        Path path = dataDir.resolve(ApiTokens.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        String user = file().getProperty("token");
        String admin = file().getProperty("admin-token");
        assertThat(user).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(admin);
        assertThat(admin).hasSizeGreaterThanOrEqualTo(43);
        assertThat(first.rightOf(user)).contains(ApiTokens.Right.USER);
        assertThat(first.rightOf(admin)).contains(ApiTokens.Right.ADMIN);

        ApiTokens second = ApiTokens.resolve(null, "  ", dataDir, RANDOM);

        assertThat(second.rightOf(user)).contains(ApiTokens.Right.USER);
        assertThat(second.rightOf(admin)).contains(ApiTokens.Right.ADMIN);
        assertThat(file().getProperty("token")).isEqualTo(user);
    }

    @Test
    void configuredTokens_areUsed_andNoFileIsWritten() {
        ApiTokens tokens = ApiTokens.resolve("user-token-0123456789", "admin-token-0123456789", dataDir, RANDOM);

        assertThat(tokens.rightOf("user-token-0123456789")).contains(ApiTokens.Right.USER);
        assertThat(tokens.rightOf("admin-token-0123456789")).contains(ApiTokens.Right.ADMIN);
        assertThat(Files.exists(dataDir.resolve(ApiTokens.FILE_NAME))).isFalse();
        assertThat(tokens.toString()).doesNotContain("token-0123456789");
    }

    @Test
    void anOnlyConfiguredAdminToken_getsAGeneratedUserToken() throws Exception {
        ApiTokens tokens = ApiTokens.resolve(null, "admin-token-0123456789", dataDir, RANDOM);

        assertThat(tokens.rightOf("admin-token-0123456789")).contains(ApiTokens.Right.ADMIN);
        assertThat(tokens.rightOf(file().getProperty("token"))).contains(ApiTokens.Right.USER);
        assertThat(tokens.rightOf(file().getProperty("admin-token"))).isEmpty();
    }

    @Test
    void unknownPrefixedOrMissingTokens_haveNoRight() {
        ApiTokens tokens = ApiTokens.resolve("user-token-0123456789", "admin-token-0123456789", dataDir, RANDOM);

        assertThat(tokens.rightOf(null)).isEqualTo(Optional.empty());
        assertThat(tokens.rightOf("")).isEmpty();
        assertThat(tokens.rightOf("user-token-012345678")).isEmpty();
        assertThat(tokens.rightOf("user-token-01234567890")).isEmpty();
        assertThat(tokens.rightOf("USER-TOKEN-0123456789")).isEmpty();
    }

    @Test
    void shortOrEqualConfiguredTokens_refuseToStart() {
        assertThatThrownBy(() -> ApiTokens.resolve("short", "admin-token-0123456789", dataDir, RANDOM))
                .hasMessageContaining("keytrail.api.token is shorter than 16");
        assertThatThrownBy(() -> ApiTokens.resolve("same-token-0123456789", "same-token-0123456789", dataDir, RANDOM))
                .hasMessageContaining("must differ");
    }

    @Test
    void aDamagedTokenFile_refusesToStart_namingTheFileNotItsContent() throws Exception {
        Files.writeString(dataDir.resolve(ApiTokens.FILE_NAME), "token=tiny\n");

        assertThatThrownBy(() -> ApiTokens.resolve(null, null, dataDir, RANDOM))
                .hasMessageContaining(ApiTokens.FILE_NAME).hasMessageNotContaining("tiny");
    }
}
