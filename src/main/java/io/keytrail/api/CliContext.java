package io.keytrail.api;

import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;


/** Starts the engine for a command-line tool: no web server, logs on standard error, a given store. */
final class CliContext {
    private CliContext() {
    }

    /**
     * The settings go in as command-line arguments, the highest precedence, so that neither
     * application.yml nor the environment (a profile, database credentials, a homeserver) can point a
     * tool at another store or make it call out: keys come only from the input.
     */
    static ConfigurableApplicationContext start(Path dir) {
        SpringApplication app = new SpringApplication(KeytrailApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setRegisterShutdownHook(false);
        Path home = dir.toAbsolutePath();
        return app.run(
                "--spring.profiles.active=replay",
                "--spring.datasource.url=jdbc:h2:file:" + home.resolve("keytrail") + ";AUTO_SERVER=FALSE",
                "--spring.datasource.username=sa",
                "--spring.datasource.password=",
                "--spring.sql.init.platform=h2",
                "--keytrail.data-dir=" + home,
                "--keytrail.homeserver.base-url=",
                "--logging.config=classpath:logback-replay.xml",
                "--spring.main.log-startup-info=false");
    }
}
