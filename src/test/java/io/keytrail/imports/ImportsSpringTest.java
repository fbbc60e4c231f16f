package io.keytrail.imports;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * One shared engine context for the import tests: in-memory H2 (profile "test") and a fixed vault key,
 * so that no test writes a generated development key under ./data.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "keytrail.session-key-encryption-key=" + ImportsSpringTest.VAULT_KEY)
@ActiveProfiles("test")
public @interface ImportsSpringTest {
    /** 32 bytes of test key, unpadded base64. */
    String VAULT_KEY = "aW1wb3J0cy10ZXN0LXZhdWx0LWtleS0wMTIzNDU2Nzg";
}
