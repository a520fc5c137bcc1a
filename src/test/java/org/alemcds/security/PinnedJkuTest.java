package org.alemcds.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.alemcds.testing.ClientTokens;
import org.alemcds.testing.MigratedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * An issuer may pin the key set of a jku it allows (as the sandbox example profile does for the CDS Hooks sandbox):
 * tokens naming that jku are verified against the pinned keys without any fetch (the jku here does not resolve), and
 * every other check still holds.
 */
class PinnedJkuTest {

    private static final String AUD = "https://cds.example.org/cds-services/alemtuzumab-order-sign";
    /** Resolves nowhere (RFC 2606): a fetch would fail, so an accepted token proves no fetch took place. */
    private static final String JKU = "https://sandbox.example.invalid/.well-known/jwks.json";
    static final ClientTokens SANDBOX = ClientTokens.generate("https://sandbox.example.invalid", "sandbox");
    /** Knows the jku and the kid, signs with keys of its own. */
    static final ClientTokens ATTACKER = ClientTokens.generate("https://sandbox.example.invalid", "sandbox");

    @TempDir
    static Path dir;

    static ClientTokenVerifier verifier;

    @BeforeAll
    static void pinTheSandboxKeys() {
        Path jwks = SANDBOX.writePublicJwks(dir.resolve("sandbox-jwks.json"));
        var issuer = new JwtProperties.Issuer(SANDBOX.iss, null, List.of(),
                List.of(new JwtProperties.PinnedJku(JKU, "file:" + jwks)));
        verifier = new ClientTokenVerifier(
                new JwtProperties(true, List.of(issuer), null, Duration.ofSeconds(60), Duration.ofHours(1)),
                new DefaultResourceLoader(), Clock.systemUTC(), replays());
    }

    private static ReplayCache replays() {
        return new ReplayCache(MigratedDatabase.h2InMemory(), Clock.systemUTC());
    }

    private static String token(ClientTokens signer, String jku) {
        var header = signer.header(JWSAlgorithm.ES384, signer.ec.getKeyID());
        if (jku != null) {
            header.jwkURL(URI.create(jku));
        }
        return ClientTokens.sign(header.build(), SANDBOX.claims(AUD).build(), signer.ecSigner());
    }

    private static String refusal(String token) {
        var thrown = catchThrowableOfType(() -> verifier.verify(token, AUD), ClientTokenVerifier.RejectedToken.class);
        assertThat(thrown).as("token must be refused").isNotNull();
        return thrown.getMessage();
    }

    @Test
    void aTokenNamingThePinnedJkuIsVerifiedOfflineAgainstThePinnedKeys() {
        assertThatCode(() -> verifier.verify(token(SANDBOX, JKU), AUD)).doesNotThrowAnyException();
    }

    @Test
    void itsReplayIsRefused() {
        String token = token(SANDBOX, JKU);
        assertThatCode(() -> verifier.verify(token, AUD)).doesNotThrowAnyException();

        assertThat(refusal(token)).contains("replayed");
    }

    @Test
    void aTokenSignedWithOtherKeysUnderThePinnedJkuIsRefused() {
        refusal(token(ATTACKER, JKU));
    }

    @Test
    void anotherJkuIsRefused() {
        assertThat(refusal(token(SANDBOX, "https://evil.example.invalid/jwks.json"))).contains("allowlist");
    }

    @Test
    void withoutAJkuThereIsNoKeySetForThisIssuer() {
        assertThat(refusal(token(SANDBOX, null))).contains("no jku");
    }

    @Test
    void aPinnedKeySetMustNotBeAUrl() {
        var issuer = new JwtProperties.Issuer("x", null, List.of(), List.of(new JwtProperties.PinnedJku(JKU, JKU)));

        assertThatThrownBy(() -> new ClientTokenVerifier(
                new JwtProperties(true, List.of(issuer), null, Duration.ofSeconds(60), Duration.ofHours(1)),
                new DefaultResourceLoader(), Clock.systemUTC(), replays()))
                .hasMessageContaining("not a URL");
    }

    @Test
    void theSandboxExampleProfileBindsAndLoadsItsPinnedKeySet() throws Exception {
        var sources = new YamlPropertySourceLoader().load("sandbox", new ClassPathResource("application-sandbox.yaml"));
        JwtProperties properties = new Binder(ConfigurationPropertySources.from(sources))
                .bind("cds.security.jwt", JwtProperties.class).get();

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.issuers()).singleElement().satisfies(issuer -> {
            assertThat(issuer.iss()).isEqualTo("https://sandbox.cds-hooks.org");
            assertThat(issuer.jkuPinned()).extracting(JwtProperties.PinnedJku::jku)
                    .containsExactly("https://sandbox.cds-hooks.org/.well-known/jwks.json");
        });
        assertThatCode(() -> new ClientTokenVerifier(properties, new DefaultResourceLoader(), Clock.systemUTC(), replays()))
                .doesNotThrowAnyException();
    }

    @Test
    void theShippedSandboxExampleHoldsTheSandboxSigningKey() throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream("security/cds-hooks-sandbox-jwks.json")) {
            JWKSet set = JWKSet.load(in);
            // the kid and curve the sandbox signs its ES384 tokens with (src/retrieve-data-helpers/jwt-generator.js)
            assertThat(set.getKeyByKeyId("44823f3d-0b01-4a6c-a80e-b9d3e8a7226f").toECKey().getCurve().getName())
                    .isEqualTo("P-384");
        }
    }
}
