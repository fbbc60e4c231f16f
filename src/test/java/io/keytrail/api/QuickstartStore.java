package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The example recording replayed once per test JVM with {@code replay --store}, handed to each test as a
 * copy of its own: copying the store's files costs milliseconds where a replay starts an engine (about a
 * second of CPU once the JVM is warm). The copy is the same store a replay writes (the H2 file and the
 * development sealing key beside it), so a test may alter it, follow it or rotate its keys.
 */
public final class QuickstartStore {
    /** The one replayed store of this JVM; never opened by a test, only copied. */
    private static Path template;

    private QuickstartStore() {
    }

    /**
     * A new directory {@code dir} holding a copy of the replayed quickstart store.
     *
     * @param dir a path that does not exist yet (its parent does)
     */
    public static Path copyTo(Path dir) {
        Path source = template();
        try {
            Files.createDirectory(dir);
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.toList()) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static synchronized Path template() {
        if (template == null) {
            try {
                // Under target/, like FileStoreSpringTest's stores: a JVM of its own never sees another's.
                Path work = Files.createDirectories(Path.of("target", "test-stores", "quickstart-" + UUID.randomUUID()))
                        .toAbsolutePath();
                Path store = work.resolve("store");
                ReplayCommandTest.Run replay = ReplayCommandTest.replay(work, ReplayCommandTest.QUICKSTART.toString(),
                        "--store", store.toString());
                assertThat(replay.exit()).as(replay.stderr()).isZero();
                try (Stream<Path> files = Files.list(store)) {
                    assertThat(files.map(f -> f.getFileName().toString()).toList())
                            .as("a closed store: nothing but its files").contains(CliContext.DATABASE_FILE)
                            .doesNotContain("keytrail.lock.db");
                }
                template = store;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return template;
    }
}
