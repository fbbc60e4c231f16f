package io.keytrail.api;

import java.nio.file.Path;
import java.security.SecureRandom;

import jakarta.servlet.DispatcherType;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The HTTP service's gate (design 11): bearer tokens on every request, admin operations for the admin
 * token only, bounded bodies, and Tomcat's own errors in the API's error shape. Only the web service
 * has it: the command-line tools start no web server and need no token.
 */
@Configuration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiAccessConfiguration implements WebMvcConfigurer {
    @Bean
    ApiTokens apiTokens(ApiProperties api, KeytrailProperties keytrail, SecureRandom random) {
        return ApiTokens.resolve(api.token(), api.adminToken(), Path.of(keytrail.dataDir()), random);
    }

    @Bean
    FilterRegistrationBean<ApiAccessFilter> apiAccessFilter(ApiTokens tokens) {
        FilterRegistrationBean<ApiAccessFilter> registration = new FilterRegistrationBean<>(new ApiAccessFilter(tokens));
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(HttpLimits limits) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(new BodyLimitFilter(limits));
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminOperations());
    }

    /** Errors Tomcat answers itself (before any filter runs) come out in the API's error shape too. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
