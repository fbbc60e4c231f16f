package io.keytrail;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import io.keytrail.api.KeytrailApplication;
import io.keytrail.directory.OwnDevices;
import io.keytrail.directory.SessionRowsCalls;

/**
 * The one engine context that every Spring test class without special needs shares: profile "test"
 * (private in-memory H2, the fixed test sealing key of application-test.yml, no homeserver), a real
 * server on a random loopback port and MockMvc. Do not add properties, {@code @DynamicPropertySource},
 * mocks or {@code @DirtiesContext} to a class that uses it: each would boot another engine. Tests keep
 * out of each other's way with unique users and rooms; a test class that needs an empty store calls
 * {@link TestStores#empty}.
 *
 * <p>It names the application class itself: a search from {@code io.keytrail.api} would find
 * {@code KeytrailApplication} and one from any other room {@code KeytrailTestApplication}, two keys for
 * one engine. {@link SessionRowsCalls} records the session queries (instead of a spy bean, which would
 * need an engine of its own).
 *
 * <p>The own device ({@code own_device}) is engine-wide: after each class it is forgotten again, so
 * that one class's device does not check the recipients of the next class's room keys.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = KeytrailApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(EngineSpringTest.ForgetOwnDevice.class)
@Import(SessionRowsCalls.class)
public @interface EngineSpringTest {

    /** Leaves the shared engine as a class found it with respect to the own device. */
    final class ForgetOwnDevice implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) {
            OwnDevices.forget(SpringExtension.getApplicationContext(context));
        }
    }
}
