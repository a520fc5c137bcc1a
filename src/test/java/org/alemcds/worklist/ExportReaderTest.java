package org.alemcds.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alemcds.testing.BulkExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading an export's lines: where each record belongs, and what is refused with its file and line. */
class ExportReaderTest {

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
        "Patient/p1, p1",
        "https://ehr.example.org/fhir/Patient/p1, p1",
        "Patient/p1/_history/3, p1",
        "Group/g1, none",
        "urn:uuid:0b9c4b1e-5a9b-4d0e-9f2c-1c1e1f1a1b1c, none",
        "OtherPatient/p1, none",
        "Patient/, none",
    })
    void aRecordBelongsToThePatientItsSubjectOrPatientReferences(String reference, String patientId) {
        assertThat(ExportReader.patientIdOf(reference)).isEqualTo(patientId);
    }

    @Test
    void thePlacingFieldsAreReadWhereverTheyStandInTheLine() throws Exception {
        var record = ExportReader.place("Observation.ndjson", 7,
                "{\"code\":{\"text\":\"x\"},\"subject\":{\"display\":\"A\",\"reference\":\"Patient/p9\"},\"id\":\"o1\",\"resourceType\":\"Observation\"}");
        assertThat(record.type()).isEqualTo("Observation");
        assertThat(record.id()).isEqualTo("o1");
        assertThat(record.patientId()).isEqualTo("p9");
        assertThat(record.where()).isEqualTo("Observation.ndjson:7");
        assertThat(ExportReader.place("Patient.ndjson", 1, "{\"resourceType\":\"Patient\",\"id\":\"p9\"}").patientId())
                .isEqualTo("p9");
        assertThat(ExportReader.place("Medication.ndjson", 1, "{\"resourceType\":\"Medication\",\"id\":\"m1\"}").patientId())
                .isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"resourceType\":\"Observation\",\"status\":\"fin|invalid JSON",
        "[1,2]|not a JSON object",
        "{\"id\":\"o1\"}|no resourceType",
        "{\"resourceType\":\"Patient\"}|a Patient without an id",
        "{\"resourceType\":\"Observation\"} {\"resourceType\":\"Observation\"}|more than one JSON value",
    })
    void aMalformedLineIsRefusedWithItsReason(String line, String reason) {
        assertThatThrownBy(() -> ExportReader.place("Observation.ndjson", 3, line)).hasMessageContaining(reason);
    }

    @Test
    void plainAndCompressedFilesAreReadInNameOrderAndEachBadLineIsNamed(@TempDir Path dir) throws IOException {
        new BulkExport()
                .line("Observation", "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"subject\":{\"reference\":\"Patient/p1\"}}")
                .line("Observation", "")
                .line("Observation", "not json")
                .line("Patient", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}")
                .gzip("Patient")
                .writeTo(dir);
        List<String> records = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>();
        long count = new ExportReader(dir).read(r -> records.add(r.where()), problems::put, bytes -> {});
        assertThat(count).isEqualTo(2);
        assertThat(records).containsExactly("Observation.ndjson:1", "Patient.ndjson.gz:1");
        assertThat(problems).containsOnlyKeys("Observation.ndjson:3");
    }

    @ParameterizedTest
    @CsvSource({
        "4, 1000000, 4 shards as planned",
        "1, 2000, one shard over its budget is split again",
    })
    void everyRecordOfAPatientLandsInOneShardAndEveryShardIsVisited(int shards, long budget, String why, @TempDir Path dir)
            throws IOException {
        Map<String, Integer> recordsOfPatient = new LinkedHashMap<>();
        List<Integer> shardSizes = new ArrayList<>();
        try (var patientShards = new PatientShards(dir, shards, budget)) {
            for (int i = 0; i < 400; i++) {
                String patient = "p" + (i % 40);
                patientShards.add(new ExportRecord("Observation.ndjson", i + 1, "Observation", "o" + i, patient,
                        "{\"resourceType\":\"Observation\",\"n\":" + i + "}"));
            }
            patientShards.visit(patients -> {
                shardSizes.add(patients.size());
                patients.forEach((patient, records) -> assertThat(recordsOfPatient.put(patient, records.size())).isNull());
            });
        }
        assertThat(recordsOfPatient).hasSize(40).allSatisfy((patient, n) -> assertThat(n).isEqualTo(10));
        assertThat(shardSizes).as(why).hasSizeGreaterThanOrEqualTo(4);
        assertThat(dir.toFile().list()).isEmpty();
    }
}
