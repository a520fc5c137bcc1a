package org.alemcds.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cds.security.jwt.*}: authentication of CDS clients by the signed JWT they send as
 * {@code Authorization: Bearer} (CDS Hooks 2.0 §Trusting CDS Clients).
 *
 * @param enabled require a valid JWT on every call (default false, with a warning at start-up; on in the prod profile)
 * @param issuers the trusted CDS clients
 * @param serviceBaseUrl the public base URL of this service as clients call it (e.g. {@code https://cds.example.org});
 *     {@code aud} must be this plus the path called. Unset: the URL of the request as received
 * @param clockSkew tolerance on {@code exp} and {@code iat}
 * @param maxTokenLifetime the longest {@code exp - iat} accepted (also how long a {@code jti} is remembered)
 */
@ConfigurationProperties(prefix = "cds.security.jwt")
public record JwtProperties(
        boolean enabled, List<Issuer> issuers, String serviceBaseUrl, Duration clockSkew, Duration maxTokenLifetime) {

    public JwtProperties {
        issuers = issuers == null ? List.of() : List.copyOf(issuers);
        serviceBaseUrl = serviceBaseUrl == null || serviceBaseUrl.isBlank() ? null : serviceBaseUrl.trim().replaceAll("/+$", "");
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        maxTokenLifetime = maxTokenLifetime == null ? Duration.ofHours(1) : maxTokenLifetime;
    }

    /**
     * One trusted CDS client.
     *
     * @param iss the exact {@code iss} of its tokens
     * @param jwks its JWK Set: an https URL (cached, refreshed when an unknown {@code kid} arrives) or a file
     *     ({@code file:/etc/cds/ehr-jwks.json}, {@code classpath:…})
     * @param jkuAllowed the {@code jku} header values accepted from this issuer (exact URLs); a token with any other
     *     {@code jku} is refused
     */
    public record Issuer(String iss, String jwks, List<String> jkuAllowed) {
        public Issuer {
            jkuAllowed = jkuAllowed == null ? List.of() : List.copyOf(jkuAllowed);
        }
    }
}
