package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** RCI-THROMBOCYTOPENIA (catalogue §4.3). */
class ThrombocytopeniaTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";
    private static final String RULE = "RCI-THROMBOCYTOPENIA";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    @Test
    void plateletsBelow100AreAWarningWithHematologyReferral() {
        FhirRecord record = patient();
        record.observation("777-3", 85, "10*9/L", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Baseline platelets 85").contains("relative contraindication");
            assertThat(card.detail()).contains("2026-11-20").contains("below 100");
            assertThat(card.suggestions()).singleElement()
                    .satisfies(s -> assertThat(s.label()).containsIgnoringCase("hematology"));
        });
    }

    @Test
    void exactly100IsBelowTheLowerLimitButNotBelow100() {
        FhirRecord record = patient();
        record.observation("777-3", 100, "10*9/L", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Baseline platelets 100");
            assertThat(card.detail()).doesNotContain("below 100");
        });
    }

    @Test
    void exactly150IsNormal() {
        FhirRecord record = patient();
        record.observation("777-3", 150, "10*9/L", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void countsPerMicrolitreAreNormalised() {
        FhirRecord record = patient();
        record.observation("777-3", 150000, "/uL", "2026-11-20");
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();

        FhirRecord low = patient();
        low.observation("777-3", 99000, "/uL", "2026-11-20");
        assertThat(cardsOf(orderSign(low, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("below 100"));
    }

    @Test
    void countsIn10e3PerMicrolitreAreNormalised() {
        FhirRecord record = patient();
        record.observation("777-3", 149, "10*3/uL", "2026-11-20");
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Baseline platelets 149"));

        FhirRecord normal = patient();
        normal.observation("777-3", 150, "10*3/uL", "2026-11-20");
        assertThat(cardsOf(orderSign(normal, TODAY), RULE)).isEmpty();
    }

    @Test
    void reportedReferenceRangeReplacesTheDefault() {
        FhirRecord record = patient();
        var o = record.observation("777-3", 140, "10*9/L", "2026-11-20");
        o.putArray("referenceRange").addObject().putObject("low").put("value", 130).put("unit", "10*9/L").put("code", "10*9/L");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void resultOlderThan30DaysIsIgnored() {
        FhirRecord record = patient();
        record.observation("777-3", 60, "10*9/L", "2026-10-31"); // START - 31 days
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();

        FhirRecord inWindow = patient();
        inWindow.observation("777-3", 60, "10*9/L", "2026-11-01"); // START - 30 days
        assertThat(cardsOf(orderSign(inWindow, TODAY), RULE)).hasSize(1);
    }

    @Test
    void latestCountDecides() {
        FhirRecord record = patient();
        record.observation("777-3", 60, "10*9/L", "2026-11-10");
        record.observation("777-3", 220, "10*9/L", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void priorItpWarnsEvenWithNormalCountsAndWhenResolved() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("32273002", "Idiopathic thrombocytopenic purpura", "2015-03-01"), "resolved");
        record.observation("777-3", 240, "10*9/L", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("ITP/thrombocytopenia history");
            assertThat(card.detail()).contains("2015-03-01");
        });
    }

    @Test
    void refutedOrEnteredInErrorItpIsIgnored() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("32273002", "Idiopathic thrombocytopenic purpura", "2015-03-01"), "refuted");
        FhirRecord.verificationStatus(record.condition("302215000", "Thrombocytopenic disorder", "2020-03-01"), "entered-in-error");
        record.observation("777-3", 240, "10*9/L", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void unconfirmedItpAloneIsInfo() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("32273002", "Idiopathic thrombocytopenic purpura", "2015-03-01"), "provisional");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
    }

    @Test
    void uninterpretableUnitSaysSo() {
        FhirRecord record = patient();
        record.observation("777-3", 90, "mystery", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).contains("cannot interpret unit");
        });
    }

    @Test
    void aPreliminaryCountDecidesNothingButALowOneIsAWarningThatCitesIt() {
        FhirRecord record = patient();
        record.observation("777-3", 60, "10*9/L", "2026-11-20").put("status", "preliminary");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Preliminary result: platelets 60 ×10⁹/L, below 100 (2026-11-20)");
            assertThat(card.detail()).contains("No usable platelet count within 30 days");
        });
    }
}
