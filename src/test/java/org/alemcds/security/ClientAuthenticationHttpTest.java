package org.alemcds.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.alemcds.testing.ClientTokens;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with client authentication on, over real HTTP: a signed JWT from the trusted EHR is required on every
 * call, discovery included; every failure is the same bare 401, with CORS so a browser client can read it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientAuthenticationHttpTest {

    static final ClientTokens EHR = ClientTokens.generate("https://ehr.example.org", "ehr");
    static final ClientTokens STRANGER = ClientTokens.generate("https://stranger.example.org", "ehr");
    private static final String SIGN = "/cds-services/alemtuzumab-order-sign";
    private static final String ORIGIN = "https://ehr-web.example.org";

    @DynamicPropertySource
    static void trustTheEhr(DynamicPropertyRegistry registry) throws IOException {
        Path jwks = Files.createTempFile("ehr-jwks", ".json");
        jwks.toFile().deleteOnExit();
        EHR.writePublicJwks(jwks);
        registry.add("cds.security.jwt.enabled", () -> "true");
        registry.add("cds.security.jwt.issuers[0].iss", () -> EHR.iss);
        registry.add("cds.security.jwt.issuers[0].jwks", () -> "file:" + jwks);
    }

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper mapper;

    @Value("${cds.security.governance.token}")
    String governanceToken;

    private final HttpClient http = HttpClient.newHttpClient();

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Origin", ORIGIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).header("Origin", ORIGIN).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String orderSign() {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record.hookRequest("order-sign").toString();
    }

    private String bearer(String path) {
        return "Bearer " + EHR.es384(EHR.claims(url(path)).build());
    }

    private void refused(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode outcome = mapper.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/code").asText()).isEqualTo("security");
        assertThat(outcome.at("/issue/0/diagnostics").asText()).isEqualTo("Authentication failed.");
    }

    @Test
    void aValidEs384OrRs384TokenForTheServiceIsServed() throws Exception {
        var es = post(SIGN, bearer(SIGN), orderSign());
        assertThat(es.statusCode()).as(es.body()).isEqualTo(200);
        assertThat(mapper.readTree(es.body()).get("cards")).isNotEmpty();

        var rs = post(SIGN, "bearer " + EHR.rs384(EHR.claims(url(SIGN)).build()), orderSign());
        assertThat(rs.statusCode()).isEqualTo(200);
    }

    @Test
    void discoveryNeedsItsOwnToken() throws Exception {
        refused(get("/cds-services", null));
        var response = get("/cds-services", bearer("/cds-services"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("services")).hasSize(3);
        refused(get("/cds-services", bearer(SIGN)));
    }

    @Test
    void everyFailureIsTheSameBare401() throws Exception {
        Instant now = Instant.now();
        List<String> attempts = List.of(
                "",
                "Basic dXNlcjpwYXNz",
                "Bearer ",
                "Bearer not-a-jwt",
                bearer("/cds-services"),                                                                   // wrong aud
                bearer("/cds-services/alemtuzumab-patient-view"),                                          // wrong aud
                "Bearer " + STRANGER.es384(STRANGER.claims(url(SIGN)).build()),                            // unknown iss
                "Bearer " + STRANGER.es384(STRANGER.claims(url(SIGN)).issuer(EHR.iss).build()),            // wrong key
                "Bearer " + EHR.es384(EHR.claims(url(SIGN)).issueTime(Date.from(now.minusSeconds(900)))
                        .expirationTime(Date.from(now.minusSeconds(600))).build()),                       // expired
                "Bearer " + new com.nimbusds.jwt.PlainJWT(EHR.claims(url(SIGN)).build()).serialize());     // alg none
        Set<String> bodies = new HashSet<>();
        for (String authorization : attempts) {
            var response = post(SIGN, authorization.isEmpty() ? null : authorization, orderSign());
            refused(response);
            bodies.add(response.body());
        }
        assertThat(bodies).as("no detail tells an attacker what was wrong").hasSize(1);
    }

    @Test
    void theGovernanceReportNeedsTheGovernanceScopeOrTokenNotAHookToken() throws Exception {
        String report = "/governance/override-rates";
        refused(get(report, null));
        refused(get(report, bearer(report)));
        String scoped = "Bearer " + EHR.es384(EHR.claims(url(report)).claim("scope", "patient/*.read governance").build());
        assertThat(get(report, scoped).statusCode()).isEqualTo(200);
        refused(get(report, scoped)); // its jti is used
        String elsewhere = "Bearer " + EHR.es384(EHR.claims(url(SIGN)).claim("scope", "governance").build());
        refused(get(report, elsewhere));
        String foreign = "Bearer " + STRANGER.es384(STRANGER.claims(url(report)).claim("scope", "governance").build());
        refused(get(report, foreign));
        assertThat(get(report, "Bearer " + governanceToken).statusCode()).isEqualTo(200);
    }

    @Test
    void aReplayedTokenIsRefused() throws Exception {
        String token = bearer(SIGN);
        assertThat(post(SIGN, token, orderSign()).statusCode()).isEqualTo(200);
        refused(post(SIGN, token, orderSign()));
    }

    @Test
    void aPreflightNeedsNoToken() throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(url(SIGN)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void unknownPathsAndBadBodiesAreRefusedBeforeAnythingElse() throws Exception {
        refused(get("/cds-services/nope", null));
        refused(get("/anything", null));
        refused(post(SIGN, null, "{not json"));
    }
}
