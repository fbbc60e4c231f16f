package io.keytrail.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Keytrail's settings below everything an application configures (ADR 0014). Two layers, both at the
 * lowest precedence, so any {@code application.yml}, profile file, environment variable or
 * {@code --name=value} overrides them:
 * <ol>
 * <li><b>Library defaults</b>, in every application that has Keytrail on its class path: what the engine
 * needs to work at all (Jackson serializers, since XStream is not on the class path and the golden event
 * JSON is Jackson's; the directory's subscribing processor; db-scheduler waiting for the context).</li>
 * <li><b>The service's settings</b> ({@value #SERVICE}.yml and {@value #SERVICE}-PROFILE.yml), only when
 * the application is Keytrail's own ({@link KeytrailApplication}: the service, the command-line tools,
 * the tests): its H2 file store, loopback address, graceful shutdown, HTTP API on. A host never gets
 * them: they would take over its data source, port and address.</li>
 * </ol>
 */
public class KeytrailEnvironment implements EnvironmentPostProcessor, Ordered {
    /** The base name of the service's settings on the class path. */
    static final String SERVICE = "keytrail-service";
    static final String DEFAULTS_SOURCE = "keytrail-library-defaults";

    /** Runs after the application's own config data is loaded (its profiles are known then). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    static Map<String, Object> libraryDefaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("axon.serializer.general", "jackson");
        defaults.put("axon.serializer.events", "jackson");
        defaults.put("axon.serializer.messages", "jackson");
        // The directory read models are updated inside the unit of work that stores the events, so the
        // fast lane and the re-decision search never read a stale model (ADR 0004).
        defaults.put("axon.eventhandling.processors.directory.mode", "subscribing");
        // Keytrail's counters (KeytrailMetrics) count what this node stores, as it stores it (ADR 0015).
        defaults.put("axon.eventhandling.processors.keytrail-metrics.mode", "subscribing");
        // Axon's own metrics as tagged meters (axon-micrometer), the shape Prometheus wants.
        defaults.put("axon.metrics.micrometer.dimensional", "true");
        // Keytrail's tables come from its own Flyway and history (SchemaMigrations, ADR 0024); spring.flyway
        // stays the host's. Hibernate only validates.
        defaults.put("spring.jpa.hibernate.ddl-auto", "validate");
        // Upper bound on how late a retry deadline fires.
        defaults.put("db-scheduler.polling-interval", "2s");
        // Deadlines overdue at a restart must not run before Axon's deadline manager bean exists (they
        // would fail and be put off for minutes).
        defaults.put("db-scheduler.delay-startup-until-context-ready", "true");
        // HHH000207 about keytrail-orm.xml's globalIndex override is spurious: the override applies (ADR 0002).
        defaults.put("logging.level.org.hibernate.boot.model.internal.JPAXMLOverriddenAnnotationReader", "ERROR");
        return defaults;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        if (sources.contains(DEFAULTS_SOURCE)) {
            return;
        }
        addLowest(sources, new MapPropertySource(DEFAULTS_SOURCE, libraryDefaults()));
        if (isKeytrailService(application)) {
            // Highest first: the active profiles' files above the base file, all above the library defaults.
            List<String> profiles = new ArrayList<>(Arrays.asList(environment.getActiveProfiles()));
            Collections.reverse(profiles);
            for (String profile : profiles) {
                load(SERVICE + "-" + profile + ".yml").forEach(source -> addAbove(sources, source));
            }
            load(SERVICE + ".yml").forEach(source -> addAbove(sources, source));
        }
    }

    /** The application is Keytrail's own: started from {@link KeytrailApplication} or a class importing it. */
    static boolean isKeytrailService(SpringApplication application) {
        return application.getAllSources().stream().anyMatch(source -> source instanceof Class<?> type
                && (type == KeytrailApplication.class || MergedAnnotations.from(type).stream(Import.class)
                        .anyMatch(imported -> Arrays.asList(imported.getClassArray("value"))
                                .contains(KeytrailApplication.class))));
    }

    private static List<PropertySource<?>> load(String name) {
        ClassPathResource resource = new ClassPathResource(name, KeytrailEnvironment.class.getClassLoader());
        if (!resource.exists()) {
            return List.of();
        }
        try {
            return new YamlPropertySourceLoader().load("keytrail service settings (classpath:" + name + ")", resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + name, e);
        }
    }

    /** Just above the library defaults: below every source the application has. */
    private static void addAbove(MutablePropertySources sources, PropertySource<?> source) {
        sources.addBefore(DEFAULTS_SOURCE, source);
    }

    /** Last, but above Spring's own {@code defaultProperties} when there are any. */
    private static void addLowest(MutablePropertySources sources, PropertySource<?> source) {
        if (sources.contains("defaultProperties")) {
            sources.addBefore("defaultProperties", source);
        } else {
            sources.addLast(source);
        }
    }
}
