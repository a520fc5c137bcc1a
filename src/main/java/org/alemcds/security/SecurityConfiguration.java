package org.alemcds.security;

import java.time.Clock;
import java.util.List;
import org.alemcds.demo.DemoFhirConfiguration;
import org.alemcds.web.ErrorResponses;
import org.alemcds.web.WebConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;

/** CDS client authentication by JWT, when {@code cds.security.jwt.enabled} (the prod profile turns it on). */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    public SecurityConfiguration(JwtProperties properties) {
        if (!properties.enabled()) {
            log.warn("CDS client authentication is OFF (cds.security.jwt.enabled=false): anyone who can reach this "
                    + "service can call it. Turn it on for real patient data (the 'prod' profile does) and list the "
                    + "trusted clients under cds.security.jwt.issuers.");
        } else if (properties.serviceBaseUrl() == null) {
            log.warn("cds.security.jwt.service-base-url is not set: the aud of client tokens is checked against the "
                    + "URL of each request as received (Host header). Set it to the public base URL of this service.");
        }
    }

    @Bean
    @ConditionalOnProperty(name = "cds.security.jwt.enabled", havingValue = "true")
    ClientTokenVerifier clientTokenVerifier(
            JwtProperties properties, ResourceLoader resources, Clock clock, JdbcClient jdbc) {
        return new ClientTokenVerifier(properties, resources, clock, new ReplayCache(jdbc, clock));
    }

    @Bean
    @ConditionalOnProperty(name = "cds.security.jwt.enabled", havingValue = "true")
    FilterRegistrationBean<ClientAuthenticationFilter> clientAuthenticationFilter(
            ClientTokenVerifier verifier, JwtProperties properties, ErrorResponses errors,
            @Value("${cds.demo.fhir:false}") boolean demoFhir) {
        // the demo FHIR server's clients (the CDS Hooks sandbox) send no CDS client token: it holds fictional data only
        List<String> openPaths = demoFhir ? List.of(DemoFhirConfiguration.PATH + "/") : List.of();
        var registration = new FilterRegistrationBean<>(
                new ClientAuthenticationFilter(verifier, properties.serviceBaseUrl(), errors, openPaths));
        registration.setOrder(WebConfiguration.AUTHENTICATION_ORDER);
        return registration;
    }

    /** The governance report's own access control, with client authentication on or off. */
    @Bean
    FilterRegistrationBean<GovernanceAccessFilter> governanceAccessFilter(GovernanceAccessProperties governance,
            ObjectProvider<ClientTokenVerifier> verifier, JwtProperties properties, ErrorResponses errors) {
        if (governance.token() == null && !properties.enabled()) {
            log.warn("The governance report (/governance/**) is closed: set cds.security.governance.token "
                    + "(CDS_SECURITY_GOVERNANCE_TOKEN) to open it to governance readers.");
        }
        var registration = new FilterRegistrationBean<>(new GovernanceAccessFilter(
                governance.token(), verifier.getIfAvailable(), properties.serviceBaseUrl(), errors));
        registration.setOrder(WebConfiguration.AUTHENTICATION_ORDER);
        return registration;
    }
}
