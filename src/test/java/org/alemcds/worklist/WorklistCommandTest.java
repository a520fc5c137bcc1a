package org.alemcds.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.alemcds.rules.MonitoringFixtures.allMonitoringDone;
import static org.alemcds.rules.MonitoringFixtures.course;
import static org.alemcds.rules.MonitoringFixtures.lemtrada;
import static org.alemcds.rules.MonitoringFixtures.monthlyPanel;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.alemcds.testing.BulkExport;
import org.alemcds.testing.FhirRecord;
import org.hl7.fhir.r4.model.ListResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The monitoring worklist over a generated Bulk Data export whose answers are known: as of 2026-06-01, patients
 * treated with the course 2025-03-03 … 2025-03-07 (monitoring until 2029-03-07), one treated in 2020 (window ended
 * 2024), one never treated, one whose only administrations were entered in error; a truncated line; the
 * administrations compressed.
 */
class WorklistCommandTest {

    static final String AS_OF = "2026-06-01";

    @TempDir
    static Path temp;

    static Path export;
    static int malformedLine;

    @BeforeAll
    static void writeExport() {
        var bulk = new BulkExport();

        // Last monthly panel 2026-03-01: CBC, creatinine and urinalysis due 2026-04-01, 61 days ago; TSH 2026-04-01 is in time.
        FhirRecord overdue = FhirRecord.female("1990-04-02").withPatientId("p-overdue");
        course(overdue, "2025-03-03", 5);
        monthlyPanel(overdue, "2026-03-01");
        overdue.observation("3016-3", 1.8, "mIU/L", "2026-04-01");
        bulk.add(overdue);

        FhirRecord onSchedule = FhirRecord.male("1985-06-10").withPatientId("p-on-schedule");
        course(onSchedule, "2025-03-03", 5);
        allMonitoringDone(onSchedule, "2026-05-20");
        bulk.add(onSchedule);

        // Everything done on 2026-05-10, then platelets 85 on 2026-05-25: immune thrombocytopenia suspected.
        FhirRecord signal = FhirRecord.male("1979-01-15").withPatientId("p-signal");
        course(signal, "2025-03-03", 5);
        allMonitoringDone(signal, "2026-05-10");
        signal.observation("777-3", 85, "10*9/L", "2026-05-25");
        bulk.add(signal);

        // Alemtuzumab named by reference to a Medication resource; nothing since the course but TSH.
        FhirRecord byReference = FhirRecord.male("1988-09-09").withPatientId("p-by-reference");
        for (String day : List.of("2025-11-03", "2025-11-04", "2025-11-05")) {
            var administration = byReference.administration(lemtrada(), day);
            administration.remove("medicationCodeableConcept");
            administration.putObject("medicationReference").put("reference", "Medication/med-lemtrada");
        }
        byReference.observation("3016-3", 2.1, "mIU/L", "2026-05-01");
        bulk.add(byReference);
        var medication = new ObjectMapper().createObjectNode().put("resourceType", "Medication").put("id", "med-lemtrada");
        medication.set("code", lemtrada());
        bulk.add(medication);

        FhirRecord ended = FhirRecord.female("1975-02-02").withPatientId("p-window-ended");
        course(ended, "2020-01-06", 5);
        bulk.add(ended);

        FhirRecord neverTreated = FhirRecord.female("1992-07-07").withPatientId("p-never-treated");
        neverTreated.request(FhirRecord.rxnorm("1373483", "ocrelizumab 30 MG/ML"), "active", "2025-01-10");
        neverTreated.observation("777-3", 80, "10*9/L", "2026-05-01");
        bulk.add(neverTreated);

        FhirRecord enteredInError = FhirRecord.male("1981-03-03").withPatientId("p-entered-in-error");
        course(enteredInError, "2025-03-03", 5);
        enteredInError.resources().stream()
                .filter(r -> r.get("resourceType").asText().equals("MedicationAdministration"))
                .forEach(r -> r.put("status", "entered-in-error"));
        bulk.add(enteredInError);

        // Types the rules do not read (here a claim) are counted and not kept.
        var claim = new ObjectMapper().createObjectNode().put("resourceType", "Claim").put("id", "claim-1");
        claim.putObject("patient").put("reference", "Patient/p-overdue");
        bulk.add(claim);

        malformedLine = bulk.lines("Observation") + 1;
        bulk.line("Observation", "{\"resourceType\":\"Observation\",\"id\":\"cut-short\",\"status\":\"fin");
        bulk.gzip("MedicationAdministration");
        export = bulk.writeTo(temp.resolve("export"));
    }

    record Result(int exit, String out, String err) {}

    static Result worklist(String... options) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(export.toString(), "--as-of", AS_OF));
        args.addAll(Arrays.asList(options));
        int exit = WorklistCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Progress.silent());
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** CSV rows by patient id, in output order. */
    static Map<String, Map<String, String>> csvRows(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(","));
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = csvFields(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), fields.get(i));
            }
            rows.put(row.get("patient_id"), row);
        }
        return rows;
    }

    static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    @Test
    void listsEveryTreatedPatientMostUrgentFirstAndNamesTheSkippedLine() {
        Result result = worklist();
        var rows = csvRows(result.out());

        assertThat(rows.keySet()).containsExactly("p-signal", "p-by-reference", "p-overdue", "p-on-schedule", "p-window-ended");
        assertThat(rows.get("p-signal").get("status")).isEqualTo("signal");
        assertThat(rows.get("p-signal").get("signals")).startsWith("MON-PLT critical: Platelets 85 ×10⁹/L (2026-05-25)");

        var overdue = rows.get("p-overdue");
        assertThat(overdue.get("status")).isEqualTo("overdue");
        assertThat(overdue.get("overdue")).isEqualTo("CBC (last 2026-03-01, 61 days overdue); "
                + "creatinine (last 2026-03-01, 61 days overdue); urinalysis (last 2026-03-01, 61 days overdue)");
        assertThat(overdue.get("max_days_overdue")).isEqualTo("61");
        assertThat(overdue.get("monitoring_end")).isEqualTo("2029-03-07");
        assertThat(overdue.get("last_infusion")).isEqualTo("2025-03-07");
        assertThat(overdue.get("next_due")).isEqualTo("2026-04-01");

        // Never tested since the course ending 2025-11-05: monthly tests due from 2025-12-05 (178 days), TSH in time.
        var byReference = rows.get("p-by-reference");
        assertThat(byReference.get("overdue")).contains("creatinine (last none, 178 days overdue)").doesNotContain("TSH");
        assertThat(byReference.get("monitoring_end")).isEqualTo("2029-11-05");

        var onSchedule = rows.get("p-on-schedule");
        assertThat(onSchedule.get("status")).isEqualTo("on schedule");
        assertThat(onSchedule.get("overdue")).isEmpty();
        assertThat(onSchedule.get("signals")).isEmpty();
        assertThat(onSchedule.get("next_due")).isEqualTo("2026-06-20");

        var ended = rows.get("p-window-ended");
        assertThat(ended.get("status")).isEqualTo("monitoring ended");
        assertThat(ended.get("monitoring_end")).isEqualTo("2024-01-10");
        assertThat(ended.get("overdue")).isEmpty();

        assertThat(result.exit()).isEqualTo(WorklistCommand.EXIT_INCOMPLETE);
        assertThat(result.err()).contains("Observation.ndjson:" + malformedLine + ": invalid JSON")
                .contains("record skipped")
                .contains("1 unreadable and skipped, 1 of types the rules do not read")
                .contains("7 patients, 5 treated: 1 with a signal, 2 overdue, 1 on schedule, 1 past the window, 0 not evaluated");
    }

    @Test
    void jsonGivesEachOverdueItemWithItsDates() throws IOException {
        JsonNode root = new ObjectMapper().readTree(worklist("--format", "json").out());
        assertThat(root.get("asOf").asText()).isEqualTo(AS_OF);
        assertThat(root.get("treated").asLong()).isEqualTo(5);
        JsonNode overdue = Stream.of(root.get("rows")).flatMap(rows -> java.util.stream.StreamSupport.stream(rows.spliterator(), false))
                .filter(r -> r.get("patientId").asText().equals("p-overdue")).findFirst().orElseThrow();
        JsonNode cbc = overdue.get("overdue").get(0);
        assertThat(cbc.get("item").asText()).isEqualTo("CBC");
        assertThat(cbc.get("lastDate").asText()).isEqualTo("2026-03-01");
        assertThat(cbc.get("dueDate").asText()).isEqualTo("2026-04-01");
        assertThat(cbc.get("daysOverdue").asLong()).isEqualTo(61);
    }

    @Test
    void fhirListHoldsThePatientsWhoNeedActionMostUrgentFirst() {
        String json = worklist("--format", "fhir").out();
        var list = FhirContext.forR4Cached().newJsonParser().parseResource(ListResource.class, json);
        assertThat(list.getEntry()).extracting(e -> e.getItem().getReference())
                .containsExactly("Patient/p-signal", "Patient/p-by-reference", "Patient/p-overdue");
        assertThat(list.getEntry().get(0).getFlag().getText()).contains("MON-PLT critical");
        assertThat(list.getMode()).isEqualTo(ListResource.ListMode.SNAPSHOT);
    }

    @Test
    void htmlPageShowsSignalsFirstThenOverdueAndLeavesEndedWindowsOut() throws IOException {
        Path page = temp.resolve("worklist.html");
        Result result = worklist("--format", "html", "--out", page.toString());
        String html = Files.readString(page);
        assertThat(result.out()).isEmpty();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("@media print");
        assertThat(html.indexOf("p-signal")).isLessThan(html.indexOf("p-by-reference"));
        assertThat(html.indexOf("p-by-reference")).isLessThan(html.indexOf("p-overdue"));
        assertThat(html.indexOf("p-overdue")).isLessThan(html.indexOf("p-on-schedule"));
        assertThat(html).doesNotContain("p-window-ended").contains("1 past the 48-month window, not listed")
                .contains("61 days overdue");
    }

    @Test
    void partsOfAnIndexedJobTogetherListEveryPatientOnce() {
        var all = csvRows(worklist().out()).keySet();
        List<String> parts = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            parts.addAll(csvRows(worklist("--part", index + "/3").out()).keySet());
        }
        assertThat(parts).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void theTypesKeptAreThoseThePrefetchTemplatesAsk() {
        assertThat(WorklistCommand.TYPES_THE_RULES_READ)
                .contains("Patient", "Observation", "MedicationAdministration", "Medication", "AdverseEvent")
                .doesNotContain("Claim", "Encounter", "ExplanationOfBenefit");
    }

    @Test
    void theProfileDecidesWhichRulesRemind() {
        // MON-LFT runs only when the profile includes US (catalogue §2.1).
        assertThat(csvRows(worklist("--profile", "UNION").out()).get("p-overdue").get("reminders")).contains("MON-LFT");
        assertThat(csvRows(worklist("--profile", "EU").out()).get("p-overdue").get("reminders")).doesNotContain("MON-LFT");
    }

    @Test
    void aTerminalSeesTheReadingAndTheEvaluationProgress() {
        var terminal = new ByteArrayOutputStream();
        var args = new String[] {export.toString(), "--as-of", AS_OF};
        WorklistCommand.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(terminal, true, StandardCharsets.UTF_8),
                Progress.drawnOn(new PrintStream(terminal, true, StandardCharsets.UTF_8)));
        assertThat(terminal.toString(StandardCharsets.UTF_8))
                .contains("\rreading export").contains("100%")
                .contains("\revaluating patients").contains("7/7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--as-of|2026-13-01|--as-of must be a date YYYY-MM-DD",
        "--profile|JP|--profile must be US, EU or UNION",
        "--format|pdf|--format must be csv, json, html or fhir",
        "--part|3/3|--part INDEX must be from 0 to 2",
        "--threads|0|--threads must be a whole number",
        "--colour|red|unknown option --colour",
    })
    void badArgumentsAreExplainedWithTheUsage(String option, String value, String message) {
        Result result = worklist(option, value);
        assertThat(result.exit()).isEqualTo(WorklistCommand.EXIT_USAGE);
        assertThat(result.err()).contains(message).contains("usage: worklist EXPORT_DIR");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aDirectoryWithoutNdjsonIsRefused() throws IOException {
        var err = new ByteArrayOutputStream();
        Path empty = Files.createDirectories(temp.resolve("empty"));
        Files.writeString(empty.resolve("manifest.json"), "{}");
        int exit = WorklistCommand.run(new String[] {empty.toString()}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8), Progress.silent());
        assertThat(exit).isEqualTo(WorklistCommand.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No .ndjson or .ndjson.gz files in");
    }
}
