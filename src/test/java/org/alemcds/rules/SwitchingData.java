package org.alemcds.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;

/** Record builders shared by the switching/washout tests (catalogue §4.4). */
final class SwitchingData {

    static final ObjectNode NATALIZUMAB = FhirRecord.rxnorm("354770", "natalizumab");
    static final ObjectNode DIMETHYL_FUMARATE = FhirRecord.rxnorm("1373478", "dimethyl fumarate");
    static final ObjectNode TERIFLUNOMIDE = FhirRecord.rxnorm("1310520", "teriflunomide");
    static final ObjectNode FINGOLIMOD = FhirRecord.rxnorm("1012892", "fingolimod");
    static final ObjectNode INTERFERON_BETA_1A = FhirRecord.rxnorm("75917", "interferon beta-1a");
    static final ObjectNode AZATHIOPRINE = FhirRecord.rxnorm("1256", "azathioprine");
    static final ObjectNode MITOXANTRONE = FhirRecord.rxnorm("7005", "mitoxantrone");
    static final ObjectNode OCRELIZUMAB = FhirRecord.rxnorm("1876366", "ocrelizumab");
    static final ObjectNode CHOLESTYRAMINE = FhirRecord.rxnorm("2447", "Cholestyramine Resin");
    static final ObjectNode LEMTRADA = FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]");

    private SwitchingData() {}

    /** A completed medication statement from start to end (a documented stop, §2.3). */
    static ObjectNode stopped(FhirRecord record, ObjectNode drug, String start, String end) {
        return record.statement(drug.deepCopy(), "completed", start, end);
    }

    /** A medication request with a boundsPeriod. */
    static ObjectNode request(FhirRecord record, ObjectNode drug, String status, String authoredOn, String start, String end) {
        ObjectNode r = record.request(drug.deepCopy(), status, authoredOn);
        ObjectNode bounds = r.putArray("dosageInstruction").addObject().putObject("timing").putObject("repeat").putObject("boundsPeriod");
        if (start != null) {
            bounds.put("start", start);
        }
        if (end != null) {
            bounds.put("end", end);
        }
        return r;
    }

    /** An absolute lymphocyte count (LOINC 731-0). */
    static ObjectNode alc(FhirRecord record, double value, String unit, String date) {
        return record.observation("731-0", value, unit, date);
    }

    /** A WBC (LOINC 6690-2). */
    static ObjectNode wbc(FhirRecord record, double value, String unit, String date) {
        return record.observation("6690-2", value, unit, date);
    }

    /** A result with a local code known only by its text (JCV antibody, CSF JCV DNA, teriflunomide level). */
    static ObjectNode localResult(FhirRecord record, String codeText, String result, String date) {
        ObjectNode o = record.observation("0000-0", result, date);
        o.set("code", FhirRecord.text(codeText));
        return o;
    }

    static ObjectNode localResult(FhirRecord record, String codeText, double value, String unit, String date) {
        ObjectNode o = record.observation("0000-0", value, unit, date);
        o.set("code", FhirRecord.text(codeText));
        return o;
    }

    static ObjectNode jcvIndex(FhirRecord record, double index, String date) {
        return localResult(record, "JCV antibody index (STRATIFY JCV)", index, null, date);
    }

    /** A final MRI report (DiagnosticReport) with its conclusion. */
    static ObjectNode mri(FhirRecord record, String date, String conclusion) {
        ObjectNode r = FhirRecord.text("placeholder");
        r.removeAll();
        r.put("resourceType", "DiagnosticReport").put("status", "final");
        r.set("code", FhirRecord.text("MRI brain with and without contrast"));
        r.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        r.put("effectiveDateTime", date);
        r.put("conclusion", conclusion);
        return record.add(r);
    }

    /** A clinical relapse recorded as a condition with the EHR's local code. */
    static ObjectNode relapse(FhirRecord record, String date) {
        ObjectNode c = record.condition("0", "placeholder", date);
        c.set("code", FhirRecord.concept("http://ehr.example.org/local-codes", "MS-REL", "Multiple sclerosis relapse"));
        return c;
    }

    /** Five completed alemtuzumab infusions from the given day of a month (course 1), e.g. ("2024-03-", 4). */
    static void alemtuzumabCourse(FhirRecord record, String yearMonth, int firstDay, int infusions) {
        for (int i = 0; i < infusions; i++) {
            record.administration(LEMTRADA.deepCopy(), yearMonth + String.format("%02d", firstDay + i));
        }
    }
}
