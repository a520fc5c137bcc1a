package org.alemcds.rules;

import static org.alemcds.rules.PremedicationFixtures.DAY1;
import static org.alemcds.rules.PremedicationFixtures.TODAY;
import static org.alemcds.rules.PremedicationFixtures.acyclovir;
import static org.alemcds.rules.PremedicationFixtures.dosage;
import static org.alemcds.rules.PremedicationFixtures.draftAcyclovir;
import static org.alemcds.rules.PremedicationFixtures.firstCourse;
import static org.alemcds.rules.PremedicationFixtures.order;
import static org.alemcds.rules.PremedicationFixtures.schedule;
import static org.alemcds.rules.PremedicationFixtures.suggestedResource;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/**
 * PRE-ANTIVIRAL: herpes prophylaxis start and duration (catalogue §4.7). Course 2026-03-02 to 2026-03-06:
 * EU_min_end = 2026-04-06, US end = 2026-05-06.
 */
class AntiviralProphylaxisTest {

    private static final String EU_ONLY =
            "Antiviral prophylaxis meets the 1-month minimum; conservative: continue ≥2 months and until CD4 ≥200/µL.";

    @Test
    void noProphylaxisIsAWarningSuggestingAcyclovirFromDay1() {
        var cards = orderSign(firstCourse(), TODAY);

        assertThat(cardsOf(cards, "PRE-ANTIVIRAL")).as(describe(cards)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "No antiherpes prophylaxis ordered: start acyclovir (e.g., 200 mg bid) on day 1 of the course.");
            assertThat(card.detail()).contains("last planned infusion: 2026-03-06").contains("valacyclovir is an alternative");
            var resource = suggestedResource(card, 0);
            assertThat(resource.get("resourceType").asText()).isEqualTo("MedicationRequest");
            assertThat(resource.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("281");
            assertThat(resource.at("/dosageInstruction/0/text").asText()).isEqualTo(
                    "200 mg orally twice daily from course day 1 (2026-03-02) until at least 2026-05-06 (2 months after the "
                            + "last infusion) and until CD4 ≥200 cells/µL, whichever is later (minimum: 1 month after the last "
                            + "infusion, 2026-04-06).");
            // the same dosage, structured: 200 mg orally twice a day from course day 1 to the conservative end
            assertThat(resource.at("/dosageInstruction/0/doseAndRate/0/doseQuantity/value").decimalValue()).isEqualByComparingTo("200");
            assertThat(resource.at("/dosageInstruction/0/doseAndRate/0/doseQuantity/code").asText()).isEqualTo("mg");
            assertThat(resource.at("/dosageInstruction/0/route/coding/0/code").asText()).isEqualTo("26643006");
            assertThat(resource.at("/dosageInstruction/0/timing/repeat/frequency").asInt()).isEqualTo(2);
            assertThat(resource.at("/dosageInstruction/0/timing/repeat/period").asInt()).isEqualTo(1);
            assertThat(resource.at("/dosageInstruction/0/timing/repeat/periodUnit").asText()).isEqualTo("d");
            assertThat(resource.at("/dosageInstruction/0/timing/repeat/boundsPeriod/start").asText()).isEqualTo("2026-03-02");
            assertThat(resource.at("/dosageInstruction/0/timing/repeat/boundsPeriod/end").asText()).isEqualTo("2026-05-06");
        });
    }

    @Test
    void openEndedOrderFromDay1Passes() {
        FhirRecord record = firstCourse();
        draftAcyclovir(record, DAY1, null);

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-ANTIVIRAL")).as(describe(cards)).isEmpty();
    }

    @Test
    void endingExactlyOneMonthAfterTheLastInfusionMeetsTheMinimumAndIsInfo() {
        FhirRecord record = firstCourse();
        draftAcyclovir(record, DAY1, "2026-04-06");

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(EU_ONLY);
            var resource = suggestedResource(card, 0);
            assertThat(resource.get("resourceType").asText()).isEqualTo("ServiceRequest");
            assertThat(resource.at("/code/coding/0/system").asText()).isEqualTo(FhirRecord.LOINC);
            assertThat(resource.at("/code/coding/0/code").asText()).isEqualTo("24467-3");
            assertThat(resource.at("/note/0/text").asText()).isEqualTo(
                    "CD4 count 2 months after the last alemtuzumab infusion (2026-05-06): continue antiherpes prophylaxis until CD4 ≥200 cells/µL.");
        });
    }

    @Test
    void endingOneDayBeforeTheMinimumIsAWarning() {
        FhirRecord record = firstCourse();
        draftAcyclovir(record, DAY1, "2026-04-05");

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Antiviral prophylaxis ends 2026-04-05: continue ≥1 month after last infusion (US: ≥2 months and CD4 ≥200/µL).");
        });
    }

    @Test
    void twoMonthsAndConditionedOnCd4Passes() {
        FhirRecord record = firstCourse();
        ObjectNode order = draftAcyclovir(record, DAY1, "2026-05-06");
        dosage(order).put("text", "400 mg bid; continue until CD4 ≥200 cells/µL");

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-ANTIVIRAL")).as(describe(cards)).isEmpty();
    }

    @Test
    void cd4ConditionInThePatientInstructionCounts() {
        FhirRecord record = firstCourse();
        ObjectNode order = draftAcyclovir(record, DAY1, "2026-06-30");
        dosage(order).put("patientInstruction", "Keep taking it until your CD4 count is at least 200.");

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).isEmpty();
    }

    @Test
    void twoMonthsWithoutCd4ConditionIsInfo() {
        FhirRecord record = firstCourse();
        draftAcyclovir(record, DAY1, "2026-05-06");

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.summary()).isEqualTo(EU_ONLY));
    }

    @Test
    void cd4ConditionButOneDayShortOfTwoMonthsIsInfo() {
        FhirRecord record = firstCourse();
        ObjectNode order = draftAcyclovir(record, DAY1, "2026-05-05");
        dosage(order).put("text", "until CD4 >= 200/uL");

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
    }

    @Test
    void startingTheEveningBeforeDay1Passes() {
        FhirRecord record = firstCourse();
        draftAcyclovir(record, "2026-03-01T20:00:00Z", null);

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-ANTIVIRAL")).as(describe(cards)).isEmpty();
    }

    @Test
    void startingOnDay2IsAWarning() {
        FhirRecord record = firstCourse();
        draftAcyclovir(record, "2026-03-03", null);

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Antiviral prophylaxis starts 2026-03-03, after course day 1 (2026-03-02): start it on day 1 (or the evening before).");
        });
    }

    @Test
    void lateAndShortGiveTwoWarnings() {
        FhirRecord record = firstCourse();
        draftAcyclovir(record, "2026-03-04", "2026-03-31");

        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).extracting(c -> c.summary())
                .containsExactlyInAnyOrder(
                        "Antiviral prophylaxis starts 2026-03-04, after course day 1 (2026-03-02): start it on day 1 (or the evening before).",
                        "Antiviral prophylaxis ends 2026-03-31: continue ≥1 month after last infusion (US: ≥2 months and CD4 ≥200/µL).");
    }

    @Test
    void repeatCountSetsThePlannedEnd() {
        // 70 doses twice daily = 35 days from 2026-03-02 → last dose 2026-04-05; 72 doses → 2026-04-06
        FhirRecord shortCount = firstCourse();
        schedule(order(shortCount, acyclovir(), "draft"), DAY1, null, 70, 2);
        assertThat(cardsOf(orderSign(shortCount, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Antiviral prophylaxis ends 2026-04-05:"));

        FhirRecord enough = firstCourse();
        schedule(order(enough, acyclovir(), "draft"), DAY1, null, 72, 2);
        assertThat(cardsOf(orderSign(enough, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.summary()).isEqualTo(EU_ONLY));
    }

    @Test
    void undatedDraftWithSupplyDurationStartsOnDay1AndEndsWithTheSupply() {
        FhirRecord record = firstCourse();
        ObjectNode order = order(record, FhirRecord.text("Valacyclovir 500 mg"), "draft");
        order.putObject("dispenseRequest").put("numberOfRepeatsAllowed", 0)
                .putObject("expectedSupplyDuration").put("value", 30).put("unit", "days").put("code", "d");

        // 30 days from 2026-03-02 → last day 2026-03-31
        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Antiviral prophylaxis ends 2026-03-31:"));
    }

    @Test
    void laterAnchorIsTheLastPlannedInfusionOfAThreeDayCourse() {
        FhirRecord record = FhirRecord.male("1985-05-05");
        PremedicationFixtures.course(record, "2025-01-06", 5);
        record.draftAlemtuzumab(DAY1, 3); // last planned infusion 2026-03-04 → minimum end 2026-04-04
        draftAcyclovir(record, DAY1, "2026-04-04");
        assertThat(cardsOf(orderSign(record, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));

        FhirRecord shortOne = FhirRecord.male("1985-05-05");
        PremedicationFixtures.course(shortOne, "2025-01-06", 5);
        shortOne.draftAlemtuzumab(DAY1, 3);
        draftAcyclovir(shortOne, DAY1, "2026-04-03");
        assertThat(cardsOf(orderSign(shortOne, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void monthArithmeticIsClampedAtTheMonthEnd() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        record.draftAlemtuzumab("2026-01-27", 5); // last planned infusion 2026-01-31 → + 1 month = 2026-02-28
        draftAcyclovir(record, "2026-01-27", "2026-02-28");
        assertThat(cardsOf(orderSign(record, "2026-01-20"), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));

        FhirRecord shortOne = FhirRecord.female("1990-01-01");
        shortOne.draftAlemtuzumab("2026-01-27", 5);
        draftAcyclovir(shortOne, "2026-01-27", "2026-02-27");
        assertThat(cardsOf(orderSign(shortOne, "2026-01-20"), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void activeLongTermOrderCountsButAnOldOrderThatEndedBeforeDay1DoesNot() {
        FhirRecord running = firstCourse();
        schedule(order(running, FhirRecord.rxnorm("73645", "valacyclovir"), "active"), "2025-10-01", null, null, 2);
        assertThat(cardsOf(orderSign(running, TODAY), "PRE-ANTIVIRAL")).isEmpty();

        FhirRecord old = firstCourse();
        schedule(order(old, acyclovir(), "active"), "2025-01-06", "2025-03-06", null, 2);
        assertThat(cardsOf(orderSign(old, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("No antiherpes prophylaxis ordered"));

        FhirRecord stopped = firstCourse();
        schedule(order(stopped, acyclovir(), "stopped"), DAY1, null, null, 2);
        assertThat(cardsOf(orderSign(stopped, TODAY), "PRE-ANTIVIRAL")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("No antiherpes prophylaxis ordered"));
    }

    @Test
    void medicationReferenceIsFollowed() {
        FhirRecord record = firstCourse();
        // the Medication travels with the draft orders (prefetch keys carry no Medication)
        ObjectNode medication = RuleHarness.MAPPER.createObjectNode().put("resourceType", "Medication").put("id", "med-famvir");
        medication.set("code", FhirRecord.text("Famciclovir 250 mg tablet"));
        record.draft(medication);
        ObjectNode order = order(record, FhirRecord.text("placeholder"), "draft");
        order.remove("medicationCodeableConcept");
        order.putObject("medicationReference").put("reference", "Medication/med-famvir");
        schedule(order, DAY1, null, null, 2);

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-ANTIVIRAL")).as(describe(cards)).isEmpty();
    }
}
