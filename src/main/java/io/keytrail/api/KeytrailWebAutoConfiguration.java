package io.keytrail.api;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

import io.keytrail.audit.AuditController;
import io.keytrail.audit.KeysAdminController;
import io.keytrail.audit.RebuildController;

/**
 * The HTTP API ({@code /api/v1/...}) as an optional part of the starter: only in a servlet web
 * application, and only with {@code keytrail.api.enabled=true}. The service sets it; a host that embeds
 * the engine gets the facade ({@link Keytrail}) and no endpoints, filters or error page unless it asks:
 * once enabled, the bearer-token gate guards every path of the web application and the API's error page
 * answers its errors, exactly as in the service (ADR 0014).
 */
@AutoConfiguration(after = KeytrailAutoConfiguration.class, before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "keytrail.api", name = "enabled", havingValue = "true")
@EnableConfigurationProperties({ApiProperties.class, HttpLimits.class})
@Import({ApiAccessConfiguration.class, ApiWebConfiguration.class, ApiController.class, AuditController.class,
        KeysAdminController.class, RebuildController.class, ApiDocsConfiguration.class, ApiErrors.class,
        ErrorPage.class})
public class KeytrailWebAutoConfiguration {
}
