package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * Only what the rules read is parsed (README "Departures and decisions (protocol)"): a resource of a type no retrieve
 * reads, or of a type read only by value set whose code is in none of them, is skipped and counted, whatever it holds;
 * a malformed resource that a rule would read is still a 400 that names it.
 */
class PartialParseTest {

    private static final String MRI_REPORT_CODE = "24590-2"; // LOINC MR Brain, named "MR brain" in its display

    private final List<Integer> skipped = new ArrayList<>();
    private final PatientDataAssembler assembler = new PatientDataAssembler(RuleHarness.FHIR,
            new FhirServerFetcher(RuleHarness.FHIR, RuleHarness.properties("UNION").fhirClient()), skipped::add);

    private static ReadFilter readFilterOf(String library) {
        return new ReadFilter(RuleHarness.ENGINE.dataRequirements(library, Set.of()), RuleHarness.ENGINE.terminology());
    }

    private PatientData atHand(FhirRecord record, String hook, String library) {
        return assembler.atHand(HookRequest.from(record.hookRequest(hook)), RuleHarness.properties("UNION").prefetch(),
                readFilterOf(library));
    }

    private static List<String> ids(PatientData data) {
        return data.bundle().getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).toList();
    }

    private static ObjectNode report(FhirRecord record, String id, ObjectNode code) {
        ObjectNode report = record.add(RuleHarness.MAPPER.createObjectNode()
                .put("resourceType", "DiagnosticReport").put("id", id).put("status", "final"));
        report.putObject("subject").put("reference", "Patient/" + record.patientId());
        report.set("code", code);
        return report;
    }

    /** A record with an ImagingStudy that is not valid FHIR (a start date that is not a date). */
    private static FhirRecord withMalformedImagingStudy() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        record.add(RuleHarness.MAPPER.createObjectNode().put("resourceType", "ImagingStudy").put("id", "img-1")
                .put("status", "available").put("started", "yesterday"))
                .putObject("subject").put("reference", "Patient/pat-1");
        return record;
    }

    @Test
    void aMalformedResourceOfATypeNoRuleReadsIsSkippedAndCountedNotRefused() {
        // patient-view's rules read no ImagingStudy
        FhirRecord record = withMalformedImagingStudy();

        PatientData data = atHand(record, "patient-view", "MonitoringChecks");

        assertThat(ids(data)).containsExactly("Patient/pat-1");
        assertThat(skipped).containsExactly(1);
    }

    @Test
    void theSameMalformedResourceIsRefusedWhereARuleReadsItNamingIt() {
        FhirRecord record = withMalformedImagingStudy();

        // order-sign's rules read ImagingStudy (MRI activity)
        assertThatThrownBy(() -> atHand(record, "order-sign", "PreCourseChecks"))
                .isInstanceOf(HookException.class)
                .hasMessageContaining("Prefetch key 'imagingStudies' is not a valid FHIR R4 resource: entry 0, ImagingStudy/img-1");
    }

    @Test
    void aReportReadOnlyByValueSetIsParsedWhenItsCodeOrNameIsInOneAndSkippedOtherwise() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        report(record, "mri-coded", FhirRecord.concept(FhirRecord.LOINC, MRI_REPORT_CODE, "MR Brain W contrast IV"));
        report(record, "mri-text", FhirRecord.text("MRI spine with gadolinium"));
        report(record, "echo", FhirRecord.concept(FhirRecord.LOINC, "34552-0", "Cardiac 2D echo panel"));
        // unreadable, and unread: skipped without an error
        report(record, "broken", FhirRecord.concept(FhirRecord.LOINC, "34552-0", "Echo")).put("issued", "not a date");

        PatientData data = atHand(record, "order-sign", "PreCourseChecks");

        assertThat(ids(data)).contains("DiagnosticReport/mri-coded", "DiagnosticReport/mri-text")
                .doesNotContain("DiagnosticReport/echo", "DiagnosticReport/broken");
        assertThat(skipped).containsExactly(2);
    }

    private static ObjectNode observation(FhirRecord record, String id, ObjectNode code) {
        ObjectNode observation = record.add(RuleHarness.MAPPER.createObjectNode()
                .put("resourceType", "Observation").put("id", id).put("status", "final")
                .put("effectiveDateTime", "2026-11-01"));
        observation.putObject("subject").put("reference", "Patient/" + record.patientId());
        observation.set("code", code);
        return observation;
    }

    @Test
    void anObservationIsParsedWhenItsCodeAComponentCodeOrItsCodedValueIsReadAndSkippedOtherwise() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        observation(record, "bp-panel", FhirRecord.text("Vital signs panel")).putArray("component").addObject()
                .set("code", FhirRecord.concept(FhirRecord.LOINC, "8480-6", "Systolic blood pressure"));
        observation(record, "status", FhirRecord.text("Pregnancy status"))
                .set("valueCodeableConcept", FhirRecord.concept("http://snomed.info/sct", "77386006", "Pregnant"));
        observation(record, "height", FhirRecord.concept(FhirRecord.LOINC, "8302-2", "Body height"))
                .putObject("valueQuantity").put("value", 170).put("unit", "cm");
        observation(record, "other-panel", FhirRecord.text("Vital signs panel")).putArray("component").addObject()
                .set("code", FhirRecord.concept(FhirRecord.LOINC, "8302-2", "Body height"));

        PatientData data = atHand(record, "order-sign", "PreCourseChecks");

        assertThat(ids(data)).contains("Observation/bp-panel", "Observation/status")
                .doesNotContain("Observation/height", "Observation/other-panel");
        assertThat(skipped).containsExactly(2);
    }

    @Test
    void aCodeOfUnexpectedShapeIsLeftToTheParser() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        ObjectNode odd = report(record, "odd", FhirRecord.text("echo"));
        ((ObjectNode) odd.get("code")).put("text", 42); // not a string: the parser, not the filter, judges it
        report(record, "padded", FhirRecord.concept(FhirRecord.LOINC, " 34552-0", null));

        PatientData data = atHand(record, "order-sign", "PreCourseChecks");

        assertThat(ids(data)).contains("DiagnosticReport/odd", "DiagnosticReport/padded");
    }

    @Test
    void theRequestItselfIsNotChangedByTheFilter() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        report(record, "echo", FhirRecord.concept(FhirRecord.LOINC, "34552-0", "Cardiac 2D echo panel"));
        ObjectNode request = record.hookRequest("order-sign");
        String before = request.toString();

        assembler.atHand(HookRequest.from(request), RuleHarness.properties("UNION").prefetch(),
                readFilterOf("PreCourseChecks"));

        assertThat(request.toString()).isEqualTo(before);
        assertThat((ArrayNode) request.at("/prefetch/diagnosticReports/entry")).hasSize(1);
    }
}
