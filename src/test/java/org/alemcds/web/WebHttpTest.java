package org.alemcds.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** CORS on every response, and the request size limit, over real HTTP (authentication off: the default). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebHttpTest {

    private static final String ORIGIN = "https://sandbox.cds-hooks.org";
    private static final String SIGN = "/cds-services/alemtuzumab-order-sign";
    private static final int FIVE_MB = 5 * 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(request(path).header("Origin", ORIGIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void corsAllowed(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as("status " + response.statusCode())
                .hasValue("*");
    }

    private String orderSign() {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record.hookRequest("order-sign").toString();
    }

    // ----- CORS -----

    @Test
    void preflightAllowsAnyOriginWithAuthorizationAndContentType() throws Exception {
        var response = send(request(SIGN).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        corsAllowed(response);
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization").contains("content-type");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void discoveryAndASuccessfulCallCarryCors() throws Exception {
        var discovery = send(request("/cds-services").header("Origin", "http://localhost:3000").GET().build());
        assertThat(discovery.statusCode()).isEqualTo(200);
        corsAllowed(discovery);

        var call = post(SIGN, orderSign());
        assertThat(call.statusCode()).isEqualTo(200);
        corsAllowed(call);
    }

    @Test
    void everyErrorCarriesCors() throws Exception {
        var badJson = post(SIGN, "{");
        assertThat(badJson.statusCode()).isEqualTo(400);
        corsAllowed(badJson);

        var unknown = post("/cds-services/nope", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        corsAllowed(unknown);

        var noSuchPath = send(request("/nothing/here").header("Origin", ORIGIN).GET().build());
        assertThat(noSuchPath.statusCode()).isEqualTo(404);
        corsAllowed(noSuchPath);

        ObjectNode missingData = (ObjectNode) mapper.readTree(orderSign());
        missingData.remove("prefetch");
        var precondition = post(SIGN, missingData.toString());
        assertThat(precondition.statusCode()).isEqualTo(412);
        corsAllowed(precondition);

        var method = send(request(SIGN).header("Origin", ORIGIN).PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(method.statusCode()).isEqualTo(405);
        corsAllowed(method);

        var tooLarge = post(SIGN, " ".repeat(FIVE_MB + 1));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        corsAllowed(tooLarge);
    }

    // ----- request size -----

    @Test
    void aBodyOverTheLimitIs413WithAnOperationOutcome() throws Exception {
        String padded = orderSign() + " ".repeat(FIVE_MB);
        var response = post(SIGN, padded);

        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode outcome = mapper.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/code").asText()).isEqualTo("too-long");
        assertThat(outcome.at("/issue/0/diagnostics").asText()).contains(String.valueOf(FIVE_MB));
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] body = (orderSign() + " ".repeat(FIVE_MB)).getBytes(StandardCharsets.UTF_8);
        var response = send(request(SIGN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aBodyJustUnderTheLimitIsAnswered() throws Exception {
        String request = orderSign();
        String padded = request + " ".repeat(FIVE_MB - request.getBytes(StandardCharsets.UTF_8).length);
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(FIVE_MB);

        var response = post(SIGN, padded);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("cards")).isNotEmpty();
    }

    @Test
    void aChunkedBodyUnderTheLimitIsAnswered() throws Exception {
        byte[] body = orderSign().getBytes(StandardCharsets.UTF_8);
        var response = send(request(SIGN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
