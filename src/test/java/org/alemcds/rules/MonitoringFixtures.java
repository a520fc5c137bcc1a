package org.alemcds.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.alemcds.cards.Card;
import org.alemcds.cards.CardAssembler;
import org.alemcds.hooks.FhirServerFetcher;
import org.alemcds.hooks.HookRequest;
import org.alemcds.hooks.PatientDataAssembler;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;

/** Records of alemtuzumab-treated patients for the post-treatment monitoring rules (catalogue §4.8). */
public final class MonitoringFixtures {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Course 1: 2025-03-03 … 2025-03-07 (last infusion 2025-03-07, monitoring until 2029-03-07). */
    static final String DAY1 = "2025-03-03";
    static final String LAST_INFUSION = "2025-03-07";

    private MonitoringFixtures() {}

    public static ObjectNode lemtrada() {
        return FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]");
    }

    /** A female patient (born 1990) with a completed 5-day first course from 2025-03-03. */
    static FhirRecord treatedFemale() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        course(record, DAY1, 5);
        return record;
    }

    static FhirRecord treatedMale() {
        FhirRecord record = FhirRecord.male("1985-06-10");
        course(record, DAY1, 5);
        return record;
    }

    /** Daily alemtuzumab administrations from the given day. */
    public static void course(FhirRecord record, String firstDay, int days) {
        LocalDate day = LocalDate.parse(firstDay);
        for (int i = 0; i < days; i++) {
            record.administration(lemtrada(), day.plusDays(i).toString());
        }
    }

    /** A complete monthly panel (CBC with differential, creatinine, urinalysis with microscopy), all normal. */
    public static void monthlyPanel(FhirRecord record, String date) {
        record.observation("6690-2", 6.0, "10*9/L", date);
        record.observation("731-0", 0.6, "10*9/L", date);
        record.observation("777-3", 240, "10*9/L", date);
        record.observation("2160-0", 0.8, "mg/dL", date);
        record.observation("5794-3", "negative", date);
        record.observation("20454-5", "negative", date);
        record.observation("13945-1", 1, "/[HPF]", date);
    }

    /** Everything the schedule asks for, done on the given date (TSH, LFT, HPV, skin exam too). */
    public static void allMonitoringDone(FhirRecord record, String date) {
        monthlyPanel(record, date);
        record.observation("3016-3", 1.8, "mIU/L", date);
        record.observation("1742-6", 25, "U/L", date);
        record.observation("1920-8", 22, "U/L", date);
        record.observation("1975-2", 0.6, "mg/dL", date);
        record.observation("30167-1", "negative", date);
        skinExam(record, date);
    }

    public static ObjectNode skinExam(FhirRecord record, String date) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("resourceType", "Procedure").put("status", "completed");
        p.set("code", FhirRecord.text("Total body skin examination (dermatology)"));
        p.putObject("subject").put("reference", "Patient/" + record.patientId());
        p.put("performedDateTime", date);
        return record.add(p);
    }

    static ObjectNode immunization(FhirRecord record, String cvx, String display, String date) {
        ObjectNode i = MAPPER.createObjectNode();
        i.put("resourceType", "Immunization").put("status", "completed");
        i.set("vaccineCode", FhirRecord.concept("http://hl7.org/fhir/sid/cvx", cvx, display));
        i.putObject("patient").put("reference", "Patient/" + record.patientId());
        i.put("occurrenceDateTime", date);
        return record.add(i);
    }

    static ObjectNode withReferenceRange(ObjectNode observation, Double low, Double high, String unit) {
        ObjectNode range = observation.putArray("referenceRange").addObject();
        if (low != null) {
            range.putObject("low").put("value", low).put("unit", unit).put("system", "http://unitsofmeasure.org").put("code", unit);
        }
        if (high != null) {
            range.putObject("high").put("value", high).put("unit", unit).put("system", "http://unitsofmeasure.org").put("code", unit);
        }
        return observation;
    }

    static List<Card> view(FhirRecord record, String today) {
        return RuleHarness.patientView(record, today);
    }

    static List<Card> rule(FhirRecord record, String today, String ruleId) {
        return RuleHarness.cardsOf(RuleHarness.patientView(record, today), ruleId);
    }

    /**
     * Evaluates the order-hook part of MON-VACCINE (the CQL definitions the lead wires into an order-select/order-sign
     * service) on an order-sign request for the record's draft orders.
     */
    static Map<String, Object> vaccineOrderHook(FhirRecord record, String today) {
        return definitions(record, today, "order-sign", "MonitoringVaccination",
                List.of("Is Vaccine Order Being Decided", "Is Vaccine Order Applicable", "Vaccine Order Cards"));
    }

    /** Evaluates definitions of a library on a request of the given hook for the record (UNION profile). */
    static Map<String, Object> definitions(FhirRecord record, String today, String hook, String library, List<String> names) {
        var properties = RuleHarness.properties("UNION");
        var assembler = new PatientDataAssembler(RuleHarness.FHIR, new FhirServerFetcher(RuleHarness.FHIR, properties.fhirClient()));
        var data = assembler.atHand(HookRequest.from(record.hookRequest(hook)), properties.prefetch());
        var now = LocalDate.parse(today).atTime(10, 0).atZone(ZoneOffset.UTC);
        return RuleHarness.ENGINE.evaluate(
                library,
                names,
                data.bundle(),
                data.patientId(),
                Map.of("Decided Order Ids", data.decidedOrderIds(), "Hook", hook, "Deployment Profile", "UNION"),
                now);
    }

    static List<Card> vaccineOrderCards(FhirRecord record, String today) {
        return new CardAssembler(RuleHarness.DEFINITIONS, RuleHarness.MAPPER)
                .assemble(vaccineOrderHook(record, today).get("Vaccine Order Cards"), FhirRecord.PATIENT_ID);
    }
}
