package org.alemcds.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.LoopbackFhirServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * No patient data in any log line: every sample request is posted as sent, then again without its prefetch against
 * FHIR servers that fail in each way (down, error status, garbage, too slow), and with a date the rules cannot
 * compute with; the whole log output of the service must not contain any sample patient's id, name or birth date.
 * A record whose order date makes the CQL engine fail must leave no value of the record in the log either: the
 * engine's own error line quotes them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cds.fhir-client.read-timeout=300ms", "cds.fhir-client.total-timeout=600ms"})
@ExtendWith(OutputCaptureExtension.class)
class LogPrivacyTest {

    @LocalServerPort
    int port;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private int post(JsonNode request) throws Exception {
        String service = "order-sign".equals(request.get("hook").asText()) ? "alemtuzumab-order-sign"
                : "order-select".equals(request.get("hook").asText()) ? "alemtuzumab-order-select"
                : "alemtuzumab-patient-view";
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services/" + service))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                        .build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** What identifies the sample patient: its id, the parts of its names, its birth date. */
    private static Set<String> identifying(JsonNode request) {
        Set<String> values = new LinkedHashSet<>();
        values.add(request.at("/context/patientId").asText());
        JsonNode patient = request.at("/prefetch/patient");
        for (JsonNode name : patient.path("name")) {
            name.path("given").forEach(given -> values.add(given.asText()));
            if (name.hasNonNull("family")) {
                values.add(name.get("family").asText());
            }
        }
        if (patient.hasNonNull("birthDate")) {
            values.add(patient.get("birthDate").asText());
        }
        values.removeIf(v -> v.length() < 3);
        return values;
    }

    @Test
    void noSamplePatientsIdNameOrBirthDateIsLogged(CapturedOutput output) throws Exception {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("fhir-resources", "examples"))) {
            examples = files.filter(p -> p.getFileName().toString().matches(".*\\.(order-sign|order-select|patient-view)\\.json"))
                    .sorted().toList();
        }
        assertThat(examples).isNotEmpty();
        Set<String> identifying = new LinkedHashSet<>();
        try (LoopbackFhirServer failing = LoopbackFhirServer.start()) {
            String garbage = failing.baseUrl().replace("/fhir", "/garbage");
            for (Path example : examples) {
                ObjectNode request = (ObjectNode) mapper.readTree(example.toFile());
                identifying.addAll(identifying(request));
                post(request);

                // fallback failures: the patient's id is in every query the service would run
                ObjectNode withoutPrefetch = request.deepCopy();
                withoutPrefetch.remove("prefetch");
                for (String server : List.of(LoopbackFhirServer.deadServerUrl(), failing.baseUrl(), garbage)) {
                    withoutPrefetch.put("fhirServer", server);
                    assertThat(post(withoutPrefetch)).as(example + " via " + server).isIn(200, 412);
                }

                // a birth date the rules cannot compute with
                ObjectNode badDate = request.deepCopy();
                if (badDate.at("/prefetch/patient").isObject()) {
                    ((ObjectNode) badDate.at("/prefetch/patient")).put("birthDate", "0001-01-01");
                    post(badDate);
                }
            }
        }
        assertThat(identifying).as("sample patients' identifying values").hasSizeGreaterThan(examples.size());

        // the engine fails on a date its windows take below year 0001 (a 400 for the client)
        FhirRecord outOfRange = FhirRecord.female("1979-06-21");
        outOfRange.draftAlemtuzumab("0001-01-05", 5);
        assertThat(post(outOfRange.hookRequest("order-sign"))).as("an order date the rules cannot compute with").isEqualTo(400);
        identifying.addAll(List.of("1979-06-21", "0001-01-05", FhirRecord.PATIENT_ID));

        String log = output.getAll();
        assertThat(log).as("the service's own line on the failed evaluation, without values")
                .containsPattern("CQL evaluation of PreCourseChecks failed \\(.*InvalidDate");
        assertThat(log).as("the engine's message, which quotes a year computed from the record")
                .doesNotContain("falls below the accepted bounds");
        for (String value : identifying) {
            assertThat(log).as("the log output").doesNotContain(value);
        }
    }
}
