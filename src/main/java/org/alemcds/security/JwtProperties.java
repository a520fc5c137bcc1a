package org.alemcds.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

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
     * @param jkuPinned {@code jku} values accepted from this issuer whose key set is pinned here: a token naming one is
     *     verified against the pinned keys, offline, without fetching the URL (e.g. a test client whose key set URL is
     *     on the internet)
     */
    public record Issuer(String iss, String jwks, List<String> jkuAllowed, List<PinnedJku> jkuPinned) {
        @ConstructorBinding
        public Issuer {
            jkuAllowed = jkuAllowed == null ? List.of() : List.copyOf(jkuAllowed);
            jkuPinned = jkuPinned == null ? List.of() : List.copyOf(jkuPinned);
        }

        public Issuer(String iss, String jwks, List<String> jkuAllowed) {
            this(iss, jwks, jkuAllowed, List.of());
        }
    }

    /**
     * A {@code jku} with its key set pinned.
     *
     * @param jku the exact {@code jku} header value
     * @param jwks the key set to use for it: a file ({@code file:…}) or a resource in the jar ({@code classpath:…}),
     *     never a URL: pinning means no fetch
     */
    public record PinnedJku(String jku, String jwks) {}
}
