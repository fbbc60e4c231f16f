package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.orm.jpa.persistenceunit.MutablePersistenceUnitInfo;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.directory.SessionRow;
import io.keytrail.lanes.HomeserverClient;
import io.keytrail.lanes.LaneConfiguration;
import io.keytrail.session.SessionKeyVault;

/**
 * The starter's two seams as plain objects (ADR 0014): Keytrail's JPA types are added to a host's
 * persistence unit, never replacing what the host scanned; the service's settings reach only Keytrail's
 * own application, the library defaults every application, below anything it sets.
 */
class KeytrailStarterTest {
    /** A stand-in for a host's application class. */
    static final class SomeHost {
    }

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    @TempDir
    java.nio.file.Path dataDir;

    @Test
    void hostBeans_replaceTheEnginesClockRandomAndSealingKeySource() {
        Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        SessionKeyVault hostVault = new SessionKeyVault(new byte[32], new SecureRandom());
        new ApplicationContextRunner()
                .withBean(Clock.class, () -> fixed)
                .withBean(SessionKeyVault.class, () -> hostVault)
                .withUserConfiguration(EngineConfiguration.class)
                .withPropertyValues("keytrail.data-dir=" + dataDir)
                .run(context -> {
                    assertThat(context).hasSingleBean(Clock.class).hasSingleBean(SessionKeyVault.class)
                            .hasSingleBean(SecureRandom.class);
                    assertThat(context.getBean(Clock.class)).isSameAs(fixed);
                    assertThat(context.getBean(SessionKeyVault.class)).isSameAs(hostVault);
                    // the host's vault: no development key was generated
                    assertThat(dataDir).isEmptyDirectory();
                });
    }

    @Test
    void withoutHostBeans_theEngineMakesItsOwn_fromTheConfiguredKey() {
        new ApplicationContextRunner()
                .withUserConfiguration(EngineConfiguration.class)
                // the data keys' table is reached through it; this test stores nothing
                .withBean(org.springframework.jdbc.core.JdbcTemplate.class, () -> new org.springframework.jdbc.core.JdbcTemplate(
                        new org.springframework.jdbc.datasource.DriverManagerDataSource("jdbc:h2:mem:starter-vault")))
                .withPropertyValues("keytrail.data-dir=" + dataDir, "keytrail.session-key-encryption-key=" + KEY)
                .run(context -> {
                    assertThat(context).hasSingleBean(Clock.class).hasSingleBean(SessionKeyVault.class);
                    assertThat(context.getBean(SessionKeyVault.class).keyId()).isEqualTo(
                            new SessionKeyVault(io.keytrail.crypto.UnpaddedBase64.decodeExact(KEY, 32, "key"),
                                    new SecureRandom()).keyId());
                });
    }

    @Test
    void homeserverClient_onlyWithABaseUrl_andAHostsOwnWins() {
        ApplicationContextRunner lanes = new ApplicationContextRunner()
                .withBean(ObjectMapper.class, ObjectMapper::new)
                .withUserConfiguration(LaneConfiguration.class);
        lanes.run(context -> assertThat(context).doesNotHaveBean(HomeserverClient.class));
        lanes.withPropertyValues("keytrail.homeserver.base-url= ")
                .run(context -> assertThat(context).doesNotHaveBean(HomeserverClient.class));
        lanes.withPropertyValues("keytrail.homeserver.base-url=https://matrix.example.org/")
                .run(context -> assertThat(context.getBean(HomeserverClient.class).endpoint())
                        .hasToString("https://matrix.example.org/_matrix/client/v3/keys/query"));
        HomeserverClient own = new HomeserverClient("https://hs.internal", null, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(2), new ObjectMapper());
        lanes.withBean(HomeserverClient.class, () -> own)
                .withPropertyValues("keytrail.homeserver.base-url=https://matrix.example.org")
                .run(context -> assertThat(context).getBean(HomeserverClient.class).isSameAs(own));
    }

    @Test
    void keytrailTypes_areAddedBesideTheHostsEntities_onceEach() {
        MutablePersistenceUnitInfo unit = new MutablePersistenceUnitInfo();
        unit.addManagedClassName("com.example.host.Note");
        unit.addManagedClassName(SessionRow.class.getName()); // found by the host's own scan already
        unit.addMappingFileName("META-INF/orm.xml");

        KeytrailAutoConfiguration.addKeytrailTypes(unit);
        KeytrailAutoConfiguration.addKeytrailTypes(unit);

        assertThat(unit.getManagedClassNames()).startsWith("com.example.host.Note").doesNotHaveDuplicates()
                .containsAll(KeytrailAutoConfiguration.ENTITIES.stream().map(Class::getName).toList())
                .hasSize(1 + KeytrailAutoConfiguration.ENTITIES.size());
        assertThat(unit.getMappingFileNames()).containsExactly("META-INF/orm.xml", "META-INF/keytrail-orm.xml");
        assertThat(getClass().getClassLoader().getResource(KeytrailAutoConfiguration.MAPPING_FILE)).isNotNull();
    }

    @Test
    void aHostGetsOnlyTheLibraryDefaults_andItsOwnSettingsWin() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("host",
                Map.of("axon.serializer.general", "xstream")));

        new KeytrailEnvironment().postProcessEnvironment(environment, new SpringApplication(SomeHost.class));

        assertThat(environment.getProperty("axon.serializer.general")).isEqualTo("xstream");
        assertThat(environment.getProperty("axon.serializer.events")).isEqualTo("jackson");
        assertThat(environment.getProperty("axon.eventhandling.processors.directory.mode")).isEqualTo("subscribing");
        assertThat(environment.getProperty("server.address")).isNull();
        assertThat(environment.getProperty("spring.datasource.url")).isNull();
        assertThat(environment.getProperty("keytrail.api.enabled")).isNull();
    }

    @Test
    void keytrailsOwnApplication_getsTheServiceSettings_profileFilesAbove_andEverythingElseAboveThem() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles("postgres");
        environment.getPropertySources().addFirst(new MapPropertySource("command line",
                Map.of("keytrail.limits.body", "2MB")));

        new KeytrailEnvironment().postProcessEnvironment(environment,
                new SpringApplication(KeytrailApplication.class));

        assertThat(environment.getProperty("keytrail.api.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("server.shutdown")).isEqualTo("graceful");
        assertThat(environment.getProperty("keytrail.limits.body")).isEqualTo("2MB");
        assertThat(environment.getProperty("spring.jpa.properties.hibernate.dialect"))
                .isEqualTo("io.keytrail.api.ByteaPostgresDialect");
        assertThat(environment.getProperty("axon.serializer.events")).isEqualTo("jackson");
    }

    @Test
    void anApplicationImportingKeytrailApplication_countsAsKeytrailsOwn() {
        assertThat(KeytrailEnvironment.isKeytrailService(new SpringApplication(io.keytrail.KeytrailTestApplication.class)))
                .isTrue();
        assertThat(KeytrailEnvironment.isKeytrailService(new SpringApplication(SomeHost.class))).isFalse();
    }
}
