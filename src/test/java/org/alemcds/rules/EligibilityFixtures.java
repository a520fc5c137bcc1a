package org.alemcds.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;

/** Record fragments shared by the eligibility tests (catalogue §4.1). */
final class EligibilityFixtures {

    static final String TODAY = "2026-11-21";
    /** Planned start of the course = EvalDate. 12 months before: 2025-12-01; 24 months before: 2024-12-01. */
    static final String START = "2026-12-01";
    static final String LOCAL = "http://hospital.example/codes";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EligibilityFixtures() {}

    /** A patient with confirmed RRMS and a draft first course starting on START. */
    static FhirRecord rrmsPatient() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        rrms(record, "2021-05-10");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    /** A patient without any diagnosis and a draft first course starting on START. */
    static FhirRecord bare(String birthDate) {
        FhirRecord record = FhirRecord.female(birthDate);
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    static ObjectNode rrms(FhirRecord record, String onset) {
        return record.condition("426373005", "Relapsing remitting multiple sclerosis", onset);
    }

    /** A completed first course (5 infusions) in June 2025, so that the draft order is course 2. */
    static void previousCourse(FhirRecord record) {
        for (int day = 1; day <= 5; day++) {
            record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2025-06-0" + day);
        }
    }

    /** A relapse as a locally coded problem-list entry. */
    static ObjectNode relapse(FhirRecord record, String onset) {
        ObjectNode c = record.condition("x", "x", onset);
        c.set("code", FhirRecord.concept(LOCAL, "MS-REL", "Multiple sclerosis relapse"));
        FhirRecord.clinicalStatus(c, "resolved");
        return c;
    }

    /** A final MRI report with a free-text conclusion. */
    static ObjectNode mri(FhirRecord record, String date, String conclusion) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("resourceType", "DiagnosticReport").put("status", "final");
        r.set("code", FhirRecord.text("MRI brain and spinal cord with and without contrast"));
        r.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        r.put("effectiveDateTime", date);
        r.put("conclusion", conclusion);
        return record.add(r);
    }

    static ObjectNode activeMri(FhirRecord record, String date) {
        return mri(record, date, "Two new gadolinium-enhancing lesions in the periventricular white matter.");
    }

    static ObjectNode quietMri(FhirRecord record, String date) {
        return mri(record, date, "Stable lesion load, no new or enhancing lesions.");
    }

    /** A final EDSS score recorded with a local code. */
    static ObjectNode edss(FhirRecord record, double score, String date) {
        ObjectNode o = record.observation("x", score, "{score}", date);
        o.set("code", FhirRecord.concept(LOCAL, "EDSS", "EDSS score"));
        return o;
    }

    static ObjectNode drug(String text) {
        return FhirRecord.text(text);
    }
}
