package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The CDS Hooks protocol over real HTTP against the started application. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CdsServicesHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void discoveryListsTheThreeServicesWithPrefetch() throws Exception {
        var response = get("/cds-services");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode services = mapper.readTree(response.body()).get("services");
        assertThat(services).hasSize(3);
        assertThat(services.findValuesAsText("hook")).containsExactlyInAnyOrder("order-select", "order-sign", "patient-view");
        for (JsonNode service : services) {
            assertThat(service.get("id").asText()).isNotBlank();
            assertThat(service.get("title").asText()).isNotBlank();
            assertThat(service.get("description").asText()).isNotBlank();
            JsonNode prefetch = service.get("prefetch");
            if (service.get("hook").asText().equals("patient-view")) {
                // first only what decides whether the patient was ever given alemtuzumab (README "Departures and decisions (protocol)")
                assertThat(prefetch.get("medicationAdministrations").asText()).contains("{{context.patientId}}");
                assertThat(prefetch.has("observations")).isFalse();
            } else {
                assertThat(prefetch.get("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
                assertThat(prefetch.get("observations").asText()).contains("{{context.patientId}}");
            }
        }
    }

    @Test
    void orderSignReturnsCardsWithRuleIds() throws Exception {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        var response = post("/cds-services/alemtuzumab-order-sign", record.hookRequest("order-sign").toString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode cards = mapper.readTree(response.body()).get("cards");
        assertThat(cards.findValuesAsText("code")).contains("CI-HIV");
        JsonNode card = cards.get(0);
        assertThat(card.get("uuid").asText()).isNotBlank();
        assertThat(card.get("summary").asText().length()).isLessThanOrEqualTo(140);
        // the first card is the critical HIV card: its sources by name and link, its rule in the extension
        assertThat(card.at("/source/label").asText()).startsWith("LEMTRADA US Important Safety Information");
        assertThat(card.at("/source/url").asText()).startsWith("https://");
        assertThat(card.at("/links/0/type").asText()).isEqualTo("absolute");
        assertThat(card.at("/extension/org.alemcds.rules/0").asText()).isEqualTo(card.at("/source/topic/code").asText());
    }

    @Test
    void malformedJsonIs400WithOperationOutcome() throws Exception {
        var response = post("/cds-services/alemtuzumab-order-sign", "{\"hook\": ");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(response.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    @Test
    void missingRequiredFieldsIs400() throws Exception {
        var response = post("/cds-services/alemtuzumab-order-sign", "{\"hook\":\"order-sign\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode outcome = mapper.readTree(response.body());
        assertThat(outcome.at("/issue/0/diagnostics").asText()).contains("hookInstance").contains("context");
    }

    @Test
    void dateOutsideTheComputableRangeIs400NotA500() throws Exception {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("0001-01-05", 5); // the rules' "- 90 days" windows would fall below year 0001
        var response = post("/cds-services/alemtuzumab-order-sign", record.hookRequest("order-sign").toString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(response.body()).at("/issue/0/diagnostics").asText()).contains("outside the range");
    }

    @Test
    void unknownServiceIs404() throws Exception {
        var response = post("/cds-services/no-such-service", "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(mapper.readTree(response.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    @Test
    void noPrefetchAndNoFhirServerIs412() throws Exception {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        var request = record.hookRequest("order-sign");
        request.remove("prefetch");
        var response = post("/cds-services/alemtuzumab-order-sign", request.toString());
        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(mapper.readTree(response.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }
}
