package org.alemcds.web;

import java.time.Duration;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS and the request size limit as servlet filters, so that they apply to every response — errors, 401 and 413
 * included — and a CORS preflight is answered before authentication (browsers send it without credentials).
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    /** Filter order: a wildcard Content-Type dropped, CORS, then the header size limit, client authentication, then the body size limit. */
    public static final int CORS_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    public static final int HEADER_LIMIT_ORDER = CORS_ORDER + 5;
    public static final int CONTENT_TYPE_ORDER = CORS_ORDER - 5;
    public static final int AUTHENTICATION_ORDER = CORS_ORDER + 10;
    public static final int SIZE_LIMIT_ORDER = AUTHENTICATION_ORDER + 10;

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(WebProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.cors().allowedOrigins());
        // any method: a method the service does not serve then gets its 405 OperationOutcome, not a bare CORS 403
        cors.setAllowedMethods(List.of("*"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
        cors.setAllowCredentials(false); // CDS clients authenticate with a bearer JWT, not cookies
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(CORS_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<WildcardContentTypeFilter> wildcardContentTypeFilter() {
        var registration = new FilterRegistrationBean<>(new WildcardContentTypeFilter());
        registration.setOrder(CONTENT_TYPE_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<HeaderSizeLimitFilter> headerSizeLimitFilter(WebProperties properties, ErrorResponses errors) {
        var registration = new FilterRegistrationBean<>(
                new HeaderSizeLimitFilter((int) properties.maxHeaderSize().toBytes(), errors));
        registration.setOrder(HEADER_LIMIT_ORDER);
        return registration;
    }

    /** Tomcat's own errors (raised before any filter) as OperationOutcomes with CORS headers, not its HTML page. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> containerErrors(WebProperties properties, ErrorResponses errors) {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                ContainerErrorValve valve = new ContainerErrorValve(errors, properties.cors().allowedOrigins());
                host.setErrorReportValveClass(ContainerErrorValve.class.getName()); // the host then adds no other
                host.getPipeline().addValve(valve);
            }
        });
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(WebProperties properties, ErrorResponses errors) {
        var registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), errors));
        registration.setOrder(SIZE_LIMIT_ORDER);
        return registration;
    }
}
