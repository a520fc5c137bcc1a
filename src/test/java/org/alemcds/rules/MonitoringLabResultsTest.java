package org.alemcds.rules;

import static org.alemcds.rules.MonitoringFixtures.rule;
import static org.alemcds.rules.MonitoringFixtures.treatedFemale;
import static org.alemcds.rules.MonitoringFixtures.treatedMale;
import static org.alemcds.rules.MonitoringFixtures.withReferenceRange;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/**
 * The abnormal-value rules of catalogue §4.8 (MON-PLT, MON-RENAL, MON-THYROID-ABN, MON-CYTOPENIA) and MON-ARTEFACT,
 * which screens them in the infusion-week window (course 1: 2025-03-03 … 2025-03-07, window to 2025-03-10).
 */
class MonitoringLabResultsTest {

    private static String codeOf(Card.Suggestion s) {
        return s.actions().get(0).resource().at("/code/coding/0/code").asText();
    }

    // ---------------------------------------------------------------- MON-PLT

    @Test
    void plateletsBelow100AreCriticalWithReferralWeeklyCountsAndBleedingCheck() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 85, "10*9/L", "2025-06-01");

        Card card = rule(record, "2025-06-10", "MON-PLT").get(0);

        assertThat(card.indicator()).isEqualTo("critical");
        assertThat(card.summary()).isEqualTo(
                "Platelets 85 ×10⁹/L (2025-06-01) after alemtuzumab: possible ITP. Urgent hematology referral; weekly counts.");
        assertThat(card.suggestions()).hasSize(3);
        assertThat(card.suggestions().get(1).actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("777-3");
        assertThat(card.suggestions().get(2).actions().get(0).resource().get("resourceType").asText()).isEqualTo("Task");
    }

    @Test
    void plateletUnitsAreNormalised() {
        FhirRecord perMicrolitre = treatedFemale();
        perMicrolitre.observation("777-3", 85000, "/uL", "2025-06-01");
        assertThat(rule(perMicrolitre, "2025-06-10", "MON-PLT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Platelets 85 ×10⁹/L (2025-06-01)");
        });

        FhirRecord kPerMicrolitre = treatedFemale();
        kPerMicrolitre.observation("777-3", 99, "10*3/uL", "2025-06-01");
        assertThat(rule(kPerMicrolitre, "2025-06-10", "MON-PLT"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));

        FhirRecord perCubicMm = treatedFemale();
        perCubicMm.observation("777-3", 100000, "/mm3", "2025-06-01"); // exactly 100: not critical, but < LLN 150
        assertThat(rule(perCubicMm, "2025-06-10", "MON-PLT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Platelets 100 ×10⁹/L (<LLN or >30% below baseline): repeat weekly and watch for bleeding.");
        });
    }

    @Test
    void plateletsBelowTheLowerLimitAreAWarningWithTheNextWeeklyCount() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 140, "10*9/L", "2025-06-01");

        Card card = rule(record, "2025-06-10", "MON-PLT").get(0);

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.detail()).contains("Next platelet count due 2025-06-08").contains("baseline before the first infusion: none on record");
    }

    @Test
    void theLabsLowerLimitReplacesTheDefault() {
        FhirRecord record = treatedFemale();
        withReferenceRange(record.observation("777-3", 140, "10*9/L", "2025-06-01"), 130.0, 400.0, "10*9/L");

        assertThat(rule(record, "2025-06-10", "MON-PLT")).isEmpty();
    }

    @Test
    void aDropOfMoreThan30PercentFromBaselineIsAWarning() {
        FhirRecord dropped = treatedFemale();
        dropped.observation("777-3", 300, "10*9/L", "2025-02-20"); // baseline: before the first infusion
        dropped.observation("777-3", 200, "10*9/L", "2025-06-01"); // < 210 = 70% of 300
        assertThat(rule(dropped, "2025-06-10", "MON-PLT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("More than 30% below baseline").contains("300 ×10⁹/L on 2025-02-20");
        });

        FhirRecord stable = treatedFemale();
        stable.observation("777-3", 300, "10*9/L", "2025-02-20");
        stable.observation("777-3", 215, "10*9/L", "2025-06-01");
        assertThat(rule(stable, "2025-06-10", "MON-PLT")).isEmpty();
    }

    @Test
    void aLowCountBeforeTheFirstInfusionIsNotAMonitoringFinding() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 90, "10*9/L", "2025-02-20");

        assertThat(rule(record, "2025-06-10", "MON-PLT")).isEmpty();
    }

    @Test
    void anEnteredInErrorCountIsIgnored() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 240, "10*9/L", "2025-05-20");
        record.observation("777-3", 40, "10*9/L", "2025-06-01").put("status", "entered-in-error");

        assertThat(rule(record, "2025-06-10", "MON-PLT")).isEmpty();
    }

    @Test
    void aCountWithoutAUnitCannotBeInterpreted() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 85, null, "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-PLT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).contains("cannot interpret unit");
        });
    }

    // ---------------------------------------------------------------- MON-ARTEFACT (platelets and the window)

    @Test
    void aMildPlateletDropInTheInfusionWeekIsAnArtefactNotAWarning() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 120, "10*9/L", "2025-03-10"); // last infusion + 3 days: inside the window

        var cards = RuleHarness.patientView(record, "2025-03-12");

        assertThat(cardsOf(cards, "MON-PLT")).isEmpty();
        assertThat(cardsOf(cards, "MON-ARTEFACT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Labs from infusion week show expected artefacts (↑WBC, CRP, PCT, LFTs; ↓platelets, TSH); decide on clinical findings.");
            assertThat(card.detail()).contains("platelets 120 ×10⁹/L on 2025-03-10 (low)").contains("Listeria");
        });
    }

    @Test
    void theArtefactWindowEndsThreeDaysAfterTheLastInfusion() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 120, "10*9/L", "2025-03-11");

        var cards = RuleHarness.patientView(record, "2025-03-12");

        assertThat(cardsOf(cards, "MON-PLT")).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
        assertThat(cardsOf(cards, "MON-ARTEFACT")).isEmpty();
    }

    @Test
    void plateletsBelow100AreNeverSuppressed() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 90, "10*9/L", "2025-03-06");

        var cards = RuleHarness.patientView(record, "2025-03-08");

        assertThat(cardsOf(cards, "MON-PLT")).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
        assertThat(cardsOf(cards, "MON-ARTEFACT")).isEmpty();
    }

    @Test
    void raisedCrpInTheInfusionWeekGivesTheArtefactCardUntilTheFirstMonthlyLabs() {
        FhirRecord record = treatedFemale();
        withReferenceRange(record.observation("1988-5", 60, "mg/L", "2025-03-05"), null, 5.0, "mg/L");

        assertThat(rule(record, "2025-03-09", "MON-ARTEFACT")).singleElement().satisfies(card ->
                assertThat(card.detail()).contains("CRP 60 mg/L on 2025-03-05 (high)"));
        assertThat(rule(record, "2025-04-11", "MON-ARTEFACT")).hasSize(1); // last infusion + 35 days
        assertThat(rule(record, "2025-04-12", "MON-ARTEFACT")).isEmpty();
    }

    @Test
    void raisedCrpOutsideTheWindowIsNoArtefact() {
        FhirRecord record = treatedFemale();
        withReferenceRange(record.observation("1988-5", 60, "mg/L", "2025-03-20"), null, 5.0, "mg/L");

        assertThat(rule(record, "2025-03-25", "MON-ARTEFACT")).isEmpty();
    }

    @Test
    void transaminasesAtThreeTimesTheUpperLimitAreNoArtefact() {
        FhirRecord mild = treatedFemale();
        withReferenceRange(mild.observation("1742-6", 80, "U/L", "2025-03-06"), null, 35.0, "U/L");
        assertThat(rule(mild, "2025-03-09", "MON-ARTEFACT")).singleElement().satisfies(card ->
                assertThat(card.detail()).contains("ALT/AST 80 U/L on 2025-03-06 (high, <3× ULN)"));

        FhirRecord marked = treatedFemale();
        withReferenceRange(marked.observation("1742-6", 105, "U/L", "2025-03-06"), null, 35.0, "U/L");
        assertThat(rule(marked, "2025-03-09", "MON-ARTEFACT")).isEmpty();
    }

    // ---------------------------------------------------------------- MON-RENAL

    private static FhirRecord withBaselineCreatinine() {
        FhirRecord record = treatedMale();
        record.observation("2160-0", 0.8, "mg/dL", "2025-02-20");
        return record;
    }

    @Test
    void aCreatinineRiseOf30PercentIsAWarning() {
        FhirRecord record = withBaselineCreatinine();
        record.observation("2160-0", 1.1, "mg/dL", "2025-06-01"); // ratio 1.375

        assertThat(rule(record, "2025-06-10", "MON-RENAL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "New creatinine rise after alemtuzumab: evaluate for nephropathy (anti-GBM/MGN).");
            assertThat(card.detail()).contains("ratio 1.38");
            assertThat(card.suggestions()).hasSize(3);
        });
    }

    @Test
    void aSmallerCreatinineRiseIsSilent() {
        FhirRecord record = withBaselineCreatinine();
        record.observation("2160-0", 1.0, "mg/dL", "2025-06-01"); // ratio 1.25

        assertThat(rule(record, "2025-06-10", "MON-RENAL")).isEmpty();
    }

    @Test
    void creatinineInMicromolesIsCompared() {
        FhirRecord record = treatedMale();
        record.observation("2160-0", 70, "umol/L", "2025-02-20"); // 0.79 mg/dL
        record.observation("2160-0", 1.1, "mg/dL", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-RENAL")).singleElement().satisfies(card ->
                assertThat(card.summary()).startsWith("New creatinine rise"));
    }

    @Test
    void withoutABaselineTheUpperLimitDecides() {
        FhirRecord high = treatedMale();
        withReferenceRange(high.observation("2160-0", 1.5, "mg/dL", "2025-06-01"), 0.7, 1.2, "mg/dL");
        assertThat(rule(high, "2025-06-10", "MON-RENAL")).hasSize(1);

        FhirRecord normal = treatedMale();
        withReferenceRange(normal.observation("2160-0", 1.1, "mg/dL", "2025-06-01"), 0.7, 1.2, "mg/dL");
        assertThat(rule(normal, "2025-06-10", "MON-RENAL")).isEmpty();
    }

    @Test
    void creatinineRiseWithHematuriaIsCritical() {
        FhirRecord record = withBaselineCreatinine();
        record.observation("2160-0", 1.2, "mg/dL", "2025-06-01");
        record.observation("5794-3", "2+", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-RENAL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Creatinine 1.2 mg/dL (1.5× baseline) on 2025-06-01 with new hematuria: possible anti-GBM disease; urgent nephrology evaluation.");
            assertThat(card.suggestions()).extracting(Card.Suggestion::label)
                    .containsExactly("Order Nephrology referral (urgent)", "Order Anti-GBM antibody");
            assertThat(PremedicationFixtures.suggestedResource(card, 0).at("/code/coding/0/code").asText()).isEqualTo("306125004");
            assertThat(PremedicationFixtures.suggestedResource(card, 1).at("/code/coding/0/system").asText())
                    .isEqualTo("http://alemcds.org/fhir/CodeSystem/local");
        });
    }

    @Test
    void aCreatinineRiseInTheInfusionWeekIsNeverSuppressed() {
        FhirRecord record = withBaselineCreatinine();
        record.observation("2160-0", 1.3, "mg/dL", "2025-03-06");

        var cards = RuleHarness.patientView(record, "2025-03-08");

        assertThat(cardsOf(cards, "MON-RENAL")).hasSize(1);
        assertThat(cardsOf(cards, "MON-ARTEFACT")).isEmpty();
    }

    @Test
    void newMicroscopicHematuriaAloneIsAWarning() {
        FhirRecord record = withBaselineCreatinine();
        record.observation("13945-1", 1, "/[HPF]", "2025-02-20");
        record.observation("13945-1", 8, "/[HPF]", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-RENAL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("New hematuria after alemtuzumab");
        });
    }

    @Test
    void hematuriaAlreadyPresentAtBaselineIsNotNew() {
        FhirRecord record = withBaselineCreatinine();
        record.observation("5794-3", "1+", "2025-02-20");
        record.observation("5794-3", "1+", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-RENAL")).isEmpty();
    }

    @Test
    void traceProteinIsBelow1PlusButAHighUpcrIsProteinuria() {
        FhirRecord trace = withBaselineCreatinine();
        trace.observation("20454-5", "trace", "2025-06-01");
        assertThat(rule(trace, "2025-06-10", "MON-RENAL")).isEmpty();

        FhirRecord upcr = withBaselineCreatinine();
        withReferenceRange(upcr.observation("2890-2", 0.6, "mg/mg", "2025-06-01"), null, 0.2, "mg/mg");
        upcr.observation("20454-5", "1+", "2025-06-01");
        assertThat(rule(upcr, "2025-06-10", "MON-RENAL")).singleElement().satisfies(card ->
                assertThat(card.summary()).startsWith("New proteinuria after alemtuzumab"));
    }

    @Test
    void hemoptysisIsCritical() {
        FhirRecord record = withBaselineCreatinine();
        ObjectNode condition = record.condition("999999", "Hemoptysis", "2025-06-05");
        condition.set("code", FhirRecord.text("Hemoptysis"));

        assertThat(rule(record, "2025-06-10", "MON-RENAL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Hemoptysis after alemtuzumab");
        });
    }

    // ---------------------------------------------------------------- MON-THYROID-ABN

    @Test
    void aLowTshIsAWarningWithTrab() {
        FhirRecord record = treatedFemale();
        withReferenceRange(record.observation("3016-3", 0.05, "mIU/L", "2025-06-01"), 0.4, 4.0, "mIU/L");

        assertThat(rule(record, "2025-06-10", "MON-THYROID-ABN")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "TSH 0.05 mIU/L outside range after alemtuzumab: evaluate autoimmune thyroid disease (Graves most common).");
            assertThat(card.suggestions()).extracting(Card.Suggestion::label)
                    .containsExactly("Order Thyroxine (T4) free [Mass/volume] in Serum or Plasma",
                            "Order TSH receptor antibodies (TRAb)", "Order Endocrinology referral");
            assertThat(PremedicationFixtures.suggestedResource(card, 1).at("/code/coding/0/code").asText()).isEqualTo("5385-0");
        });
    }

    @Test
    void aHighTshWithoutRangeUsesTheDefaultRange() {
        FhirRecord record = treatedFemale();
        record.observation("3016-3", 6.2, "mIU/L", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-THYROID-ABN")).singleElement().satisfies(card -> {
            assertThat(card.detail()).contains("above range 0.4–4.0 mIU/L (service default)");
            assertThat(card.suggestions()).hasSize(2);
        });
    }

    @Test
    void aNormalTshIsSilent() {
        FhirRecord record = treatedFemale();
        record.observation("3016-3", 2.0, "mIU/L", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-THYROID-ABN")).isEmpty();
    }

    @Test
    void aLowTshInTheInfusionWeekIsAnArtefactButAHighOneIsNot() {
        FhirRecord low = treatedFemale();
        low.observation("3016-3", 0.1, "mIU/L", "2025-03-05");
        var lowCards = RuleHarness.patientView(low, "2025-03-09");
        assertThat(cardsOf(lowCards, "MON-THYROID-ABN")).isEmpty();
        assertThat(cardsOf(lowCards, "MON-ARTEFACT")).singleElement().satisfies(card ->
                assertThat(card.detail()).contains("TSH 0.1 mIU/L on 2025-03-05 (low)"));

        FhirRecord high = treatedFemale();
        high.observation("3016-3", 7.0, "mIU/L", "2025-03-05");
        assertThat(rule(high, "2025-03-09", "MON-THYROID-ABN")).hasSize(1);
    }

    // ---------------------------------------------------------------- MON-CYTOPENIA [US]

    @Test
    void aLowWbcIsAWarningInAnyUnit() {
        FhirRecord record = treatedFemale();
        record.observation("6690-2", 2500, "/uL", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-CYTOPENIA")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "WBC below normal after alemtuzumab: consider autoimmune cytopenia (neutropenia, AIHA, pancytopenia).");
            assertThat(card.detail()).contains("WBC 2.5 ×10⁹/L on 2025-06-01 (LLN 4 ×10⁹/L)");
        });
    }

    @Test
    void lowHemoglobinByNameAndLowWbcAreNamedTogether() {
        FhirRecord record = treatedFemale();
        record.observation("6690-2", 3.1, "10*9/L", "2025-06-01");
        ObjectNode hb = record.observation("local-hb", 9.5, "g/dL", "2025-06-01");
        hb.set("code", FhirRecord.text("Hemoglobin"));
        withReferenceRange(hb, 12.0, 16.0, "g/dL");

        assertThat(rule(record, "2025-06-10", "MON-CYTOPENIA")).singleElement().satisfies(card ->
                assertThat(card.summary()).startsWith("WBC and Hb below normal after alemtuzumab"));
    }

    @Test
    void expectedLymphopeniaAloneIsNotFlagged() {
        FhirRecord record = treatedFemale();
        record.observation("731-0", 0.2, "10*9/L", "2025-06-01");
        record.observation("6690-2", 4.5, "10*9/L", "2025-06-01");

        assertThat(rule(record, "2025-06-10", "MON-CYTOPENIA")).isEmpty();
    }

    @Test
    void aLowWbcInTheInfusionWeekIsNotACytopenia() {
        FhirRecord record = treatedFemale();
        record.observation("6690-2", 2.0, "10*9/L", "2025-03-06");

        var cards = RuleHarness.patientView(record, "2025-03-09");

        assertThat(cardsOf(cards, "MON-CYTOPENIA")).isEmpty();
        assertThat(cardsOf(cards, "MON-ARTEFACT")).hasSize(1);
    }

    @Test
    void cytopeniaIsAUsRule() {
        FhirRecord record = treatedFemale();
        record.observation("6690-2", 2.5, "10*9/L", "2025-06-01");

        assertThat(cardsOf(RuleHarness.call("patient-view", record, "2025-06-10", "EU"), "MON-CYTOPENIA")).isEmpty();
    }
}
