package io.keytrail;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.keytrail.api.KeytrailApplication;

/**
 * The one engine on PostgreSQL (the {@code postgres} profile, ADR 0002) that test classes needing the
 * production store share: extend it and add no properties of your own, or you boot another engine. Runs
 * only when {@value #URL_VARIABLE} names a database the tests may write to ({@code .ci/run} prepares
 * one); {@code KEYTRAIL_TEST_POSTGRES_USER} and {@code KEYTRAIL_TEST_POSTGRES_PASSWORD} default to
 * {@code keytrail}. Tests use fresh ids, users and rooms, so the database can be reused.
 */
@SpringBootTest(classes = KeytrailApplication.class)
@ActiveProfiles({"test", "postgres"})
@EnabledIfEnvironmentVariable(named = PostgresSpringTest.URL_VARIABLE, matches = ".+")
public abstract class PostgresSpringTest {
    public static final String URL_VARIABLE = "KEYTRAIL_TEST_POSTGRES_URL";

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PostgresSpringTest::url);
        registry.add("spring.datasource.username", PostgresSpringTest::user);
        registry.add("spring.datasource.password", PostgresSpringTest::password);
    }

    protected static String url() {
        return System.getenv(URL_VARIABLE);
    }

    protected static String user() {
        return envOrDefault("KEYTRAIL_TEST_POSTGRES_USER", "keytrail");
    }

    protected static String password() {
        return envOrDefault("KEYTRAIL_TEST_POSTGRES_PASSWORD", "keytrail");
    }

    private static String envOrDefault(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
