package org.alemcds.hooks;

import static org.alemcds.testing.LoopbackFhirServer.json;
import static org.alemcds.testing.LoopbackFhirServer.outcome;
import static org.alemcds.testing.LoopbackFhirServer.searchset;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.LoopbackFhirServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Prefetch completion over real HTTP: the service started on a random port, the client's FHIR server a real HTTP
 * server on loopback. Only the keys the client did not supply are fetched, with its bearer token, page by page; a
 * FHIR server that cannot deliver makes a 412 in bounded time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrefetchHttpTest {

    private static final String SIGN = "/cds-services/alemtuzumab-order-sign";
    private static final String VIEW = "/cds-services/alemtuzumab-patient-view";
    private static final String P = FhirRecord.PATIENT_ID;

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newHttpClient();
    private final LoopbackFhirServer fhir = LoopbackFhirServer.start();

    @AfterEach
    void stop() {
        fhir.close();
    }

    private HttpResponse<String> post(String path, JsonNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static FhirRecord alemtuzumabOrder() {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.condition("24700007", "Multiple sclerosis", "2015-01-01");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record;
    }

    private ObjectNode withFhirServer(ObjectNode request, String fhirServer) {
        request.put("fhirServer", fhirServer);
        request.putObject("fhirAuthorization")
                .put("access_token", "ehr-token-42").put("token_type", "Bearer").put("expires_in", 300)
                .put("scope", "user/*.read").put("subject", "alemcds");
        return request;
    }

    private List<String> ruleIds(HttpResponse<String> response) throws Exception {
        return mapper.readTree(response.body()).get("cards").findValuesAsText("code");
    }

    private String diagnostics(HttpResponse<String> response) throws Exception {
        JsonNode outcome = mapper.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        return outcome.at("/issue/0/diagnostics").asText();
    }

    /** Serves a prefetch value of a full request at the URL its template resolves to. */
    private void serve(ObjectNode fullRequest, String key, String relativeUrl) {
        JsonNode value = fullRequest.get("prefetch").get(key);
        String body = value.get("resourceType").asText().equals("Bundle")
                ? ((ObjectNode) value.deepCopy()).put("type", "searchset").toString()
                : value.toString();
        fhir.onJson(relativeUrl, body);
    }

    @Test
    void onlyTheMissingKeysAreFetchedWithTheBearerToken() throws Exception {
        FhirRecord record = alemtuzumabOrder();
        List<String> expected = ruleIds(post(SIGN, record.hookRequest("order-sign")));
        assertThat(expected).isNotEmpty();

        ObjectNode full = record.hookRequest("order-sign");
        serve(full, "patient", "Patient/" + P);
        serve(full, "conditions", "Condition?patient=" + P);
        serve(full, "observations", "Observation?patient=" + P);
        ObjectNode request = withFhirServer(full.deepCopy(), fhir.baseUrl());
        ObjectNode prefetch = (ObjectNode) request.get("prefetch");
        prefetch.remove("patient");                                              // absent: fetch
        prefetch.set("conditions", mapper.readTree(outcome("timeout", "x")));    // OperationOutcome: fetch
        prefetch.remove("observations");                                          // absent: fetch
        prefetch.putNull("allergies");                                           // null: no data, no fetch

        var response = post(SIGN, request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(fhir.requestedUrls()).containsExactlyInAnyOrder(
                "Patient/" + P, "Condition?patient=" + P, "Observation?patient=" + P);
        assertThat(fhir.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer ehr-token-42"));
        assertThat(ruleIds(response)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aPatientIdWithTypePrefixFetchesThePlainId() throws Exception {
        ObjectNode request = withFhirServer(alemtuzumabOrder().hookRequest("order-sign"), fhir.baseUrl());
        fhir.onJson("Patient/" + P, request.get("prefetch").get("patient").toString());
        ((ObjectNode) request.get("prefetch")).remove("patient");
        ((ObjectNode) request.get("context")).put("patientId", "Patient/" + P);

        assertThat(post(SIGN, request).statusCode()).isEqualTo(200);
        assertThat(fhir.requestedUrls()).containsExactly("Patient/" + P);
    }

    @Test
    void aPaginatedPrefetchBundleIsCompletedFromItsNextLink() throws Exception {
        FhirRecord record = alemtuzumabOrder();
        ObjectNode request = withFhirServer(record.hookRequest("order-sign"), fhir.baseUrl());
        ObjectNode conditions = (ObjectNode) request.get("prefetch").get("conditions");
        conditions.put("type", "searchset");
        conditions.putArray("link").addObject().put("relation", "next")
                .put("url", fhir.baseUrl() + "?_getpages=xyz&_offset=1");
        fhir.onJson("?_getpages=xyz&_offset=1", searchset(null, "{\"resourceType\":\"Condition\",\"id\":\"c-page2\","
                + "\"subject\":{\"reference\":\"Patient/" + P + "\"},\"code\":{\"text\":\"Asthma\"}}"));

        var response = post(SIGN, request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(fhir.requestedUrls()).containsExactly("?_getpages=xyz&_offset=1");
    }

    @Test
    void aPaginatedPrefetchBundleWithoutFhirServerIs412() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        ObjectNode conditions = (ObjectNode) request.get("prefetch").get("conditions");
        conditions.putArray("link").addObject().put("relation", "next").put("url", "https://ehr.example/fhir?page=2");

        var response = post(SIGN, request);

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(diagnostics(response)).contains("conditions").contains("no fhirServer");
    }

    @Test
    void patientViewWithoutPrefetchFetchesEverythingFollowingNextLinks() throws Exception {
        FhirRecord record = FhirRecord.female("1990-05-05");
        ObjectNode full = record.hookRequest("patient-view");
        serve(full, "patient", "Patient/" + P);
        for (String type : List.of("Condition", "Observation", "AllergyIntolerance", "Procedure", "Immunization",
                "DiagnosticReport", "ImagingStudy")) {
            fhir.onJson(type + "?patient=" + P, searchset(null));
        }
        fhir.onJson("AdverseEvent?subject=" + P, searchset(null));
        for (String type : List.of("MedicationRequest", "MedicationStatement", "MedicationAdministration", "MedicationDispense")) {
            String first = type + "?patient=" + P + "&_include=" + type + ":medication";
            fhir.onJson(first, searchset(fhir.baseUrl() + "/" + first + "&page=2"));
            fhir.onJson(first + "&page=2", searchset(null));
        }
        ObjectNode request = withFhirServer(full, fhir.baseUrl());
        request.remove("prefetch");

        var response = post(VIEW, request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // the patient, 7 types (no monitoring rule reads ImagingStudy), 4 medication types of 2 pages each
        assertThat(fhir.requestedUrls()).hasSize(1 + 7 + 4 * 2).doesNotHaveDuplicates()
                .doesNotContain("ImagingStudy?patient=" + P);
    }

    /** A patient-view request carrying only the prefetch discovery advertises for patient-view. */
    private ObjectNode withAdvertisedPrefetchOnly(ObjectNode full) throws Exception {
        JsonNode advertised = mapper.readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/cds-services")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("services").findParents("hook").stream()
                .filter(s -> s.get("hook").asText().equals("patient-view")).findFirst().orElseThrow().get("prefetch");
        List<String> keys = new java.util.ArrayList<>();
        advertised.fieldNames().forEachRemaining(keys::add);
        ObjectNode prefetch = (ObjectNode) full.get("prefetch");
        prefetch.retain(keys);
        assertThat(prefetch.size()).isEqualTo(advertised.size()).isBetween(1, 4);
        return full;
    }

    @Test
    void patientViewOfANeverTreatedPatientNeedsOnlyTheMedicationsAndFetchesNothing() throws Exception {
        FhirRecord record = FhirRecord.female("1990-05-05");
        record.condition("24700007", "Multiple sclerosis", "2015-01-01");
        record.observation("6690-2", 6.0, "10*9/L", "2026-11-01");
        ObjectNode request = withFhirServer(withAdvertisedPrefetchOnly(record.hookRequest("patient-view")), fhir.baseUrl());

        var response = post(VIEW, request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("cards")).isEmpty();
        assertThat(fhir.requestedUrls()).isEmpty();
    }

    @Test
    void patientViewOfATreatedPatientFetchesTheRestAndAnswersAsWithEverythingSent() throws Exception {
        FhirRecord record = FhirRecord.female("1990-04-02");
        for (int day = 2; day <= 6; day++) {
            record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2026-03-0" + day);
        }
        ObjectNode full = record.hookRequest("patient-view");
        List<String> expected = ruleIds(post(VIEW, full));
        assertThat(expected).as("monitoring cards of a treated patient").isNotEmpty();
        serve(full, "patient", "Patient/" + P);
        for (String type : List.of("Condition", "Observation", "AllergyIntolerance", "Procedure", "Immunization",
                "DiagnosticReport")) {
            fhir.onJson(type + "?patient=" + P, searchset(null));
        }
        fhir.onJson("AdverseEvent?subject=" + P, searchset(null));
        for (String type : List.of("MedicationStatement", "MedicationDispense")) {
            fhir.onJson(type + "?patient=" + P + "&_include=" + type + ":medication", searchset(null));
        }
        ObjectNode request = withFhirServer(withAdvertisedPrefetchOnly(full.deepCopy()), fhir.baseUrl());

        var response = post(VIEW, request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(fhir.requestedUrls()).hasSize(1 + 7 + 2).doesNotHaveDuplicates()
                .noneMatch(url -> url.startsWith("MedicationAdministration") || url.startsWith("MedicationRequest"));
        assertThat(ruleIds(response)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aFhirServerThatIsDownIs412NamingWhatIsMissing() throws Exception {
        ObjectNode request = withFhirServer(alemtuzumabOrder().hookRequest("order-sign"), LoopbackFhirServer.deadServerUrl());
        ((ObjectNode) request.get("prefetch")).remove(List.of("patient", "observations"));

        var response = post(SIGN, request);

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(diagnostics(response)).contains("'patient' (Patient/" + P + "): connection refused")
                .contains("'observations' (Observation?patient=" + P + "): connection refused")
                .doesNotContain("ehr-token-42");
    }

    @Test
    void aFhirServerSlowerThanTheTimeoutIs412WithinTheTimeout() throws Exception {
        fhir.on("Patient/" + P, LoopbackFhirServer.slow(Duration.ofSeconds(20), json(200, "{}")));
        ObjectNode request = withFhirServer(alemtuzumabOrder().hookRequest("order-sign"), fhir.baseUrl());
        ((ObjectNode) request.get("prefetch")).remove("patient");

        long start = System.nanoTime();
        var response = post(SIGN, request);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(diagnostics(response)).contains("'patient'").contains("no answer within 2 s");
        assertThat(tookMs).as("default read timeout 2 s").isBetween(1900L, 5000L);
    }

    @Test
    void garbageOrAnErrorFromTheFhirServerIs412() throws Exception {
        fhir.on("Patient/" + P, LoopbackFhirServer.withContentType("text/html", "<html>Please log in</html>"));
        fhir.on("Observation?patient=" + P, json(500, outcome("exception", "boom")));
        ObjectNode request = withFhirServer(alemtuzumabOrder().hookRequest("order-sign"), fhir.baseUrl());
        ((ObjectNode) request.get("prefetch")).remove(List.of("patient", "observations"));

        var response = post(SIGN, request);

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(diagnostics(response)).contains("'patient' (Patient/" + P + "): the response is not FHIR R4 JSON")
                .contains("'observations' (Observation?patient=" + P + "): HTTP 500");
    }

    @Test
    void aNullPatientIs412() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        ((ObjectNode) request.get("prefetch")).putNull("patient");

        var response = post(SIGN, request);

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(diagnostics(response)).contains("Patient resource " + P);
    }
}
