package org.alemcds.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.alemcds.testing.ClientTokens;
import org.alemcds.testing.LoopbackFhirServer;
import org.alemcds.testing.MigratedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * CDS client JWTs per CDS Hooks §Trusting CDS Clients, with real keys generated here (EC P-384, RSA 2048) and real
 * signed tokens: what must pass, and each attack that must not.
 */
class ClientTokenVerifierTest {

    private static final String AUD = "https://cds.example.org/cds-services/alemtuzumab-order-sign";
    private static final String DISCOVERY = "https://cds.example.org/cds-services";

    /** Trusted, JWK Set in a file. */
    static final ClientTokens EHR = ClientTokens.generate("https://ehr.example.org", "ehr");
    /** Trusted, JWK Set only at a jku on its allowlist. */
    static final ClientTokens JKU_EHR = ClientTokens.generate("https://jku-ehr.example.org", "jku");
    /** Trusted, JWK Set at a configured URL. */
    static final ClientTokens REMOTE_EHR = ClientTokens.generate("https://remote-ehr.example.org", "remote");
    /** An attacker who copies the trusted issuer's iss and kids with keys of its own. */
    static final ClientTokens ATTACKER = ClientTokens.generate("https://ehr.example.org", "ehr");

    static LoopbackFhirServer web;
    static ClientTokenVerifier verifier;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        web = LoopbackFhirServer.start();
        web.onJson("jku.json", JKU_EHR.publicJwks())
                .onJson("remote.json", REMOTE_EHR.publicJwks())
                .onJson("evil.json", ATTACKER.publicJwks());
        Path jwks = EHR.writePublicJwks(dir.resolve("ehr-jwks.json"));
        verifier = new ClientTokenVerifier(properties(List.of(
                new JwtProperties.Issuer(EHR.iss, "file:" + jwks, List.of()),
                new JwtProperties.Issuer(JKU_EHR.iss, null, List.of(web.baseUrl() + "/jku.json")),
                new JwtProperties.Issuer(REMOTE_EHR.iss, web.baseUrl() + "/remote.json", List.of()))),
                new DefaultResourceLoader(), Clock.systemUTC(), replays());
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    /** The replay cache in a fresh migrated database of its own. */
    private static ReplayCache replays() {
        return new ReplayCache(MigratedDatabase.h2InMemory(), Clock.systemUTC());
    }

    private static JwtProperties properties(List<JwtProperties.Issuer> issuers) {
        return new JwtProperties(true, issuers, null, Duration.ofSeconds(60), Duration.ofHours(1));
    }

    private static void accepted(String token, String aud) {
        assertThatCode(() -> verifier.verify(token, aud)).doesNotThrowAnyException();
    }

    private static void accepted(String token) {
        accepted(token, AUD);
    }

    private static String refusal(String token, String aud) {
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> verifier.verify(token, aud), ClientTokenVerifier.RejectedToken.class);
        assertThat(thrown).as("token must be refused").isNotNull();
        return thrown.getMessage();
    }

    private static String refusal(String token) {
        return refusal(token, AUD);
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ----- what passes -----

    @Test
    void es384FromAConfiguredFile() {
        accepted(EHR.es384(EHR.claims(AUD).build()));
    }

    @Test
    void rs384FromAConfiguredFile() {
        accepted(EHR.rs384(EHR.claims(AUD).build()));
    }

    @Test
    void audAsAnArrayNamingTheService() {
        accepted(EHR.es384(EHR.claims(AUD).audience(List.of("https://other.example/x", AUD)).build()));
    }

    @Test
    void discoveryHasItsOwnAudience() {
        accepted(EHR.es384(EHR.claims(DISCOVERY).build()), DISCOVERY);
    }

    @Test
    void aJwkSetAtAConfiguredUrl() {
        accepted(REMOTE_EHR.es384(REMOTE_EHR.claims(AUD).build()));
        accepted(REMOTE_EHR.rs384(REMOTE_EHR.claims(AUD).build()));
    }

    @Test
    void aJkuOnTheIssuersAllowlist() {
        var header = JKU_EHR.header(JWSAlgorithm.ES384, JKU_EHR.ec.getKeyID())
                .jwkURL(URI.create(web.baseUrl() + "/jku.json")).build();
        accepted(ClientTokens.sign(header, JKU_EHR.claims(AUD).build(), JKU_EHR.ecSigner()));
    }

    @Test
    void expiryWithinTheClockSkew() {
        Instant now = Instant.now();
        accepted(EHR.es384(EHR.claims(AUD).issueTime(Date.from(now.minusSeconds(300)))
                .expirationTime(Date.from(now.minusSeconds(20))).build()));
        accepted(EHR.es384(EHR.claims(AUD).issueTime(Date.from(now.plusSeconds(20))).build()));
    }

    @Test
    void typMayBeLeftOut() {
        var header = new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(EHR.ec.getKeyID()).build();
        accepted(ClientTokens.sign(header, EHR.claims(AUD).build(), EHR.ecSigner()));
    }

    // ----- attacks and mistakes -----

    @Test
    void algNoneIsRefused() {
        JWTClaimsSet claims = EHR.claims(AUD).build();
        assertThat(refusal(new PlainJWT(claims).serialize())).isEqualTo("not a signed JWT");
        // with a kid and typ, and with a valid signature of another token glued on
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + EHR.ec.getKeyID() + "\"}");
        String payload = b64(claims.toString());
        refusal(header + "." + payload + ".");
        String signature = EHR.es384(claims).split("\\.")[2];
        refusal(header + "." + payload + "." + signature);
        refusal(b64("{\"alg\":\"None\",\"kid\":\"ehr-ec\"}") + "." + payload + ".");
    }

    @Test
    void hmacWithThePublicKeyAsSecretIsRefused() throws Exception {
        JWTClaimsSet claims = EHR.claims(AUD).build();
        byte[] rsaPublic = EHR.rsa.toRSAPublicKey().getEncoded();
        byte[] jwkText = EHR.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        for (byte[] secret : List.of(rsaPublic, jwkText)) {
            for (String kid : List.of(EHR.rsa.getKeyID(), EHR.ec.getKeyID())) {
                String token = ClientTokens.sign(EHR.header(JWSAlgorithm.HS384, kid).build(), claims, new MACSigner(secret));
                assertThat(refusal(token)).contains("HS384").contains("not accepted");
            }
        }
        String hs256 = ClientTokens.sign(EHR.header(JWSAlgorithm.HS256, EHR.rsa.getKeyID()).build(), claims,
                new MACSigner(rsaPublic));
        refusal(hs256);
    }

    @Test
    void otherAsymmetricAlgorithmsAreRefused() throws Exception {
        JWTClaimsSet claims = EHR.claims(AUD).build();
        refusal(ClientTokens.sign(EHR.header(JWSAlgorithm.RS256, EHR.rsa.getKeyID()).build(), claims, EHR.rsaSigner()));
        refusal(ClientTokens.sign(EHR.header(JWSAlgorithm.PS384, EHR.rsa.getKeyID()).build(), claims, EHR.rsaSigner()));
        ECKey p256 = new ECKeyGenerator(Curve.P_256).keyID(EHR.ec.getKeyID()).generate();
        refusal(ClientTokens.sign(EHR.header(JWSAlgorithm.ES256, EHR.ec.getKeyID()).build(), claims, new ECDSASigner(p256)));
    }

    @Test
    void anAlgorithmThatDoesNotFitTheKeyIsRefused() {
        // RS384 header naming the EC key
        var header = EHR.header(JWSAlgorithm.RS384, EHR.ec.getKeyID()).build();
        refusal(ClientTokens.sign(header, EHR.claims(AUD).build(), EHR.rsaSigner()));
    }

    @Test
    void aWrongOrMissingKidIsRefused() {
        JWTClaimsSet claims = EHR.claims(AUD).build();
        refusal(ClientTokens.sign(EHR.header(JWSAlgorithm.ES384, "no-such-kid").build(), claims, EHR.ecSigner()));
        var noKid = new JWSHeader.Builder(JWSAlgorithm.ES384).type(com.nimbusds.jose.JOSEObjectType.JWT).build();
        assertThat(refusal(ClientTokens.sign(noKid, EHR.claims(AUD).build(), EHR.ecSigner()))).isEqualTo("no kid");
    }

    @Test
    void theRightKidWithAnotherKeyIsRefused() {
        refusal(ATTACKER.es384(ATTACKER.claims(AUD).build()));
        refusal(ATTACKER.rs384(ATTACKER.claims(AUD).build()));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String[] parts = EHR.es384(EHR.claims(AUD).build()).split("\\.");
        String forged = b64(EHR.claims(AUD).claim("tenant", "someone-else").build().toString());
        refusal(parts[0] + "." + forged + "." + parts[2]);
    }

    @Test
    void anUnknownOrMissingIssuerIsRefused() {
        assertThat(refusal(EHR.es384(EHR.claims(AUD).issuer("https://evil.example").build()))).isEqualTo("untrusted iss");
        assertThat(refusal(EHR.es384(EHR.claims(AUD).issuer("https://ehr.example.org/").build()))).isEqualTo("untrusted iss");
        assertThat(refusal(EHR.es384(EHR.claims(AUD).issuer(null).build()))).isEqualTo("untrusted iss");
    }

    @Test
    void aTrustedIssuerCannotUseAnotherIssuersKeys() {
        // signed by REMOTE_EHR's key but claiming to be EHR: EHR's JWK Set does not hold that key
        var header = REMOTE_EHR.header(JWSAlgorithm.ES384, REMOTE_EHR.ec.getKeyID()).build();
        refusal(ClientTokens.sign(header, REMOTE_EHR.claims(AUD).issuer(EHR.iss).build(), REMOTE_EHR.ecSigner()));
    }

    @Test
    void theWrongAudienceIsRefused() {
        refusal(EHR.es384(EHR.claims("https://cds.example.org/cds-services/alemtuzumab-patient-view").build()));
        refusal(EHR.es384(EHR.claims(DISCOVERY).build()));
        refusal(EHR.es384(EHR.claims("https://evil.example/cds-services/alemtuzumab-order-sign").build()));
        refusal(EHR.es384(EHR.claims(AUD).audience(List.of()).build()));
        refusal(EHR.es384(EHR.claims(AUD).build()), DISCOVERY);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant now = Instant.now();
        assertThat(refusal(EHR.es384(EHR.claims(AUD).issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.minusSeconds(300))).build()))).containsIgnoringCase("expired");
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        Instant now = Instant.now();
        assertThat(refusal(EHR.es384(EHR.claims(AUD).issueTime(Date.from(now.plusSeconds(600)))
                .expirationTime(Date.from(now.plusSeconds(900))).build()))).isEqualTo("iat in the future");
    }

    @Test
    void aTokenLivingLongerThanAllowedIsRefused() {
        Instant now = Instant.now();
        assertThat(refusal(EHR.es384(EHR.claims(AUD).expirationTime(Date.from(now.plus(Duration.ofDays(365)))).build())))
                .startsWith("lifetime");
    }

    @Test
    void eachRequiredClaimIsRequired() {
        refusal(EHR.es384(EHR.claims(AUD).expirationTime(null).build()));
        refusal(EHR.es384(EHR.claims(AUD).issueTime(null).build()));
        refusal(EHR.es384(EHR.claims(AUD).jwtID(null).build()));
        refusal(EHR.es384(EHR.claims(AUD).jwtID(" ").build()));
    }

    @Test
    void aReplayedJtiIsRefused() {
        String token = EHR.es384(EHR.claims(AUD).build());
        accepted(token);
        assertThat(refusal(token)).isEqualTo("jti replayed");
        // the same jti in a new token, even for another endpoint
        String jti = "fixed-" + System.nanoTime();
        accepted(EHR.es384(EHR.claims(AUD).jwtID(jti).build()));
        assertThat(refusal(EHR.rs384(EHR.claims(DISCOVERY).jwtID(jti).build()), DISCOVERY)).isEqualTo("jti replayed");
    }

    @Test
    void aRefusedTokenDoesNotUseUpItsJti() {
        String jti = "not-burnt-" + System.nanoTime();
        refusal(EHR.es384(EHR.claims(AUD).jwtID(jti).build()), DISCOVERY);
        accepted(EHR.es384(EHR.claims(AUD).jwtID(jti).build()));
    }

    @Test
    void aJkuNotOnTheAllowlistIsRefused() {
        // the attacker points jku at its own JWK Set
        var evil = ATTACKER.header(JWSAlgorithm.ES384, ATTACKER.ec.getKeyID())
                .jwkURL(URI.create(web.baseUrl() + "/evil.json")).build();
        assertThat(refusal(ClientTokens.sign(evil, ATTACKER.claims(AUD).build(), ATTACKER.ecSigner())))
                .isEqualTo("jku not on the issuer's allowlist");
        // even the trusted issuer's own key, if it names a jku it was not allowed
        var unlisted = EHR.header(JWSAlgorithm.ES384, EHR.ec.getKeyID())
                .jwkURL(URI.create(web.baseUrl() + "/evil.json")).build();
        refusal(ClientTokens.sign(unlisted, EHR.claims(AUD).build(), EHR.ecSigner()));
        // another issuer's allowed jku is not this issuer's
        var borrowed = EHR.header(JWSAlgorithm.ES384, EHR.ec.getKeyID())
                .jwkURL(URI.create(web.baseUrl() + "/jku.json")).build();
        refusal(ClientTokens.sign(borrowed, EHR.claims(AUD).build(), EHR.ecSigner()));
        // an issuer with only a jku allowlist and a token without jku
        refusal(JKU_EHR.es384(JKU_EHR.claims(AUD).build()));
    }

    @Test
    void aTypOtherThanJwtIsRefused() {
        var header = new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(EHR.ec.getKeyID())
                .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build();
        refusal(ClientTokens.sign(header, EHR.claims(AUD).build(), EHR.ecSigner()));
    }

    @Test
    void garbageIsRefused() {
        for (String junk : List.of("", "abc", "a.b.c", "eyJhbGciOiJFUzM4NCJ9.e30.", "....", "Bearer x")) {
            refusal(junk);
        }
    }

    @Test
    void aConfigurationWithoutIssuerDoesNotStart() {
        assertThatThrownBy(() -> new ClientTokenVerifier(properties(List.of()), new DefaultResourceLoader(), Clock.systemUTC(), replays()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no issuer");
        assertThatThrownBy(() -> new ClientTokenVerifier(properties(List.of(new JwtProperties.Issuer("x", null, null))),
                new DefaultResourceLoader(), Clock.systemUTC(), replays()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("neither jwks nor jku");
        assertThatThrownBy(() -> new ClientTokenVerifier(properties(List.of(
                new JwtProperties.Issuer("x", "file:" + dir.resolve("missing.json"), null))),
                new DefaultResourceLoader(), Clock.systemUTC(), replays()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Cannot read the JWK Set");
    }
}
