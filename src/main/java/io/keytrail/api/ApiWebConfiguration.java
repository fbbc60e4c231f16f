package io.keytrail.api;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Megolm session ids are base64 and contain '/'. Tomcat refuses an encoded slash ({@code %2F}) in a
 * path by default; passing it through undecoded lets {@code GET /api/v1/sessions/{room}/{session}}
 * take the id as one path segment, which Spring then decodes.
 */
@Configuration
class ApiWebConfiguration {
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesInPaths() {
        return factory -> factory.addConnectorCustomizers(
                connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }
}
