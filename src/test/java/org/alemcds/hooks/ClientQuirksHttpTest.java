package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What real CDS clients send, over HTTP: other clients' requests (AHRQ CQL Services, Da Vinci CRD, copied unchanged
 * into src/test/resources/foreign) and the usual departures from the letter of the spec. Tolerated where the meaning
 * is clear; a clear 4xx where it is not (unknown service, data in another FHIR version).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientQuirksHttpTest {

    private static final String SIGN = "/cds-services/alemtuzumab-order-sign";

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode foreign(String file) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/foreign/hook-requests/" + file)) {
            return mapper.readTree(in);
        }
    }

    private static FhirRecord alemtuzumabOrder() {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record;
    }

    private List<String> ruleIds(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return mapper.readTree(response.body()).get("cards").findValuesAsText("code");
    }

    private String diagnostics(HttpResponse<String> response) throws Exception {
        JsonNode outcome = mapper.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        return outcome.at("/issue/0/diagnostics").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ahrq-Adolfo777_Braun514.json", "ahrq-Adrian111_Wunsch504.json", "ahrq-Cher186_Crooks415.json",
        "ahrq-Debora709_Mayer370.json", "ahrq-unhealthy_patient.json"})
    void ahrqPatientViewRequestsAnswerWithNoCards(String file) throws Exception {
        var response = post("/cds-services/alemtuzumab-patient-view", foreign(file).toString());
        assertThat(ruleIds(response)).isEmpty();
        assertThat(mapper.readTree(response.body()).get("cards").isArray()).isTrue();
    }

    @Test
    void crdDeviceRequestOrderSignAnswersWithNoCards() throws Exception {
        var response = post(SIGN, foreign("crd-order-sign-hydrated-prefetch.json").toString());
        assertThat(ruleIds(response)).isEmpty();
    }

    @Test
    void draftOrdersAsABareResourceCountLikeABundle() throws Exception {
        FhirRecord record = alemtuzumabOrder();
        List<String> expected = ruleIds(post(SIGN, record.hookRequest("order-sign").toString()));
        assertThat(expected).isNotEmpty();

        ObjectNode request = record.hookRequest("order-sign");
        ((ObjectNode) request.get("context")).set("draftOrders", record.drafts().get(0));

        assertThat(ruleIds(post(SIGN, request.toString()))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aPatientIdWithTypePrefixIsThePatient() throws Exception {
        FhirRecord record = alemtuzumabOrder();
        List<String> expected = ruleIds(post(SIGN, record.hookRequest("order-sign").toString()));
        ObjectNode request = record.hookRequest("order-sign");
        ((ObjectNode) request.get("context")).put("patientId", "Patient/" + FhirRecord.PATIENT_ID);

        assertThat(ruleIds(post(SIGN, request.toString()))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theSameResourceUnderSeveralKeysIsCountedOnce() throws Exception {
        FhirRecord record = alemtuzumabOrder();
        record.condition("24700007", "Multiple sclerosis", "2015-01-01");
        List<String> expected = ruleIds(post(SIGN, record.hookRequest("order-sign").toString()));

        ObjectNode request = record.hookRequest("order-sign");
        ObjectNode prefetch = (ObjectNode) request.get("prefetch");
        ArrayNode conditions = (ArrayNode) prefetch.get("conditions").get("entry");
        // the patient and the condition again under other keys, and the draft order in the prefetch too
        ((ArrayNode) prefetch.get("observations").withArray("entry")).addObject().set("resource", prefetch.get("patient"));
        ((ArrayNode) prefetch.get("allergies").withArray("entry")).add(conditions.get(0).deepCopy());
        conditions.add(conditions.get(0).deepCopy());
        ((ArrayNode) prefetch.get("medicationRequests").withArray("entry")).addObject()
                .set("resource", record.drafts().get(0));
        prefetch.set("everything", record.recordBundle());

        assertThat(ruleIds(post(SIGN, request.toString()))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void unknownFieldsAnywhereAreIgnored() throws Exception {
        FhirRecord record = alemtuzumabOrder();
        List<String> expected = ruleIds(post(SIGN, record.hookRequest("order-sign").toString()));

        ObjectNode request = record.hookRequest("order-sign");
        request.put("extension", "x").putObject("vendorStuff").put("a", 1);
        ((ObjectNode) request.get("context")).put("tenant", "t1").putArray("vendorList").add(1);
        ((ObjectNode) request.get("prefetch").get("patient")).put("madeUpElement", true).putObject("_vendor").put("x", 1);
        request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer")
                .put("expires_in", 300).put("scope", "x").put("subject", "s").put("patient", "pat-1").put("extra", 1);
        // the spec's own example sends a bare id for a key this service did not ask for
        ((ObjectNode) request.get("prefetch")).put("user", "123").putArray("vendorArray");

        assertThat(ruleIds(post(SIGN, request.toString()))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void unknownServiceIdIs404() throws Exception {
        var response = post("/cds-services/no-such-service", alemtuzumabOrder().hookRequest("order-sign").toString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(diagnostics(response)).contains("no-such-service");
    }

    @Test
    void aHookTheServiceDoesNotAnswerIs404() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        request.put("hook", "encounter-start");
        var response = post(SIGN, request.toString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(diagnostics(response)).contains("does not answer the hook 'encounter-start'");

        request.put("hook", "patient-view");
        assertThat(post(SIGN, request.toString()).statusCode()).isEqualTo(404);
    }

    @Test
    void aDstu2MedicationOrderIsAClear400() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        ObjectNode order = mapper.createObjectNode().put("resourceType", "MedicationOrder").put("id", "mo1")
                .put("status", "active");
        order.putObject("medicationCodeableConcept").put("text", "alemtuzumab");
        ((ArrayNode) request.get("prefetch").get("medicationRequests").withArray("entry")).addObject().set("resource", order);

        var response = post(SIGN, request.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(diagnostics(response)).contains("medicationRequests").contains("MedicationOrder")
                .contains("DSTU2").contains("FHIR R4 (4.0.x)");
    }

    @Test
    void anStu3ResourceContainedInAnR4OneIsAClear400() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        ObjectNode draft = (ObjectNode) request.get("context").get("draftOrders").get("entry").get(0).get("resource");
        draft.putArray("contained").addObject().put("resourceType", "ProcedureRequest").put("id", "pr1");

        var response = post(SIGN, request.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(diagnostics(response)).contains("draftOrders").contains("ProcedureRequest").contains("STU3");
    }

    @Test
    void aDstu2DraftOrderIsAClear400() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        ObjectNode draft = (ObjectNode) request.get("context").get("draftOrders").get("entry").get(0).get("resource");
        draft.put("resourceType", "MedicationOrder");

        var response = post(SIGN, request.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(diagnostics(response)).contains("draftOrders").contains("MedicationOrder");
    }

    @Test
    void aResourceDeclaringAnotherFhirVersionIsAClear400() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        ((ObjectNode) request.get("prefetch").get("patient")).putObject("meta").put("fhirVersion", "3.0.2");

        var response = post(SIGN, request.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(diagnostics(response)).contains("'patient'").contains("meta.fhirVersion 3.0.2");

        ((ObjectNode) request.get("prefetch").get("patient")).putObject("meta").put("fhirVersion", "4.0.1");
        assertThat(post(SIGN, request.toString()).statusCode()).isEqualTo(200);
    }

    @Test
    void anR5OnlyResourceTypeIsAClear400() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        ((ObjectNode) request.get("prefetch")).set("usage", mapper.createObjectNode()
                .put("resourceType", "MedicationUsage").put("id", "u1"));

        var response = post(SIGN, request.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(diagnostics(response)).contains("MedicationUsage").contains("R5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/fhir+json", "*/*", "application/json, text/plain"})
    void acceptHeadersClientsSendAreAnswered(String accept) throws Exception {
        var response = post(SIGN, alemtuzumabOrder().hookRequest("order-sign").toString(), "Accept", accept);
        assertThat(response.statusCode()).as(accept).isEqualTo(200);
    }

    @Test
    void aContentTypeOtherThanJsonIsStillReadAsJson() throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + SIGN))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(alemtuzumabOrder().hookRequest("order-sign").toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void anAccessTokenThatCannotBeAHeaderIs400() throws Exception {
        ObjectNode request = alemtuzumabOrder().hookRequest("order-sign");
        request.put("fhirServer", "https://ehr.example/fhir");
        request.putObject("fhirAuthorization").put("access_token", "abc\r\nX-Injected: 1").put("token_type", "Bearer");
        var response = post(SIGN, request.toString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(diagnostics(response)).contains("access_token").doesNotContain("abc");
    }

    @Test
    void aJsonArrayOrScalarBodyIs400() throws Exception {
        for (String body : List.of("[]", "42", "\"x\"", "null")) {
            var response = post(SIGN, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            diagnostics(response);
        }
    }
}
