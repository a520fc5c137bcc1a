package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** RCI-CHRONIC-INFECTION (catalogue §4.3; escalation per §5 #5). */
class ChronicInfectionTest {

    private static final String TODAY = "2026-11-21";
    private static final String RULE = "RCI-CHRONIC-INFECTION";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record;
    }

    /** A local HCV RNA result known only by its display. */
    private static void hcvRna(FhirRecord record, String result, String date) {
        record.observation("LOCAL-HCVRNA", result, date)
                .set("code", FhirRecord.concept("http://lab.example.org", "HCVRNA", "HCV RNA PCR"));
    }

    @Test
    void hbsagPositiveIsCritical() {
        FhirRecord record = patient();
        record.observation("5196-1", "positive", "2026-11-01");
        record.observation("16933-4", "positive", "2026-11-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "HBsAg positive: active/chronic HBV; hepatology clearance required before alemtuzumab (reactivation risk).");
            assertThat(card.detail()).contains("2026-11-01");
        });
    }

    @Test
    void activeHepatitisBDiagnosisIsCriticalUnconfirmedIsWarning() {
        FhirRecord record = patient();
        record.condition("66071002", "Viral hepatitis type B", "2018-01-01");
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));

        FhirRecord unconfirmed = patient();
        FhirRecord.verificationStatus(unconfirmed.condition("66071002", "Viral hepatitis type B", "2018-01-01"), "unconfirmed");
        assertThat(cardsOf(orderSign(unconfirmed, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void antiHbcPositiveWithNegativeHbsagIsAWarning() {
        FhirRecord record = patient();
        record.observation("5195-3", "negative", "2026-11-01");
        record.observation("13952-7", "reactive", "2026-11-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Anti-HBc positive (HBsAg neg): risk of HBV reactivation; check HBV DNA / hepatology before alemtuzumab.");
        });
    }

    @Test
    void pastHepatitisBIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("66071002", "Viral hepatitis type B", "2005-01-01"), "resolved");
        record.observation("5196-1", "negative", "2026-11-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Past hepatitis B on record");
        });
    }

    @Test
    void hcvAntibodyPositiveWithoutRnaAsksForRna() {
        FhirRecord record = patient();
        record.observation("16128-1", "positive", "2026-11-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "HCV antibody positive: order HCV RNA; active HCV needs specialist clearance before alemtuzumab.");
            assertThat(card.suggestions()).singleElement().satisfies(s -> assertThat(s.label()).contains("HCV RNA"));
        });
    }

    @Test
    void hcvRnaPositiveIsCritical() {
        FhirRecord record = patient();
        record.observation("13955-0", "positive", "2026-10-01");
        hcvRna(record, "detected", "2026-10-15");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("HCV RNA positive");
        });
    }

    @Test
    void quantitativeHcvRnaBelowDetectionIsNegative() {
        FhirRecord record = patient();
        record.observation("16128-1", "positive", "2026-10-01");
        var rna = record.observation("LOCAL", 15, "[IU]/mL", "2026-10-15");
        rna.set("code", FhirRecord.text("Hepatitis C virus RNA [Units/volume] (viral load)"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) rna.get("valueQuantity")).put("comparator", "<");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();

        FhirRecord viraemic = patient();
        viraemic.observation("LOCAL", 250000, "[IU]/mL", "2026-10-15")
                .set("code", FhirRecord.text("Hepatitis C virus RNA [Units/volume] (viral load)"));
        assertThat(cardsOf(orderSign(viraemic, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void negativeHcvRnaClearsAntibodyOnlyWithin90Days() {
        FhirRecord recent = patient();
        recent.observation("16128-1", "positive", "2020-01-01");
        hcvRna(recent, "not detected", "2026-09-02"); // START - 90 days
        assertThat(cardsOf(orderSign(recent, TODAY), RULE)).isEmpty();

        FhirRecord old = patient();
        old.observation("16128-1", "positive", "2020-01-01");
        hcvRna(old, "not detected", "2026-09-01"); // START - 91 days
        assertThat(cardsOf(orderSign(old, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void activeHepatitisCIsCriticalUnlessRecentRnaNegative() {
        FhirRecord record = patient();
        record.condition("50711007", "Viral hepatitis type C", "2019-01-01");
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Active hepatitis C on record");
        });

        FhirRecord cured = patient();
        cured.condition("50711007", "Viral hepatitis type C", "2019-01-01");
        hcvRna(cured, "negative", "2026-11-10");
        assertThat(cardsOf(orderSign(cured, TODAY), RULE)).isEmpty();
    }

    @Test
    void treponemalAntibodyPositiveIsAWarningButRprIsNotTreponemal() {
        FhirRecord record = patient();
        record.observation("24110-9", "reactive", "2026-11-01");
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo("Treponemal antibody positive: confirm and treat syphilis before alemtuzumab.");
        });

        FhirRecord rpr = patient();
        rpr.observation("20507-0", "reactive", "2026-11-01");
        assertThat(cardsOf(orderSign(rpr, TODAY), RULE)).isEmpty();
    }

    @Test
    void negativeScreensAreSilent() {
        FhirRecord record = patient();
        record.observation("5196-1", "negative", "2026-11-01");
        record.observation("16933-4", "negative", "2026-11-01");
        record.observation("16128-1", "negative", "2026-11-01");
        record.observation("24110-9", "non-reactive", "2026-11-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void latestResultDecidesAndEnteredInErrorIsIgnored() {
        FhirRecord record = patient();
        record.observation("5196-1", "positive", "2026-11-05").put("status", "entered-in-error");
        record.observation("5196-1", "negative", "2026-11-01");
        FhirRecord.verificationStatus(record.condition("66071002", "Viral hepatitis type B", "2018-01-01"), "refuted");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void severalFindingsGiveOneCardEach() {
        FhirRecord record = patient();
        record.observation("5196-1", "positive", "2026-11-01");
        record.observation("16128-1", "positive", "2026-11-01");
        record.observation("24110-9", "positive", "2026-11-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).extracting(c -> c.indicator())
                .containsExactlyInAnyOrder("critical", "warning", "warning");
    }
}
