package org.alemcds.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What an operator sees, over real HTTP: probes, info, Prometheus metrics and the OpenAPI description on the
 * management port (not on the services' port), and the governance report behind its own token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // tests turn metrics export off unless asked
class OperationsHttpTest {

    private static final String SIGN = "/cds-services/alemtuzumab-order-sign";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    ObjectMapper mapper;

    @Value("${cds.security.governance.token}")
    String governanceToken;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int onPort, String path, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + onPort + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void managementPortIsNotTheServicesPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(get(port, "/actuator/health", null).statusCode()).isEqualTo(404);
        assertThat(get(port, "/actuator/prometheus", null).statusCode()).isEqualTo(404);
    }

    @Test
    void livenessAndReadinessProbesIncludeDatabaseAndCql() throws Exception {
        var liveness = get(managementPort, "/actuator/health/liveness", null);
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(liveness.body()).get("status").asText()).isEqualTo("UP");

        var readiness = get(managementPort, "/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode components = mapper.readTree(readiness.body()).get("components");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("cql").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("cql").get("details").get("libraries").toString())
                .contains("PreCourseChecks", "MonitoringChecks");
        assertThat(components.get("readinessState").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void infoNamesVersionCommitCatalogueAndProfile() throws Exception {
        var response = get(managementPort, "/actuator/info", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode info = mapper.readTree(response.body());
        assertThat(info.at("/build/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(info.at("/git/commit/id").asText()).as(response.body()).matches("[0-9a-f]{7,40}");
        assertThat(info.at("/catalogue/version").asText()).isEqualTo("DRAFT v0.1");
        assertThat(info.at("/cds/profile").asText()).isEqualTo("UNION");
        assertThat(info.at("/cds/services").toString()).contains("alemtuzumab-order-sign");
    }

    @Test
    void prometheusShowsLatencyCardsErrorsFetchesFeedbackAndSkippedResources() throws Exception {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        var answered = post(SIGN, record.hookRequest("order-sign").toString());
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode card = mapper.readTree(answered.body()).get("cards").get(0);
        String ruleId = card.at("/source/topic/code").asText();

        // a 400, and a 412 after a failed fetch from an unreachable FHIR server
        assertThat(post(SIGN, "{").statusCode()).isEqualTo(400);
        ObjectNode noPrefetch = record.hookRequest("order-sign");
        noPrefetch.remove("prefetch");
        noPrefetch.put("fhirServer", "http://127.0.0.1:1/fhir");
        assertThat(post(SIGN, noPrefetch.toString()).statusCode()).isEqualTo(412);
        // feedback on the first card, and a call to an unknown service (its id must not become a series)
        String feedback = "{\"feedback\":[{\"card\":\"" + card.get("uuid").asText()
                + "\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}]}";
        assertThat(post(SIGN + "/feedback", feedback).statusCode()).isEqualTo(200);
        assertThat(post("/cds-services/made-up-" + System.nanoTime(), "{}").statusCode()).isEqualTo(404);

        String metrics = get(managementPort, "/actuator/prometheus", null).body();
        assertThat(metrics)
                .contains("cds_hook_calls_seconds_bucket{service=\"alemtuzumab-order-sign\",status=\"200\",le=")
                .contains("cds_hook_errors_total{service=\"alemtuzumab-order-sign\",status=\"400\"}")
                .contains("cds_hook_errors_total{service=\"alemtuzumab-order-sign\",status=\"412\"}")
                .contains("cds_cards_total{indicator=\"" + card.get("indicator").asText() + "\",rule=\"" + ruleId
                        + "\",service=\"alemtuzumab-order-sign\"}")
                .contains("cds_fhir_fetch_seconds_count{outcome=\"failure\"}")
                .contains("cds_feedback_items_total{outcome=\"overridden\",service=\"alemtuzumab-order-sign\"} 1.0")
                .contains("cds_resources_skipped_total")
                .doesNotContain("made-up-");
    }

    @Test
    void openApiDescribesTheCdsHooksShapes() throws Exception {
        var response = get(managementPort, "/actuator/openapi", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode api = mapper.readTree(response.body());
        assertThat(api.get("openapi").asText()).startsWith("3.");
        JsonNode paths = api.get("paths");
        assertThat(paths.has("/cds-services")).isTrue();
        assertThat(paths.at("/~1cds-services~1{id}/post/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/CdsHooksRequest");
        assertThat(paths.has("/cds-services/{id}/feedback")).isTrue();
        assertThat(paths.at("/~1governance~1override-rates/get/security/0").has("governance")).isTrue();
        JsonNode schemas = api.at("/components/schemas");
        assertThat(schemas.at("/CdsHooksRequest/properties").has("hookInstance")).isTrue();
        assertThat(schemas.at("/CdsHooksRequest/properties").has("fhirAuthorization")).isTrue();
        assertThat(schemas.at("/Card/properties").has("indicator")).isTrue();
        assertThat(schemas.at("/Card/properties").has("selectionBehavior")).isTrue();
        assertThat(schemas.at("/FeedbackRequest/properties/feedback/items/properties").has("overrideReason")).isTrue();
        assertThat(get(managementPort, "/actuator/swagger-ui", null).statusCode()).isIn(200, 302);
    }

    @Test
    void governanceReportNeedsItsTokenWithClientAuthenticationOff() throws Exception {
        String path = "/governance/override-rates";
        var none = get(port, path, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(mapper.readTree(none.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(get(port, path, "Bearer " + governanceToken + "x").statusCode()).isEqualTo(401);
        assertThat(get(port, path, "Basic " + governanceToken).statusCode()).isEqualTo(401);
        assertThat(get(port, path, "Bearer " + governanceToken).statusCode()).isEqualTo(200);
        // the hook endpoints stay open while client authentication is off
        assertThat(get(port, "/cds-services", null).statusCode()).isEqualTo(200);
    }
}
