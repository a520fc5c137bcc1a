package org.alemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The record the evaluate command and the playground read: a Bundle of any type or NDJSON, of exactly one patient. */
class PatientRecordTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\"}";
    private static final String CONDITION = "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":\"urn:uuid:p1\"}}";

    private static PatientRecord read(String text) throws IOException {
        return PatientRecord.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "patient.json", FHIR);
    }

    private static String bundle(String type, String... resources) {
        StringBuilder entries = new StringBuilder();
        for (String resource : resources) {
            entries.append(entries.isEmpty() ? "" : ",").append("{\"fullUrl\":\"urn:uuid:x\",\"resource\":").append(resource)
                    .append(type.equals("transaction") ? ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}" : "")
                    .append("}");
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + entries + "]}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"collection", "searchset", "transaction", "batch"})
    void bundlesOfEveryTypeAreReadAsTheRecordOfTheirOnePatient(String type) throws IOException {
        PatientRecord record = read(bundle(type, PATIENT, CONDITION));

        assertThat(record.patientId()).isEqualTo("p1");
        assertThat(record.size()).isEqualTo(2);
        assertThat(record.bundle().path("type").asText()).isEqualTo("collection");
    }

    @Test
    void ndjsonIsReadLineByLine() throws IOException {
        PatientRecord record = read(PATIENT + "\n" + CONDITION + "\n\n");

        assertThat(record.patientId()).isEqualTo("p1");
        assertThat(record.resources("Condition")).hasSize(1);
    }

    @Test
    void urnUuidReferencesBecomeTypeAndIdAsAServerWouldGiveThem() throws IOException {
        PatientRecord record = read(bundle("transaction", PATIENT, CONDITION));

        assertThat(record.resources("Condition").get(0).path("subject").path("reference").asText()).isEqualTo("Patient/p1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}|has no Patient resource",
        "TWO_PATIENTS|has 2 Patient resources",
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"ProcedureRequest\",\"id\":\"x\"}}]}|is not FHIR R4",
        "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"fhirVersion\":\"5.0.0\"}}|is not FHIR R4",
        "{\"resourceType\": \"Bundle\", \"entry\": [|neither a FHIR JSON Bundle nor NDJSON",
        "<Bundle xmlns=\"http://hl7.org/fhir\"/>|neither a FHIR JSON Bundle nor NDJSON",
        "{\"hello\":\"world\"}|not a FHIR resource",
    })
    void unusableRecordsGetOneLineThatSaysWhy(String text, String message) {
        String input = text.equals("TWO_PATIENTS") ? bundle("collection", PATIENT, PATIENT.replace("p1", "p2")) : text;

        assertThatThrownBy(() -> read(input))
                .isInstanceOf(PatientRecord.Unusable.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
