package org.alemcds.web;

import java.time.Duration;
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

    /** Filter order: CORS first, then client authentication, then the body size limit. */
    public static final int CORS_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
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
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(WebProperties properties, ErrorResponses errors) {
        var registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), errors));
        registration.setOrder(SIZE_LIMIT_ORDER);
        return registration;
    }
}
