package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** CI-PREG and CI-LACT (catalogue §4.2). */
class PregnancyLactationContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1992-02-11");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    private static List<Card> pregnancy(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "CI-PREG");
    }

    private static List<Card> lactation(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "CI-LACT");
    }

    private static ObjectNode textCondition(FhirRecord record, String text, String onset) {
        ObjectNode c = record.condition("0", text, onset);
        c.set("code", FhirRecord.text(text));
        return c;
    }

    private static ObjectNode textObservation(FhirRecord record, String code, String value, String date) {
        ObjectNode o = record.observation("0", value, date);
        o.set("code", FhirRecord.text(code));
        return o;
    }

    // --- CI-PREG -------------------------------------------------------------------------------------

    @Test
    void positiveHcgIsCritical() {
        FhirRecord record = patient();
        record.observation("2106-3", "positive", "2026-11-20");

        assertThat(pregnancy(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Pregnancy documented (positive hCG, 2026-11-20): do not give alemtuzumab (contraindicated in pregnancy).");
            assertThat(card.detail()).contains("Graves");
        });
    }

    @Test
    void positiveHcgExactly280DaysBeforeTheStartStillCounts() {
        FhirRecord record = patient();
        record.observation("2106-3", "positive", "2026-02-24");

        assertThat(pregnancy(record)).hasSize(1);
    }

    @Test
    void positiveHcg281DaysBeforeTheStartIsTooOld() {
        FhirRecord record = patient();
        record.observation("2106-3", "positive", "2026-02-23");

        assertThat(pregnancy(record)).isEmpty();
    }

    @Test
    void laterNegativeHcgEndsThePregnancy() {
        FhirRecord record = patient();
        record.observation("2106-3", "positive", "2026-08-01");
        record.observation("2118-8", "negative", "2026-11-18");

        assertThat(pregnancy(record)).isEmpty();
    }

    @Test
    void sameDayNegativeDoesNotEndAPositiveTest() {
        FhirRecord record = patient();
        record.observation("2106-3", "positive", "2026-11-18");
        record.observation("2118-8", "negative", "2026-11-18");

        assertThat(pregnancy(record)).hasSize(1);
    }

    @Test
    void deliveryOrTerminationAfterThePositiveTestEndsThePregnancy() {
        FhirRecord delivered = patient();
        delivered.observation("2106-3", "positive", "2026-02-26");
        textCondition(delivered, "Normal delivery of live infant", "2026-10-30");
        assertThat(pregnancy(delivered)).isEmpty();

        FhirRecord terminated = patient();
        terminated.observation("2106-3", "positive", "2026-09-01");
        ObjectNode procedure = FhirRecord.text("Termination of pregnancy");
        ObjectNode p = terminated.add(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("resourceType", "Procedure").put("status", "completed").put("performedDateTime", "2026-09-20"));
        p.set("code", procedure);
        p.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        assertThat(pregnancy(terminated)).isEmpty();
    }

    @Test
    void deliveryBeforeThePositiveTestDoesNotEndIt() {
        FhirRecord record = patient();
        textCondition(record, "Caesarean delivery", "2025-06-01");
        record.observation("2106-3", "positive", "2026-11-10");

        assertThat(pregnancy(record)).hasSize(1);
    }

    @Test
    void expectedDeliveryDateDoesNotEndThePregnancy() {
        FhirRecord record = patient();
        record.observation("2106-3", "positive", "2026-10-01");
        textObservation(record, "Delivery date Estimated", "2027-06-01", "2026-10-15");
        textCondition(record, "Threatened abortion", "2026-10-20");

        assertThat(pregnancy(record)).hasSize(1);
    }

    @Test
    void quantitativeHcgIsInterpretedByValue() {
        FhirRecord positive = patient();
        positive.observation("21198-7", 1200, "m[IU]/mL", "2026-11-19");
        assertThat(pregnancy(positive)).hasSize(1);

        FhirRecord equivocal = patient();
        equivocal.observation("21198-7", 12, "m[IU]/mL", "2026-11-19");
        assertThat(pregnancy(equivocal)).isEmpty();

        FhirRecord endedByQuantitativeNegative = patient();
        endedByQuantitativeNegative.observation("2106-3", "positive", "2026-07-01");
        endedByQuantitativeNegative.observation("21198-7", 2, "m[IU]/mL", "2026-11-19");
        assertThat(pregnancy(endedByQuantitativeNegative)).isEmpty();

        FhirRecord equivocalDoesNotEnd = patient();
        equivocalDoesNotEnd.observation("2106-3", "positive", "2026-07-01");
        equivocalDoesNotEnd.observation("21198-7", 12, "m[IU]/mL", "2026-11-19");
        assertThat(pregnancy(equivocalDoesNotEnd)).hasSize(1);
    }

    @Test
    void activePregnancyConditionIsCritical() {
        FhirRecord record = patient();
        record.condition("77386006", "Pregnancy", "2026-09-10");

        assertThat(pregnancy(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Pregnancy documented (diagnosis, 2026-09-10)");
        });
    }

    @Test
    void provisionalPregnancyConditionIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("77386006", "Pregnancy", "2026-11-01"), "provisional");

        assertThat(pregnancy(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }

    @Test
    void resolvedRefutedAndNotPregnantConditionsAreSilent() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("77386006", "Pregnancy", "2024-01-10"), "resolved");
        FhirRecord.verificationStatus(record.condition("77386006", "Pregnancy", "2026-11-01"), "refuted");
        textCondition(record, "Not pregnant", "2026-11-15");

        assertThat(pregnancy(record)).isEmpty();
    }

    @Test
    void pregnancyStatusObservationsAreRead() {
        FhirRecord pregnant = patient();
        textObservation(pregnant, "Pregnancy status", "Pregnant", "2026-11-12");
        assertThat(pregnancy(pregnant)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Pregnancy documented (recorded pregnancy, 2026-11-12)"));

        FhirRecord notPregnantLater = patient();
        notPregnantLater.condition("77386006", "Pregnancy", "2025-03-01");
        textObservation(notPregnantLater, "Pregnancy status", "Not pregnant", "2026-11-12");
        assertThat(pregnancy(notPregnantLater)).isEmpty();
    }

    @Test
    void observationWithoutValueCountsOnlyForTheSnomedFinding() {
        FhirRecord finding = patient();
        ObjectNode o = finding.observation("0", "x", "2026-11-12");
        o.remove("valueCodeableConcept");
        o.set("code", FhirRecord.concept(FhirRecord.SNOMED, "77386006", "Pregnancy"));
        assertThat(pregnancy(finding)).hasSize(1);

        FhirRecord intention = patient();
        ObjectNode i = textObservation(intention, "Pregnancy intention", "x", "2026-11-12");
        i.remove("valueCodeableConcept");
        assertThat(pregnancy(intention)).isEmpty();
    }

    @Test
    void negativeAndEnteredInErrorTestsGiveNoPregnancyCard() {
        FhirRecord record = patient();
        record.observation("2106-3", "positive", "2026-11-19").put("status", "entered-in-error");
        record.observation("2106-3", "negative", "2026-11-10");

        assertThat(pregnancy(record)).isEmpty();
    }

    // --- CI-LACT -------------------------------------------------------------------------------------

    @Test
    void breastfeedingConditionIsCriticalWithADocumentationTask() {
        FhirRecord record = patient();
        record.condition("413712001", "Breastfeeding (mother)", "2026-10-15");

        assertThat(lactation(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Patient is breastfeeding: stop breastfeeding during the course and for 4 months after, or defer alemtuzumab.");
            assertThat(card.detail()).contains("Breastfeeding (mother) (onset 2026-10-15)");
            assertThat(card.suggestions()).singleElement()
                    .satisfies(s -> assertThat(s.label()).isEqualTo("Document breastfeeding status"));
        });
    }

    @Test
    void breastfeedingRecordedExactly90DaysBeforeTheStartCounts() {
        FhirRecord record = patient();
        textObservation(record, "Breastfeeding status", "Breastfeeding", "2026-09-02");

        assertThat(lactation(record)).hasSize(1);
    }

    @Test
    void breastfeedingRecorded91DaysBeforeTheStartIsTooOld() {
        FhirRecord record = patient();
        textObservation(record, "Breastfeeding status", "Breastfeeding", "2026-09-01");

        assertThat(lactation(record)).isEmpty();
    }

    @Test
    void recentlyRecordedConditionWithAnOlderOnsetCounts() {
        FhirRecord record = patient();
        record.condition("413712001", "Breastfeeding (mother)", "2026-05-01").put("recordedDate", "2026-11-02");

        assertThat(lactation(record)).hasSize(1);
    }

    @Test
    void laterStoppedBreastfeedingRecordEndsIt() {
        FhirRecord record = patient();
        record.condition("413712001", "Breastfeeding (mother)", "2026-10-01");
        textObservation(record, "Breastfeeding status", "Not breastfeeding", "2026-11-15");

        assertThat(lactation(record)).isEmpty();
    }

    @Test
    void breastfeedingStatusAnsweredNoIsNotBreastfeeding() {
        FhirRecord record = patient();
        ObjectNode o = textObservation(record, "Breastfeeding status", "x", "2026-11-15");
        o.remove("valueCodeableConcept");
        o.put("valueBoolean", false);

        assertThat(lactation(record)).isEmpty();
    }

    @Test
    void breastfeedingFindingAsObservationCodeCounts() {
        FhirRecord record = patient();
        ObjectNode o = record.observation("0", "x", "2026-11-12");
        o.remove("valueCodeableConcept");
        o.set("code", FhirRecord.concept(FhirRecord.SNOMED, "413712001", "Breastfeeding (mother)"));

        assertThat(lactation(record)).hasSize(1);
    }

    @Test
    void resolvedBreastfeedingConditionIsSilent() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("413712001", "Breastfeeding (mother)", "2026-10-01"), "resolved");

        assertThat(lactation(record)).isEmpty();
    }

    @Test
    void provisionalBreastfeedingConditionIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("413712001", "Breastfeeding (mother)", "2026-11-01"), "provisional");

        assertThat(lactation(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }
}
