package org.alemcds.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.Resource;
import org.springframework.dao.DataAccessException;
import org.springframework.core.io.ResourceLoader;

/**
 * Verifies the JWT a CDS client sends (CDS Hooks 2.0 §Trusting CDS Clients) with Nimbus JOSE+JWT: signed with ES384
 * or RS384 only (never {@code none}, never HMAC), {@code iss} a trusted issuer, the key found by {@code kid} in that
 * issuer's JWK Set (configured, at a {@code jku} on that issuer's allowlist, or pinned for such a {@code jku}: then
 * verified offline against the pinned keys), {@code aud} the URL that was called,
 * {@code exp}/{@code iat} within a small clock skew, and {@code jti} not seen before within the token's lifetime.
 */
public class ClientTokenVerifier {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES384, JWSAlgorithm.RS384);
    private static final Set<String> REQUIRED_CLAIMS = Set.of("iss", "aud", "exp", "iat", "jti");
    private static final int JWKS_TIMEOUT_MS = 2000;
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    /** Why a token was refused: for the log, never for the caller. */
    public static final class RejectedToken extends Exception {
        RejectedToken(String reason) {
            super(reason, null, false, false);
        }
    }

    private record TrustedIssuer(JWKSource<SecurityContext> jwks, Map<String, JWKSource<SecurityContext>> jku) {}

    private final Map<String, TrustedIssuer> issuers = new LinkedHashMap<>();
    private final Duration clockSkew;
    private final Duration maxLifetime;
    private final Clock clock;
    private final ReplayCache replays;

    public ClientTokenVerifier(JwtProperties properties, ResourceLoader resources, Clock clock, ReplayCache replays) {
        this.clockSkew = properties.clockSkew();
        this.maxLifetime = properties.maxTokenLifetime();
        this.clock = clock;
        this.replays = replays;
        if (properties.issuers().isEmpty()) {
            throw new IllegalStateException("cds.security.jwt.enabled is true but no issuer is configured: "
                    + "set cds.security.jwt.issuers[0].iss and cds.security.jwt.issuers[0].jwks");
        }
        for (JwtProperties.Issuer issuer : properties.issuers()) {
            if (issuer.iss() == null || issuer.iss().isBlank()) {
                throw new IllegalStateException("cds.security.jwt.issuers[n].iss must be set");
            }
            if ((issuer.jwks() == null || issuer.jwks().isBlank()) && issuer.jkuAllowed().isEmpty()
                    && issuer.jkuPinned().isEmpty()) {
                throw new IllegalStateException("Issuer " + issuer.iss() + " has neither jwks nor jku-allowed nor jku-pinned");
            }
            JWKSource<SecurityContext> jwks = issuer.jwks() == null || issuer.jwks().isBlank()
                    ? null
                    : source(issuer.jwks(), resources);
            Map<String, JWKSource<SecurityContext>> jku = new LinkedHashMap<>();
            for (String url : issuer.jkuAllowed()) {
                jku.put(url, remote(url));
            }
            for (JwtProperties.PinnedJku pinned : issuer.jkuPinned()) {
                jku.put(pinned.jku(), pinned(issuer.iss(), pinned, resources));
            }
            issuers.put(issuer.iss(), new TrustedIssuer(jwks, Map.copyOf(jku)));
        }
    }

    /**
     * Verifies {@code token} for a call of {@code calledUrl}; returns its claims or throws {@link RejectedToken}.
     */
    public JWTClaimsSet verify(String token, String calledUrl) throws RejectedToken {
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token); // an unsecured (alg none) token is not a JWS and fails here
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new RejectedToken("not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw new RejectedToken("algorithm " + header.getAlgorithm() + " is not accepted");
        }
        if (header.getKeyID() == null || header.getKeyID().isBlank()) {
            throw new RejectedToken("no kid");
        }
        TrustedIssuer issuer = unverified.getIssuer() == null ? null : issuers.get(unverified.getIssuer());
        if (issuer == null) {
            throw new RejectedToken("untrusted iss");
        }
        JWKSource<SecurityContext> source = sourceFor(issuer, header);

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWTClaimsSetAwareJWSKeySelector((jwsHeader, claims, context) -> keys(source, jwsHeader, context));
        String audience = calledUrl.replaceAll("/+$", "");
        var claimsVerifier = new DefaultJWTClaimsVerifier<SecurityContext>(
                Set.of(audience, audience + "/"), null, REQUIRED_CLAIMS, null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claimsVerifier.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claimsVerifier);

        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            throw new RejectedToken(e.getMessage());
        }
        checkTimesAndReplay(claims);
        return claims;
    }

    private JWKSource<SecurityContext> sourceFor(TrustedIssuer issuer, JWSHeader header) throws RejectedToken {
        URI jku = header.getJWKURL();
        if (jku != null) {
            JWKSource<SecurityContext> allowed = issuer.jku().get(jku.toString());
            if (allowed == null) {
                throw new RejectedToken("jku not on the issuer's allowlist");
            }
            return allowed;
        }
        if (issuer.jwks() == null) {
            throw new RejectedToken("no jku and no configured JWK Set for this issuer");
        }
        return issuer.jwks();
    }

    private static List<? extends Key> keys(JWKSource<SecurityContext> source, JWSHeader header, SecurityContext context)
            throws com.nimbusds.jose.KeySourceException {
        // kid, key type, curve (P-384 for ES384), use "sig" or none, alg ES384/RS384 or none
        List<JWK> matches = source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context);
        return KeyConverter.toJavaKeys(matches);
    }

    private void checkTimesAndReplay(JWTClaimsSet claims) throws RejectedToken {
        Instant now = clock.instant();
        Instant issued = claims.getIssueTime().toInstant();
        Instant expires = claims.getExpirationTime().toInstant();
        if (issued.isAfter(now.plus(clockSkew))) {
            throw new RejectedToken("iat in the future");
        }
        if (Duration.between(issued, expires).compareTo(maxLifetime) > 0) {
            throw new RejectedToken("lifetime exp - iat longer than " + maxLifetime);
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw new RejectedToken("no jti");
        }
        boolean first;
        try {
            first = replays.firstUse(claims.getIssuer(), jti, expires.plus(clockSkew));
        } catch (DataAccessException e) {
            throw new RejectedToken("the replay check could not reach the database (" + e.getClass().getSimpleName() + ")");
        }
        if (!first) {
            throw new RejectedToken("jti replayed");
        }
    }

    private static boolean isRemote(String location) {
        return location.startsWith("https://") || location.startsWith("http://");
    }

    private static JWKSource<SecurityContext> source(String location, ResourceLoader resources) {
        return isRemote(location) ? remote(location) : file(location, resources);
    }

    /** A remote JWK Set: cached, refetched (rate-limited) when a token names an unknown kid. */
    private static JWKSource<SecurityContext> remote(String url) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(new URL(url),
                            new DefaultResourceRetriever(JWKS_TIMEOUT_MS, JWKS_TIMEOUT_MS, JWKS_SIZE_LIMIT))
                    .cache(true)
                    .rateLimited(true)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("Not a URL for a JWK Set: " + url, e);
        }
    }

    /** The key set pinned for a jku: a file or classpath resource, never fetched (that is the point of pinning). */
    private static JWKSource<SecurityContext> pinned(String iss, JwtProperties.PinnedJku pinned, ResourceLoader resources) {
        if (pinned.jku() == null || pinned.jku().isBlank() || pinned.jwks() == null || pinned.jwks().isBlank()) {
            throw new IllegalStateException("Issuer " + iss + ": each jku-pinned entry needs jku and jwks");
        }
        if (isRemote(pinned.jwks())) {
            throw new IllegalStateException("Issuer " + iss + ": the key set pinned for " + pinned.jku()
                    + " must be a file: or classpath: resource, not a URL (" + pinned.jwks() + ")");
        }
        return file(pinned.jwks(), resources);
    }

    /** A JWK Set file, read once at start-up; only its public keys are used. */
    private static JWKSource<SecurityContext> file(String location, ResourceLoader resources) {
        Resource resource = resources.getResource(location.contains(":") ? location : "file:" + location);
        try (InputStream in = resource.getInputStream()) {
            JWKSet set = JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).toPublicJWKSet();
            if (set.isEmpty()) {
                throw new IllegalStateException("The JWK Set " + location + " holds no public key");
            }
            return new ImmutableJWKSet<>(set);
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("Cannot read the JWK Set " + location + ": " + e.getMessage(), e);
        }
    }
}
