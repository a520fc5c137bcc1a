package org.alemcds.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The demo FHIR server ({@code cds.demo.fhir=true}): the sample patients read-only at /fhir with CORS, and the service's
 * FHIR fallback fetching a whole order-sign prefetch from it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "cds.demo.fhir=true")
class DemoFhirServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @LocalServerPort
    int port;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    @Test
    void servesTheSamplePatientsWithCors() throws Exception {
        var patient = send(HttpRequest.newBuilder(URI.create(url("/fhir/Patient/ex05"))).header("Origin", "http://localhost:3000"));

        assertThat(patient.statusCode()).isEqualTo(200);
        assertThat(patient.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
        assertThat(MAPPER.readTree(patient.body()).path("name").path(0).path("family").asText()).isEqualTo("Neumann");

        var observations = MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(url("/fhir/Observation?patient=ex05")))).body());
        assertThat(observations.path("entry").size()).isPositive();
        assertThat(observations.findValuesAsText("reference")).contains("Patient/ex05").doesNotContain("Patient/ex01");
    }

    @Test
    void isReadOnly() throws Exception {
        var delete = send(HttpRequest.newBuilder(URI.create(url("/fhir/Patient/ex05"))).DELETE());
        var create = send(HttpRequest.newBuilder(URI.create(url("/fhir/Patient")))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")));

        assertThat(delete.statusCode()).isBetween(400, 405);
        assertThat(create.statusCode()).isBetween(400, 405);
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/fhir/Patient/ex05")))).statusCode()).isEqualTo(200);
    }

    @Test
    void aHookCallWithoutPrefetchIsAnsweredFromTheDemoServer() throws Exception {
        ObjectNode request = (ObjectNode) MAPPER.readTree(
                Path.of("fhir-resources/examples/05-hiv-test-missing.order-sign.json").toFile());
        request.remove("prefetch");
        request.put("fhirServer", url("/fhir"));

        var response = send(HttpRequest.newBuilder(URI.create(url("/cds-services/alemtuzumab-order-sign")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode cards = MAPPER.readTree(response.body()).path("cards");
        assertThat(cards.findValuesAsText("code")).contains("CI-HIV");
    }
}
