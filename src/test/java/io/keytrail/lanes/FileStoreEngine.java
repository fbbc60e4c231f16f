package io.keytrail.lanes;

import java.nio.file.Path;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.keytrail.api.KeytrailApplication;

/**
 * An engine with the slow lane on an H2 file store of a test's own, for the tests that stop and start one
 * (a restart, an older store upgraded): the test profile's settings with retries and deadline polling fast
 * enough for a test, and no web server.
 */
final class FileStoreEngine {
    private FileStoreEngine() {
    }

    static String url(Path store) {
        return "jdbc:h2:file:" + store.resolve("keytrail").toAbsolutePath();
    }

    /** Starts an engine on {@code store} whose slow lane asks {@code homeserver} ("" for none). */
    static ConfigurableApplicationContext start(Path store, String homeserver, String readTimeout) {
        return new SpringApplicationBuilder(KeytrailApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .run("--spring.datasource.url=" + url(store),
                        "--keytrail.data-dir=" + store.toAbsolutePath(),
                        "--keytrail.session-key-encryption-key=" + RoomKeys.SEALING_KEY,
                        "--keytrail.homeserver.base-url=" + homeserver,
                        "--keytrail.homeserver.connect-timeout=200ms", // loopback
                        "--keytrail.homeserver.read-timeout=" + readTimeout,
                        // Not shorter: at 20 ms a busy run once lost the timed-out attempt's failure record
                        // (RecordKeysQueryFailure met NoHandlerForCommandException around the restart).
                        "--keytrail.retry.initial-delay=100ms",
                        "--keytrail.retry.jitter=0",
                        "--db-scheduler.polling-interval=25ms");
    }
}
