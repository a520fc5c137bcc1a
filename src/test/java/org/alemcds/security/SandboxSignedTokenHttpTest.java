package org.alemcds.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.alemcds.testing.ClientTokens;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The {@code sandbox} example profile over real HTTP, with tokens signed as the CDS Hooks sandbox signs them: its own
 * private key (published in its repository, keys/jwk-keypair.json, copied to
 * security/cds-hooks-sandbox-private-jwks.json), its header (ES384, typ JWT, its kid, the jku of its key set on the
 * internet) and claims (src/retrieve-data-helpers/jwt-generator.js). Nothing is fetched: the tests run offline.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("sandbox")
class SandboxSignedTokenHttpTest {

    private static final String SANDBOX = "https://sandbox.cds-hooks.org";
    private static final String SANDBOX_JKU = SANDBOX + "/.well-known/jwks.json";
    private static final String SANDBOX_KID = "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f";
    private static final String SIGN = "/cds-services/alemtuzumab-order-sign";

    static ECDSASigner sandboxSigner;

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void loadTheSandboxPrivateKey() throws Exception {
        try (InputStream in = SandboxSignedTokenHttpTest.class.getResourceAsStream(
                "/security/cds-hooks-sandbox-private-jwks.json")) {
            ECKey key = JWKSet.load(in).getKeyByKeyId(SANDBOX_KID).toECKey();
            assertThat(key.isPrivate()).as("the sandbox's published key pair").isTrue();
            sandboxSigner = new ECDSASigner(key);
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A token as the sandbox builds one for a call of {@code path}, naming {@code jku} as its key set. */
    private String sandboxToken(String path, String jku) {
        Instant now = Instant.now();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES384).type(JOSEObjectType.JWT).keyID(SANDBOX_KID)
                .jwkURL(URI.create(jku)).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(SANDBOX).audience(url(path))
                .expirationTime(Date.from(now.plusSeconds(300))).issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString()).build();
        return "Bearer " + ClientTokens.sign(header, claims, sandboxSigner);
    }

    private HttpResponse<String> discovery(String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("/cds-services")))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> orderSign(String authorization) throws Exception {
        FhirRecord record = FhirRecord.female("1992-04-17");
        record.draftAlemtuzumab("2026-12-01", 5);
        return http.send(HttpRequest.newBuilder(URI.create(url(SIGN)))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(record.hookRequest("order-sign").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSandboxsTokensAreAcceptedOfflineForDiscoveryAndAHook() throws Exception {
        var discovery = discovery(sandboxToken("/cds-services", SANDBOX_JKU));
        assertThat(discovery.statusCode()).as(discovery.body()).isEqualTo(200);
        assertThat(mapper.readTree(discovery.body()).get("services")).hasSize(3);

        var sign = orderSign(sandboxToken(SIGN, SANDBOX_JKU));
        assertThat(sign.statusCode()).as(sign.body()).isEqualTo(200);
        assertThat(mapper.readTree(sign.body()).get("cards")).isNotEmpty();
    }

    @Test
    void theSandboxKeyUnderAJkuThatIsNotPinnedIsRefused() throws Exception {
        for (String jku : new String[] {SANDBOX + "/other/jwks.json", "https://attacker.example.invalid/jwks.json"}) {
            var response = orderSign(sandboxToken(SIGN, jku));
            assertThat(response.statusCode()).as(jku).isEqualTo(401);
            JsonNode outcome = mapper.readTree(response.body());
            assertThat(outcome.at("/issue/0/code").asText()).isEqualTo("security");
        }
    }

    @Test
    void aReplayedSandboxTokenIsRefused() throws Exception {
        String token = sandboxToken(SIGN, SANDBOX_JKU);
        assertThat(orderSign(token).statusCode()).isEqualTo(200);
        assertThat(orderSign(token).statusCode()).isEqualTo(401);
    }
}
