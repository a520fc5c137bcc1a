package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.CHOLESTYRAMINE;
import static org.alemcds.rules.SwitchingData.DIMETHYL_FUMARATE;
import static org.alemcds.rules.SwitchingData.TERIFLUNOMIDE;
import static org.alemcds.rules.SwitchingData.alc;
import static org.alemcds.rules.SwitchingData.localResult;
import static org.alemcds.rules.SwitchingData.request;
import static org.alemcds.rules.SwitchingData.stopped;
import static org.alemcds.rules.SwitchingData.wbc;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SW-FUMARATE (SW-FUMARATE-WASH, -ALC) and SW-TERI (SW-TERI-WASH, -ALC, -ELIM, -LEVEL), catalogue §4.4. */
class FumarateTeriflunomideSwitchTest {

    private static final String STOP = "2025-01-10";

    private static FhirRecord onFumarate(String start) {
        FhirRecord record = FhirRecord.female("1990-04-02");
        stopped(record, DIMETHYL_FUMARATE, "2023-06-01", STOP);
        record.draftAlemtuzumab(start, 5);
        return record;
    }

    private static List<Card> cards(FhirRecord record, String ruleId) {
        return cardsOf(orderSign(record, "2025-02-01"), ruleId);
    }

    // ---- SW-FUMARATE-WASH

    @Test
    void oneDayBeforeOneMonthWarns() {
        FhirRecord record = onFumarate("2025-02-09");
        alc(record, 1.9, "10*9/L", "2025-02-03");

        assertThat(cards(record, "SW-FUMARATE-WASH")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo("Dimethyl fumarate stopped 2025-01-10: wait ≥1 month before alemtuzumab (earliest 2025-02-10).");
            assertThat(card.detail()).contains("30 days after the stop");
        });
    }

    @Test
    void exactlyOneMonthIsAllowed() {
        FhirRecord record = onFumarate("2025-02-10");
        alc(record, 1.9, "10*9/L", "2025-02-03");

        var all = orderSign(record, "2025-02-01");
        assertThat(cardsOf(all, "SW-FUMARATE-WASH")).as(describe(all)).isEmpty();
        assertThat(cardsOf(all, "SW-FUMARATE-ALC")).as(describe(all)).isEmpty();
    }

    // ---- SW-FUMARATE-ALC: strict > 1.5 ×10⁹/L in every unit

    @ParameterizedTest
    @CsvSource({"1.5, 10*9/L, ×10⁹/L", "1500, /mm3, /mm3", "1.5, 10*3/uL, ×10³/µL", "1500, /uL, /µL", "1.2, G/L, G/L"})
    void alcAtOrBelow15FailsInEveryUnit(double value, String unit, String unitAsShown) {
        FhirRecord record = onFumarate("2025-02-20");
        alc(record, value, unit, "2025-02-03");

        assertThat(cards(record, "SW-FUMARATE-ALC")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("ALC 1.").endsWith(
                    "×10⁹/L after dimethyl fumarate: must be >1.5 ×10⁹/L (1,500/µL) before alemtuzumab.");
            assertThat(card.detail()).contains(unitAsShown).contains("2025-02-03");
            assertThat(card.suggestions()).singleElement()
                    .satisfies(s -> assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("731-0"));
        });
    }

    @ParameterizedTest
    @CsvSource({"1.51, 10*9/L", "1510, /mm3", "1.51, 10*3/uL"})
    void alcAbove15Passes(double value, String unit) {
        FhirRecord record = onFumarate("2025-02-20");
        alc(record, value, unit, "2025-02-03");

        assertThat(cards(record, "SW-FUMARATE-ALC")).isEmpty();
    }

    @Test
    void alcOnlyBeforeTheStopIsMissing() {
        FhirRecord record = onFumarate("2025-02-05");
        alc(record, 2.4, "10*9/L", "2025-01-10"); // the stop day: not after it

        assertThat(cards(record, "SW-FUMARATE-ALC")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Cannot assess dimethyl fumarate washout: no lymphocyte count after stopping. Order CBC with differential.");
            assertThat(card.suggestions()).hasSize(1);
        });
    }

    @Test
    void alcOlderThan30DaysIsMissing() {
        FhirRecord record = onFumarate("2025-03-15");
        alc(record, 2.4, "10*9/L", "2025-02-12"); // EvalDate - 31 days

        assertThat(cards(record, "SW-FUMARATE-ALC")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Cannot assess"));
    }

    @Test
    void alcExactly30DaysOldCounts() {
        FhirRecord record = onFumarate("2025-03-15");
        alc(record, 2.4, "10*9/L", "2025-02-13");

        assertThat(cards(record, "SW-FUMARATE-ALC")).isEmpty();
    }

    @Test
    void uninterpretableUnitIsMissingAndSaysSo() {
        FhirRecord record = onFumarate("2025-02-20");
        alc(record, 2.4, "cells", "2025-02-03");

        assertThat(cards(record, "SW-FUMARATE-ALC")).singleElement().satisfies(card -> {
            assertThat(card.summary()).startsWith("Cannot assess").contains("not interpretable");
            assertThat(card.detail()).contains("\"cells\"");
        });
    }

    @Test
    void percentageNeedsASameTimeWbc() {
        FhirRecord record = onFumarate("2025-02-20");
        alc(record, 25, "%", "2025-02-03T08:00:00Z");

        assertThat(cards(record, "SW-FUMARATE-ALC")).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("not interpretable"));
    }

    @Test
    void percentageWithSameTimeWbcIsConverted() {
        FhirRecord record = onFumarate("2025-02-20");
        alc(record, 25, "%", "2025-02-03T08:00:00Z");
        wbc(record, 5.6, "10*9/L", "2025-02-03T08:00:00Z"); // 1.4 ×10⁹/L

        assertThat(cards(record, "SW-FUMARATE-ALC")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("ALC 1.4"));
    }

    @Test
    void preliminaryAlcIsNotUsed() {
        FhirRecord record = onFumarate("2025-02-20");
        alc(record, 2.4, "10*9/L", "2025-02-03").put("status", "preliminary");

        assertThat(cards(record, "SW-FUMARATE-ALC")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Cannot assess"));
    }

    @Test
    void possiblyOngoingUsesTheDocumentedStopAndSaysSo() {
        FhirRecord record = onFumarate("2025-02-09");
        request(record, DIMETHYL_FUMARATE, "active", "2024-03-01", "2024-03-01", null);
        alc(record, 1.9, "10*9/L", "2025-02-03");

        var all = orderSign(record, "2025-02-01");
        assertThat(cardsOf(all, "SW-FUMARATE-WASH")).as(describe(all)).singleElement().satisfies(card -> {
            assertThat(card.summary()).startsWith("Dimethyl fumarate stopped 2025-01-10");
            assertThat(card.detail()).contains("Assuming stop date 2025-01-10 is correct");
        });
        assertThat(cardsOf(all, "SW-CONCURRENT-DMT")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void stoppedOrderWithoutAnEndDateHasNoKnownStop() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        request(record, DIMETHYL_FUMARATE, "stopped", "2023-06-01", "2023-06-01", null);
        record.draftAlemtuzumab("2025-03-01", 5);
        alc(record, 1.9, "10*9/L", "2025-02-20");

        var all = orderSign(record, "2025-02-25");
        assertThat(cardsOf(all, "SW-CONCURRENT-DMT")).as(describe(all)).isEmpty();
        assertThat(cardsOf(all, "SW-FUMARATE-WASH")).singleElement().satisfies(card ->
                assertThat(card.summary()).isEqualTo("Dimethyl fumarate: stop date not recorded: wait ≥1 month after stopping before alemtuzumab."));
        assertThat(cardsOf(all, "SW-FUMARATE-ALC")).isEmpty();
    }

    @Test
    void fumarateRulesDoNotApplyToASecondCourse() {
        FhirRecord record = onFumarate("2026-04-01");
        SwitchingData.alemtuzumabCourse(record, "2025-03-", 3, 5);

        var all = orderSign(record, "2026-03-20");
        assertThat(cardsOf(all, "SW-FUMARATE-WASH")).isEmpty();
        assertThat(cardsOf(all, "SW-FUMARATE-ALC")).isEmpty();
    }

    // ---- SW-TERI

    private static FhirRecord onTeriflunomide(String start) {
        FhirRecord record = FhirRecord.female("1990-04-02");
        stopped(record, TERIFLUNOMIDE, "2022-06-01", STOP);
        record.draftAlemtuzumab(start, 5);
        return record;
    }

    @Test
    void completeTeriflunomideWorkUpShowsOnlyTheLevel() {
        FhirRecord record = onTeriflunomide("2025-03-01");
        alc(record, 1.8, "10*9/L", "2025-02-20");
        record.administration(CHOLESTYRAMINE.deepCopy(), "2025-01-12");
        localResult(record, "Teriflunomide [Mass/volume] in Serum or Plasma", 0.01, "mg/L", "2025-01-28");

        var all = orderSign(record, "2025-02-25");
        assertThat(cardsOf(all, "SW-TERI-WASH")).as(describe(all)).isEmpty();
        assertThat(cardsOf(all, "SW-TERI-ALC")).isEmpty();
        assertThat(cardsOf(all, "SW-TERI-ELIM")).isEmpty();
        assertThat(cardsOf(all, "SW-TERI-LEVEL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).contains("0.01 mg/L on 2025-01-28");
        });
    }

    @Test
    void teriflunomideWithoutEliminationLevelOrAlc() {
        FhirRecord record = onTeriflunomide("2025-02-09");

        var all = orderSign(record, "2025-02-01");

        assertThat(cardsOf(all, "SW-TERI-WASH")).as(describe(all)).singleElement().satisfies(card ->
                assertThat(card.summary()).isEqualTo("Teriflunomide stopped 2025-01-10: wait ≥1 month before alemtuzumab (earliest 2025-02-10)."));
        assertThat(cardsOf(all, "SW-TERI-ALC")).singleElement().satisfies(card ->
                assertThat(card.summary()).startsWith("Cannot assess teriflunomide washout: no lymphocyte count after stopping"));
        assertThat(cardsOf(all, "SW-TERI-ELIM")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo("Teriflunomide: no accelerated elimination (cholestyramine) recorded before alemtuzumab.");
            assertThat(card.suggestions()).singleElement().satisfies(s -> {
                var resource = s.actions().get(0).resource();
                assertThat(resource.get("resourceType").asText()).isEqualTo("MedicationRequest");
                assertThat(resource.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("2447");
            });
        });
        assertThat(cardsOf(all, "SW-TERI-LEVEL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo("Teriflunomide: no plasma concentration after elimination recorded; measure before alemtuzumab.");
        });
    }

    @Test
    void teriflunomideAlcOf15Fails() {
        FhirRecord record = onTeriflunomide("2025-03-01");
        alc(record, 1500, "/mm3", "2025-02-20");

        assertThat(cardsOf(orderSign(record, "2025-02-25"), "SW-TERI-ALC")).singleElement().satisfies(card ->
                assertThat(card.summary()).endsWith("after teriflunomide: must be >1.5 ×10⁹/L (1,500/µL) before alemtuzumab."));
    }

    @Test
    void cholestyramineBeforeTheStopIsNotAnElimination() {
        FhirRecord record = onTeriflunomide("2025-03-01");
        record.administration(CHOLESTYRAMINE.deepCopy(), "2025-01-05");

        assertThat(cardsOf(orderSign(record, "2025-02-25"), "SW-TERI-ELIM")).hasSize(1);
    }

    @Test
    void cholestyramineOrderOnTheStopDayCounts() {
        FhirRecord record = onTeriflunomide("2025-03-01");
        request(record, CHOLESTYRAMINE, "completed", "2025-01-10", "2025-01-10", "2025-01-21");

        assertThat(cardsOf(orderSign(record, "2025-02-25"), "SW-TERI-ELIM")).isEmpty();
    }

    @Test
    void levelBeforeTheEliminationDoesNotCount() {
        FhirRecord record = onTeriflunomide("2025-03-01");
        record.administration(CHOLESTYRAMINE.deepCopy(), "2025-01-20");
        localResult(record, "Teriflunomide level", 12.0, "mg/L", "2025-01-15");

        assertThat(cardsOf(orderSign(record, "2025-02-25"), "SW-TERI-LEVEL")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }
}
