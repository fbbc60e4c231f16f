package io.keytrail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keytrail.api.KeytrailApplication;

/**
 * The one engine on a file-based H2 store (the default store, ADR 0002) that test classes needing a
 * real file share: extend it and add no properties of your own, or you boot another engine. The files
 * live under {@code target/test-stores/}, one directory per test JVM, so no test has to close the
 * engine ({@code @DirtiesContext}) before a temporary directory can be deleted.
 */
@SpringBootTest(classes = KeytrailApplication.class)
@ActiveProfiles("test")
public abstract class FileStoreSpringTest {
    /** This JVM's directory for file stores; the shared engine's database is {@code shared} in it. */
    protected static final Path STORE_DIR = createStoreDir();

    @DynamicPropertySource
    static void fileStore(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> fileUrl("shared"));
    }

    /** The JDBC URL of database {@code name} in {@link #STORE_DIR}. */
    protected static String fileUrl(String name) {
        return "jdbc:h2:file:" + STORE_DIR.resolve(name).toAbsolutePath();
    }

    private static Path createStoreDir() {
        try {
            return Files.createDirectories(Path.of("target", "test-stores", UUID.randomUUID().toString())
                    .toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
