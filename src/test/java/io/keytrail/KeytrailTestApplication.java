package io.keytrail;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;

import io.keytrail.api.KeytrailApplication;

/**
 * What {@code @SpringBootTest} finds when it searches up from a test's package: the service lives in
 * {@code io.keytrail.api} (the top room), which the search from {@code io.keytrail.lanes} and the other
 * rooms would never reach.
 */
@SpringBootConfiguration
@Import(KeytrailApplication.class)
public class KeytrailTestApplication {
}
