package org.alemcds.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;

/** Records and resources shared by the pre-treatment lab tests (catalogue §4.5). */
final class LabFixtures {

    static final String TODAY = "2026-11-21";
    /** Planned course start (EvalDate) used by most tests: ahead of TODAY. */
    static final String START = "2026-12-01";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LabFixtures() {}

    static FhirRecord female() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    static FhirRecord male() {
        FhirRecord record = FhirRecord.male("1985-06-15");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    /** The 30-day rows of LAB-REQ (CBC, liver, kidney, thyroid, urinalysis, UPCR, coagulation, CRP/ESR) on one date. */
    static void routineLabs(FhirRecord record, String date) {
        record.observation("6690-2", 6.1, "10*9/L", date);
        record.observation("731-0", 1.8, "10*9/L", date);
        record.observation("777-3", 250, "10*9/L", date);
        record.observation("1920-8", 25, "U/L", date);
        record.observation("1742-6", 22, "U/L", date);
        record.observation("2324-2", 30, "U/L", date);
        record.observation("1975-2", 0.6, "mg/dL", date);
        record.observation("2160-0", 0.9, "mg/dL", date);
        record.observation("33914-3", 95, "mL/min/{1.73_m2}", date);
        record.observation("3016-3", 1.8, "m[IU]/L", date);
        record.observation("3053-6", 1.1, "ng/mL", date);
        record.observation("3024-7", 1.2, "ng/dL", date);
        record.observation("20454-5", "negative", date);
        record.observation("5794-3", "negative", date);
        record.observation("13945-1", 1, "/[HPF]", date);
        record.observation("2890-2", 0.1, "mg/mg", date);
        record.observation("6301-6", 1.0, "{INR}", date);
        record.observation("14979-9", 30, "s", date);
        record.observation("1988-5", 2, "mg/L", date);
        record.observation("4537-7", 8, "mm/h", date);
    }

    /** The 90-day rows (HBsAg, anti-HBc, HCV Ab, treponemal Ab, IGRA), all negative, plus a negative HIV screen. */
    static void serology(FhirRecord record, String date) {
        for (String loinc : new String[] {"5196-1", "16933-4", "16128-1", "24110-9", "71773-6", "56888-1"}) {
            record.observation(loinc, "negative", date);
        }
    }

    /** Every LAB-REQ row for this patient (HPV for women, skin exam [US]), plus a positive VZV IgG and a recent MRI. */
    static FhirRecord complete(FhirRecord record) {
        routineLabs(record, "2026-11-20");
        serology(record, "2026-11-20");
        record.observation("30167-1", "negative", "2026-06-10");
        procedure(record, "Full body skin examination", "2026-10-01");
        record.observation("19162-7", "positive", "2015-03-01");
        report(record, "MRI brain and spinal cord with and without contrast", "2026-11-05", "No new or enlarging lesions.");
        return record;
    }

    static ObjectNode immunization(FhirRecord record, String vaccine, String date) {
        ObjectNode i = MAPPER.createObjectNode();
        i.put("resourceType", "Immunization").put("status", "completed");
        i.set("vaccineCode", FhirRecord.text(vaccine));
        i.putObject("patient").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        i.put("occurrenceDateTime", date);
        return record.add(i);
    }

    static ObjectNode report(FhirRecord record, String name, String date, String conclusion) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("resourceType", "DiagnosticReport").put("status", "final");
        r.set("code", FhirRecord.text(name));
        r.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        r.put("effectiveDateTime", date);
        if (conclusion != null) {
            r.put("conclusion", conclusion);
        }
        return record.add(r);
    }

    static ObjectNode procedure(FhirRecord record, String name, String date) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("resourceType", "Procedure").put("status", "completed");
        p.set("code", FhirRecord.text(name));
        p.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        p.put("performedDateTime", date);
        return record.add(p);
    }

    static ObjectNode condition(FhirRecord record, String name, String onset) {
        ObjectNode c = record.condition("0", name, onset);
        c.set("code", FhirRecord.text(name));
        return c;
    }

    /** A completed alemtuzumab infusion (course history). */
    static ObjectNode infusion(FhirRecord record, String date) {
        return record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), date);
    }
}
