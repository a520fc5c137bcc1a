package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** CI-ACTIVE-INFECTION and CI-ACTIVE-TB (catalogue §4.2). */
class InfectionContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.male("1988-06-15");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    private static ObjectNode condition(FhirRecord record, String text, String onset) {
        ObjectNode c = record.condition("0", text, onset);
        c.set("code", FhirRecord.text(text));
        return c;
    }

    private static List<Card> infection(FhirRecord record, String today) {
        return cardsOf(orderSign(record, today), "CI-ACTIVE-INFECTION");
    }

    private static List<Card> tb(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "CI-ACTIVE-TB");
    }

    private static ObjectNode temperature(FhirRecord record, double value, String unit, String date) {
        return record.observation("8310-5", value, unit, date);
    }

    // --- CI-ACTIVE-INFECTION: conditions ---------------------------------------------------------

    @Test
    void activeInfectionConditionIsCritical() {
        FhirRecord record = patient();
        condition(record, "Community acquired pneumonia", "2026-11-18");

        assertThat(infection(record, TODAY)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Active infection documented: do not start alemtuzumab until it has resolved.");
            assertThat(card.detail()).contains("Community acquired pneumonia (onset 2026-11-18)")
                    .contains("remaining infusions follow as soon as possible").doesNotContain("CRS-INTERRUPTED");
        });
    }

    @Test
    void codedHerpesZosterIsCritical() {
        FhirRecord record = patient();
        record.condition("4740000", "Herpes zoster", "2026-11-15");

        assertThat(infection(record, TODAY)).singleElement()
                .satisfies(card -> {
                    assertThat(card.summary()).startsWith("Active infection documented");
                    assertThat(card.detail()).contains("Herpes zoster");
                });
    }

    @Test
    void resolvedOrAbatedInfectionIsSilent() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("4740000", "Herpes zoster", "2026-10-01"), "resolved");
        record.condition("4740000", "Herpes zoster", "2026-10-20").put("abatementDateTime", "2026-12-01");

        assertThat(infection(record, TODAY)).isEmpty();
    }

    @Test
    void abatementAfterTheCourseStartStillCounts() {
        FhirRecord record = patient();
        record.condition("4740000", "Herpes zoster", "2026-11-20").put("abatementDateTime", "2026-12-02");

        assertThat(infection(record, TODAY)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void infectionStartingAfterTheCourseStartIsNotCounted() {
        FhirRecord record = patient();
        condition(record, "Urinary tract infection", "2026-12-02");

        assertThat(infection(record, TODAY)).isEmpty();
    }

    @Test
    void latentHistoricalAndChronicEntriesAreNotActiveInfections() {
        FhirRecord record = patient();
        condition(record, "Latent tuberculosis infection", "2026-05-01");
        condition(record, "History of pneumonia", "2020-01-01");
        condition(record, "Recurrent urinary tract infection", "2024-01-01");
        record.condition("86406008", "Human immunodeficiency virus infection", "2019-01-01");
        condition(record, "Family history of tuberculosis", null);

        assertThat(infection(record, TODAY)).isEmpty();
        assertThat(tb(record)).isEmpty();
    }

    @Test
    void unconfirmedInfectionIsDowngradedToWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(condition(record, "Cellulitis of left leg", "2026-11-19"), "provisional");

        assertThat(infection(record, TODAY)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }

    // --- CI-ACTIVE-INFECTION: temperature ----------------------------------------------------------

    @Test
    void feverTheDayBeforeTheInfusionIsCritical() {
        FhirRecord record = patient();
        temperature(record, 38.0, "Cel", "2026-11-30");

        assertThat(infection(record, START)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Active infection (temperature 38.0 °C on 2026-11-30) documented");
        });
    }

    @Test
    void feverTwoDaysBeforeTheInfusionIsOutsideTheWindow() {
        FhirRecord record = patient();
        temperature(record, 39.1, "Cel", "2026-11-29");

        assertThat(infection(record, START)).isEmpty();
    }

    @Test
    void temperatureBelow38IsSilent() {
        FhirRecord record = patient();
        temperature(record, 37.9, "Cel", "2026-12-01");

        assertThat(infection(record, START)).isEmpty();
    }

    @Test
    void fahrenheitIsConverted() {
        FhirRecord record = patient();
        temperature(record, 100.8, "[degF]", "2026-12-01");
        temperature(record, 100.2, "[degF]", "2026-11-30"); // 37.9 °C

        assertThat(infection(record, START)).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("temperature 100.8 °F on 2026-12-01"));
    }

    @Test
    void feverWhenTheOrderIsSignedCountsForALaterStart() {
        FhirRecord record = patient();
        temperature(record, 38.4, "Cel", TODAY);

        assertThat(infection(record, TODAY)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void enteredInErrorTemperatureIsIgnored() {
        FhirRecord record = patient();
        temperature(record, 39.0, "Cel", "2026-12-01").put("status", "entered-in-error");

        assertThat(infection(record, START)).isEmpty();
    }

    // --- CI-ACTIVE-INFECTION: antimicrobial treatment ---------------------------------------------

    @Test
    void activeAntibioticTreatmentIsAWarning() {
        FhirRecord record = patient();
        record.request(FhirRecord.text("amoxicillin 500 MG Oral Capsule"), "active", "2026-11-19");

        assertThat(infection(record, TODAY)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Active antimicrobial treatment on record: confirm the infection has resolved before alemtuzumab.");
            assertThat(card.detail()).contains("amoxicillin 500 MG Oral Capsule");
        });
    }

    @Test
    void infectionAndTreatmentGiveOnlyTheCriticalCard() {
        FhirRecord record = patient();
        condition(record, "Pyelonephritis", "2026-11-19");
        record.request(FhirRecord.text("ciprofloxacin 500 MG Oral Tablet"), "active", "2026-11-19");

        assertThat(infection(record, TODAY)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void prophylaxisTopicalAndStoppedOrdersDoNotCount() {
        FhirRecord record = patient();
        record.request(FhirRecord.rxnorm("73645", "valacyclovir"), "active", "2026-11-19");
        record.request(FhirRecord.rxnorm("6038", "isoniazid"), "active", "2026-10-01");
        record.request(FhirRecord.text("rifampicin 300 MG Oral Capsule"), "active", "2026-10-01")
                .putArray("reasonCode").add(FhirRecord.text("Latent tuberculosis"));
        record.request(FhirRecord.text("trimethoprim 100 MG Oral Tablet"), "active", "2026-10-01")
                .putArray("dosageInstruction").addObject().put("text", "100 mg at night for UTI prophylaxis");
        record.request(FhirRecord.text("gentamicin 0.3% ophthalmic solution"), "active", "2026-11-19");
        record.request(FhirRecord.text("doxycycline 100 MG Oral Capsule"), "stopped", "2026-11-01");
        ObjectNode ended = record.request(FhirRecord.text("nitrofurantoin 100 MG Oral Capsule"), "active", "2026-11-10");
        ended.putArray("dosageInstruction").addObject().putObject("timing").putObject("repeat")
                .putObject("boundsPeriod").put("start", "2026-11-10").put("end", "2026-11-15");

        assertThat(infection(record, TODAY)).isEmpty();
    }

    // --- CI-ACTIVE-TB --------------------------------------------------------------------------------

    @Test
    void activeTuberculosisIsCriticalAndAlsoAnActiveInfection() {
        FhirRecord record = patient();
        record.condition("427099000", "Active tuberculosis", "2026-09-01");

        assertThat(tb(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Active tuberculosis documented: alemtuzumab is contraindicated until treated and resolved.");
            assertThat(card.detail()).contains("Active tuberculosis (onset 2026-09-01)");
        });
        assertThat(infection(record, TODAY)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void tuberculosisWithActiveStatusIsCritical() {
        FhirRecord record = patient();
        record.condition("56717001", "Tuberculosis", "2026-08-01");

        assertThat(tb(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void resolvedOrInactiveTuberculosisIsSilent() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("56717001", "Tuberculosis", "2015-01-01"), "resolved");
        record.condition("11999007", "Inactive tuberculosis", "2015-01-01");
        FhirRecord.verificationStatus(record.condition("427099000", "Active tuberculosis", "2026-09-01"), "refuted");

        assertThat(tb(record)).isEmpty();
    }

    @Test
    void provisionalTuberculosisIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("56717001", "Tuberculosis", "2026-11-01"), "provisional");

        assertThat(tb(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }
}
