package org.alemcds.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.testing.MigratedDatabase;
import org.alemcds.web.ErrorResponses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** How authentication is switched on: off with a warning by default, on in the prod profile, never on without issuers. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({JwtProperties.class, GovernanceAccessProperties.class, CdsProperties.class})
    static class Beans {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        ErrorResponses errorResponses() {
            return new ErrorResponses(FhirContext.forR4Cached());
        }

        @Bean
        JdbcClient jdbcClient() {
            return MigratedDatabase.h2InMemory(); // the jti replay cache's table
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer()) // reads application.yaml and profiles
            .withUserConfiguration(Beans.class, SecurityConfiguration.class);

    @Test
    void offByDefaultWithAWarning(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(JwtProperties.class).enabled()).isFalse();
            assertThat(context).doesNotHaveBean(ClientAuthenticationFilter.class);
            assertThat(context.getBean(CdsProperties.class).fhirClient().requireHttps()).isFalse();
        });
        assertThat(output).contains("WARN").contains("CDS client authentication is OFF");
    }

    @Test
    void theProdProfileTurnsItOnAndRefusesToStartWithoutIssuers() {
        runner.withPropertyValues("spring.profiles.active=prod").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("no issuer is configured");
        });
    }

    @Test
    void theProdProfileWithAnIssuerStartsWithAuthenticationAndHttpsOnly(CapturedOutput output) {
        runner.withPropertyValues("spring.profiles.active=prod",
                        "cds.security.jwt.issuers[0].iss=https://ehr.example.org",
                        "cds.security.jwt.issuers[0].jwks=https://ehr.example.org/jwks.json",
                        "cds.security.jwt.service-base-url=https://cds.example.org/")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JwtProperties jwt = context.getBean(JwtProperties.class);
                    assertThat(jwt.enabled()).isTrue();
                    assertThat(jwt.serviceBaseUrl()).isEqualTo("https://cds.example.org");
                    assertThat(jwt.issuers()).singleElement().satisfies(i -> assertThat(i.iss()).isEqualTo("https://ehr.example.org"));
                    assertThat(context).hasBean("clientAuthenticationFilter");
                    assertThat(context.getBean(CdsProperties.class).fhirClient().requireHttps()).isTrue();
                });
        assertThat(output).doesNotContain("CDS client authentication is OFF");
    }
}
