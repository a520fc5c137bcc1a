package org.alemcds.rules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.cards.CardAssembler;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.FhirServerFetcher;
import org.alemcds.hooks.HookRequest;
import org.alemcds.hooks.HookService;
import org.alemcds.hooks.PatientDataAssembler;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;

/** Orders and records shared by the premedication tests (catalogue §4.7). */
final class PremedicationFixtures {

    static final String TODAY = "2026-02-20";
    /** Course 1 planned 2026-03-02 to 2026-03-06 (5 days): 1 month after the last infusion 2026-04-06, 2 months 2026-05-06. */
    static final String DAY1 = "2026-03-02";

    private static int next = 1;

    private PremedicationFixtures() {}

    /** A first course of 5 days from DAY1 for a 36-year-old woman. */
    static FhirRecord firstCourse() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        record.draftAlemtuzumab(DAY1, 5);
        return record;
    }

    /**
     * A MedicationRequest with one empty dosage line: a draft of the ordering session (context.draftOrders) when
     * the status is "draft", else a stored order (prefetch).
     */
    static ObjectNode order(FhirRecord record, ObjectNode medication, String status) {
        ObjectNode r = RuleHarness.MAPPER.createObjectNode();
        r.put("resourceType", "MedicationRequest").put("id", "premed-" + next++);
        r.put("status", status).put("intent", "order");
        r.set("medicationCodeableConcept", medication);
        r.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        r.putArray("dosageInstruction").addObject();
        if (status.equals("draft")) {
            record.draft(r);
        } else {
            record.add(r);
        }
        return r;
    }

    static ObjectNode dosage(ObjectNode order) {
        return (ObjectNode) order.get("dosageInstruction").get(0);
    }

    /** Daily schedule: boundsPeriod start/end (either may be null), repeat count (may be null), doses per day. */
    static ObjectNode schedule(ObjectNode order, String start, String end, Integer count, int perDay) {
        ObjectNode repeat = dosage(order).putObject("timing").putObject("repeat");
        if (start != null || end != null) {
            ObjectNode bounds = repeat.putObject("boundsPeriod");
            if (start != null) {
                bounds.put("start", start);
            }
            if (end != null) {
                bounds.put("end", end);
            }
        }
        if (count != null) {
            repeat.put("count", count);
        }
        repeat.put("frequency", perDay).put("period", 1).put("periodUnit", "d");
        return order;
    }

    static ObjectNode dose(ObjectNode order, double value, String unit) {
        dosage(order).putArray("doseAndRate").addObject().putObject("doseQuantity")
                .put("value", value).put("unit", unit).put("system", "http://unitsofmeasure.org").put("code", unit);
        return order;
    }

    static ObjectNode route(ObjectNode order, String snomed, String display) {
        dosage(order).set("route", FhirRecord.concept(FhirRecord.SNOMED, snomed, display));
        return order;
    }

    static ObjectNode intravenous(ObjectNode order) {
        return route(order, "47625008", "Intravenous route");
    }

    static ObjectNode methylprednisolone1g() {
        return FhirRecord.rxnorm("1743726", "methylprednisolone 1000 MG Injection");
    }

    /** Draft IV methylprednisolone, one dose a day for the given days from start. */
    static ObjectNode draftMethylprednisolone(FhirRecord record, String start, int days, double mg) {
        ObjectNode order = order(record, methylprednisolone1g(), "draft");
        schedule(order, start, null, days, 1);
        dose(order, mg, "mg");
        return intravenous(order);
    }

    static ObjectNode acyclovir() {
        return FhirRecord.rxnorm("197311", "acyclovir 400 MG Oral Tablet");
    }

    /** Draft acyclovir 400 mg twice daily from start to end (end null: open-ended). */
    static ObjectNode draftAcyclovir(FhirRecord record, String start, String end) {
        ObjectNode order = order(record, acyclovir(), "draft");
        schedule(order, start, end, null, 2);
        return dose(order, 400, "mg");
    }

    /** Gives a course of the given number of daily alemtuzumab infusions starting on the date. */
    static void course(FhirRecord record, String firstDay, int infusions) {
        LocalDate day = LocalDate.parse(firstDay);
        for (int i = 0; i < infusions; i++) {
            record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), day.plusDays(i).toString());
        }
    }

    /** order-select where only the given draft is selected; the other drafts of the session are context. */
    static List<Card> orderSelectOnly(FhirRecord record, String today, ObjectNode selected) {
        CdsProperties properties = RuleHarness.properties("UNION");
        var fetcher = new FhirServerFetcher(RuleHarness.FHIR, properties.fhirClient());
        var clock = Clock.fixed(LocalDate.parse(today).atTime(10, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        var service = new HookService(properties, new PatientDataAssembler(RuleHarness.FHIR, fetcher), RuleHarness.ENGINE,
                new CardAssembler(RuleHarness.DEFINITIONS, RuleHarness.MAPPER), clock);
        ObjectNode request = record.hookRequest("order-select");
        ArrayNode selections = ((ObjectNode) request.get("context")).putArray("selections");
        selections.add(selected.get("resourceType").asText() + "/" + selected.get("id").asText());
        var definition = properties.services().stream().filter(s -> s.hook().equals("order-select")).findFirst().orElseThrow();
        return service.answer(definition, HookRequest.from(request));
    }

    /** The resource of a card's only suggestion. */
    static com.fasterxml.jackson.databind.JsonNode suggestedResource(Card card, int index) {
        return card.suggestions().get(index).actions().get(0).resource();
    }
}
