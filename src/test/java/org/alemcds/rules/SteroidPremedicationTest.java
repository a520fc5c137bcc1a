package org.alemcds.rules;

import static org.alemcds.rules.PremedicationFixtures.DAY1;
import static org.alemcds.rules.PremedicationFixtures.TODAY;
import static org.alemcds.rules.PremedicationFixtures.course;
import static org.alemcds.rules.PremedicationFixtures.dose;
import static org.alemcds.rules.PremedicationFixtures.draftMethylprednisolone;
import static org.alemcds.rules.PremedicationFixtures.firstCourse;
import static org.alemcds.rules.PremedicationFixtures.intravenous;
import static org.alemcds.rules.PremedicationFixtures.order;
import static org.alemcds.rules.PremedicationFixtures.orderSelectOnly;
import static org.alemcds.rules.PremedicationFixtures.route;
import static org.alemcds.rules.PremedicationFixtures.schedule;
import static org.alemcds.rules.PremedicationFixtures.suggestedResource;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** PRE-STEROID: methylprednisolone before the infusions on days 1–3 of every course (catalogue §4.7). */
class SteroidPremedicationTest {

    private static final String STANDARD =
            "Add methylprednisolone 1,000 mg IV ~60 min before alemtuzumab on days 1–3 of the course.";

    @Test
    void noMethylprednisoloneIsAWarningWithAMedicationRequestSuggestion() {
        FhirRecord record = firstCourse();

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-STEROID")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(STANDARD);
            assertThat(card.detail()).contains("No IV methylprednisolone on: **2026-03-02 (infusion 1), 2026-03-03 (infusion 2), 2026-03-04 (infusion 3)**");
            assertThat(card.overrideReasons()).hasSize(3);
            assertThat(card.suggestions()).hasSize(1);
            var action = card.suggestions().get(0).actions().get(0);
            assertThat(action.type()).isEqualTo("create");
            var resource = action.resource();
            assertThat(resource.get("resourceType").asText()).isEqualTo("MedicationRequest");
            assertThat(resource.get("status").asText()).isEqualTo("draft");
            assertThat(resource.get("intent").asText()).isEqualTo("proposal");
            assertThat(resource.at("/subject/reference").asText()).isEqualTo("Patient/" + FhirRecord.PATIENT_ID);
            assertThat(resource.at("/medicationCodeableConcept/coding/0/system").asText()).isEqualTo(FhirRecord.RXNORM);
            assertThat(resource.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("1743726");
            assertThat(resource.at("/medicationCodeableConcept/text").asText()).isEqualTo("methylprednisolone 1000 MG Injection");
            assertThat(resource.at("/dosageInstruction/0/text").asText()).isEqualTo(
                    "1,000 mg IV as a short infusion ~60 min before alemtuzumab on 2026-03-02, 2026-03-03, 2026-03-04; "
                            + "separate infusion, never mixed with alemtuzumab.");
        });
    }

    @Test
    void methylprednisolone1gOnDays1To3IsSilent() {
        FhirRecord record = firstCourse();
        draftMethylprednisolone(record, DAY1, 3, 1000);

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-STEROID")).as(describe(cards)).isEmpty();
    }

    @Test
    void methylprednisoloneOnDay1OnlyIsAWarningNamingDays2And3() {
        FhirRecord record = firstCourse();
        draftMethylprednisolone(record, DAY1, 1, 1000);

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(STANDARD);
            assertThat(card.detail()).contains("No IV methylprednisolone on: **2026-03-03 (infusion 2), 2026-03-04 (infusion 3)**");
            assertThat(card.detail()).contains("methylprednisolone 1000 MG Injection (draft order, 1000 mg, 2026-03-02 to 2026-03-02)");
            assertThat(suggestedResource(card, 0).at("/dosageInstruction/0/text").asText())
                    .contains("on 2026-03-03, 2026-03-04;");
        });
    }

    @Test
    void methylprednisoloneFromDay2IsAWarningForDay1() {
        FhirRecord record = firstCourse();
        draftMethylprednisolone(record, "2026-03-03", 3, 1000);

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("No IV methylprednisolone on: **2026-03-02 (infusion 1)**"));
    }

    @Test
    void methylprednisolone500mgIsInfoNotWarning() {
        FhirRecord record = firstCourse();
        draftMethylprednisolone(record, DAY1, 3, 500);

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Methylprednisolone 500 mg ordered on course days 1–3: the sources use 1,000 mg IV on days 1–3.");
            assertThat(card.suggestions()).isEmpty();
        });
    }

    @Test
    void doseInGramsIsConverted() {
        FhirRecord record = firstCourse();
        ObjectNode order = order(record, FhirRecord.text("Solu-Medrol 1 g IV"), "draft");
        schedule(order, DAY1, "2026-03-04", null, 1);
        dose(order, 1, "g");

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-STEROID")).as(describe(cards)).isEmpty();
    }

    @Test
    void doseJustBelow1gIsInfo() {
        FhirRecord record = firstCourse();
        draftMethylprednisolone(record, DAY1, 3, 999.5);

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Methylprednisolone 999.5 mg ordered"));
    }

    @Test
    void oralMethylprednisoloneDoesNotCount() {
        FhirRecord record = firstCourse();
        ObjectNode order = order(record, FhirRecord.rxnorm("199771", "methylprednisolone 100 MG Oral Tablet"), "draft");
        schedule(order, DAY1, null, 3, 1);

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("Not counted (not IV): methylprednisolone 100 MG Oral Tablet");
        });
    }

    @Test
    void documentedOralRouteDoesNotCountButMissingRouteDoes() {
        FhirRecord oral = firstCourse();
        route(draftMethylprednisolone(oral, DAY1, 3, 1000), "26643006", "Oral route");
        assertThat(cardsOf(orderSign(oral, TODAY), "PRE-STEROID")).hasSize(1);

        FhirRecord noRoute = firstCourse();
        ObjectNode order = draftMethylprednisolone(noRoute, DAY1, 3, 1000);
        PremedicationFixtures.dosage(order).remove("route");
        assertThat(cardsOf(orderSign(noRoute, TODAY), "PRE-STEROID")).isEmpty();
    }

    @Test
    void activeAndOnHoldOrdersCountButStoppedOrdersDoNot() {
        for (String status : new String[] {"active", "on-hold"}) {
            FhirRecord record = firstCourse();
            ObjectNode order = order(record, FhirRecord.rxnorm("6902", "methylprednisolone"), status);
            schedule(order, DAY1, null, 3, 1);
            intravenous(order);
            assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).as(status).isEmpty();
        }
        for (String status : new String[] {"stopped", "completed", "cancelled", "entered-in-error"}) {
            FhirRecord record = firstCourse();
            ObjectNode order = order(record, FhirRecord.rxnorm("6902", "methylprednisolone"), status);
            schedule(order, DAY1, null, 3, 1);
            assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).as(status).hasSize(1);
        }
    }

    @Test
    void unselectedDraftOnOrderSelectIsContextAndCounts() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        ObjectNode alemtuzumab = record.draftAlemtuzumab(DAY1, 5);
        draftMethylprednisolone(record, DAY1, 3, 1000);

        var cards = orderSelectOnly(record, TODAY, alemtuzumab);
        assertThat(cardsOf(cards, "PRE-STEROID")).as(describe(cards)).isEmpty();
        // the rule itself runs on order-select (not a standard info card)
        assertThat(cardsOf(orderSelect(firstCourse(), TODAY), "PRE-STEROID")).hasSize(1);
    }

    @Test
    void laterCourseNeedsDays1To3Too() {
        FhirRecord record = FhirRecord.male("1985-05-05");
        course(record, "2025-01-06", 5);
        record.draftAlemtuzumab("2026-03-02", 3);
        draftMethylprednisolone(record, "2026-03-02", 2, 1000);

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-STEROID")).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("No IV methylprednisolone on: **2026-03-04 (infusion 3)**"));
    }

    @Test
    void resumedInterruptedCourseNeedsMethylprednisoloneBeforeEveryRemainingInfusion() {
        FhirRecord record = FhirRecord.female("1980-01-01");
        course(record, "2026-11-02", 3); // 3 of 5, last 2026-11-04
        record.draftAlemtuzumab("2026-11-20", 2); // infusions 4 and 5 after a break
        draftMethylprednisolone(record, "2026-11-20", 1, 1000);

        assertThat(cardsOf(orderSign(record, "2026-11-19"), "PRE-STEROID")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Add methylprednisolone IV before each remaining infusion of the interrupted course (1 infusion).");
            assertThat(card.detail()).contains("2026-11-21 (infusion 5)").contains("completing interrupted course 1");
        });

        FhirRecord covered = FhirRecord.female("1980-01-01");
        course(covered, "2026-11-02", 3);
        covered.draftAlemtuzumab("2026-11-20", 2);
        draftMethylprednisolone(covered, "2026-11-20", 2, 1000);
        assertThat(cardsOf(orderSign(covered, "2026-11-19"), "PRE-STEROID")).isEmpty();
    }

    @Test
    void fourRemainingInfusionsFitTheSummaryAndTheirDatesTheDetail() {
        FhirRecord record = FhirRecord.female("1980-01-01");
        course(record, "2026-11-02", 1);
        record.draftAlemtuzumab("2026-11-20", 4);

        assertThat(cardsOf(orderSign(record, "2026-11-19"), "PRE-STEROID")).singleElement().satisfies(card -> {
            assertThat(card.summary()).isEqualTo(
                    "Add methylprednisolone IV before each remaining infusion of the interrupted course (4 infusions).");
            assertThat(card.detail()).contains("2026-11-20").contains("2026-11-23");
        });
    }

    @Test
    void resumedInterruptedCourseAcceptsLowerDosesAfterDay3() {
        FhirRecord record = FhirRecord.female("1980-01-01");
        course(record, "2026-11-02", 3);
        record.draftAlemtuzumab("2026-11-20", 2);
        draftMethylprednisolone(record, "2026-11-20", 2, 100); // S0: 100 mg on days 4–5

        assertThat(cardsOf(orderSign(record, "2026-11-19"), "PRE-STEROID")).isEmpty();
    }

    @Test
    void oneOrderPerInfusionDayNeedsMethylprednisoloneOnlyUpToInfusion3() {
        FhirRecord day3 = FhirRecord.female("1980-01-01");
        course(day3, DAY1, 2); // infusions on 03-02 and 03-03
        day3.draftAlemtuzumab("2026-03-04", 1);
        assertThat(cardsOf(orderSign(day3, "2026-03-04"), "PRE-STEROID")).singleElement()
                .satisfies(card -> {
                    assertThat(card.summary()).isEqualTo(STANDARD);
                    assertThat(card.detail()).contains("No IV methylprednisolone on: **2026-03-04 (infusion 3)**");
                });

        FhirRecord day4 = FhirRecord.female("1980-01-01");
        course(day4, DAY1, 3);
        day4.draftAlemtuzumab("2026-03-05", 1);
        var cards = orderSign(day4, "2026-03-05");
        assertThat(cardsOf(cards, "PRE-STEROID")).as(describe(cards)).isEmpty();
    }

    @Test
    void methylprednisoloneGivenTodayCountsForDay1() {
        FhirRecord record = firstCourse();
        ObjectNode given = record.administration(FhirRecord.rxnorm("1743726", "methylprednisolone 1000 MG Injection"), DAY1);
        given.putObject("dosage").putObject("dose").put("value", 1000).put("unit", "mg").put("code", "mg");
        draftMethylprednisolone(record, "2026-03-03", 2, 1000);

        assertThat(cardsOf(orderSign(record, DAY1), "PRE-STEROID")).isEmpty();
    }
}
