package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.AZATHIOPRINE;
import static org.alemcds.rules.SwitchingData.DIMETHYL_FUMARATE;
import static org.alemcds.rules.SwitchingData.FINGOLIMOD;
import static org.alemcds.rules.SwitchingData.INTERFERON_BETA_1A;
import static org.alemcds.rules.SwitchingData.MITOXANTRONE;
import static org.alemcds.rules.SwitchingData.NATALIZUMAB;
import static org.alemcds.rules.SwitchingData.OCRELIZUMAB;
import static org.alemcds.rules.SwitchingData.alc;
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

/** SW-CONCURRENT-DMT, SW-S1P, SW-IFN-GA, SW-IMMUNOSUPP and SW-DEPLETING-OTHER (catalogue §4.4). */
class OtherSwitchingTest {

    private static FhirRecord patient(String start) {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab(start, 5);
        return record;
    }

    private static List<Card> cards(FhirRecord record, String today, String ruleId) {
        return cardsOf(orderSign(record, today), ruleId);
    }

    // ---- SW-CONCURRENT-DMT

    @Test
    void activeOrderWithoutStopIsCritical() {
        FhirRecord record = patient("2025-03-01");
        request(record, FINGOLIMOD, "active", "2023-05-01", "2023-05-01", null);

        assertThat(cards(record, "2025-02-20", "SW-CONCURRENT-DMT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Fingolimod is still active: stop it and observe washout before alemtuzumab (no concomitant immunotherapy).");
            assertThat(card.suggestions()).singleElement()
                    .satisfies(s -> assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("Task"));
        });
    }

    @Test
    void activeStatementWithoutEndIsCritical() {
        FhirRecord record = patient("2025-03-01");
        record.statement(INTERFERON_BETA_1A.deepCopy(), "active", "2022-01-01", null);

        assertThat(cards(record, "2025-02-20", "SW-CONCURRENT-DMT")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void concurrentDmtRunsForEveryCourse() {
        FhirRecord record = patient("2026-04-01");
        SwitchingData.alemtuzumabCourse(record, "2025-03-", 3, 5);
        request(record, FINGOLIMOD, "active", "2025-06-01", "2025-06-01", null);

        assertThat(cards(record, "2026-03-20", "SW-CONCURRENT-DMT")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void activeOrderAuthoredBeforeADocumentedStopIsAReconcileWarning() {
        FhirRecord record = patient("2025-03-01");
        request(record, DIMETHYL_FUMARATE, "active", "2024-03-01", "2024-03-01", null);
        stopped(record, DIMETHYL_FUMARATE, "2024-03-01", "2025-01-10");

        assertThat(cards(record, "2025-02-20", "SW-CONCURRENT-DMT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo("Dimethyl fumarate: statement says stopped 2025-01-10 but an active order exists; "
                    + "reconcile before applying washout rules.");
            assertThat(card.suggestions()).singleElement().satisfies(s -> assertThat(s.label()).contains("reconciliation"));
        });
    }

    @Test
    void activeOrderAfterTheStopIsCritical() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, DIMETHYL_FUMARATE, "2024-03-01", "2024-09-10");
        request(record, DIMETHYL_FUMARATE, "active", "2024-12-01", "2024-12-01", null);

        assertThat(cards(record, "2025-02-20", "SW-CONCURRENT-DMT")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void stoppedCompletedAndEnteredInErrorRecordsAreSilent() {
        FhirRecord record = patient("2025-03-01");
        request(record, FINGOLIMOD, "stopped", "2023-05-01", "2023-05-01", "2024-10-01");
        request(record, NATALIZUMAB, "active", "2024-01-01", "2024-01-01", null).put("status", "entered-in-error");
        record.statement(INTERFERON_BETA_1A.deepCopy(), "not-taken", "2022-01-01", null);

        var all = orderSign(record, "2025-02-20");
        assertThat(cardsOf(all, "SW-CONCURRENT-DMT")).as(describe(all)).isEmpty();
        assertThat(cardsOf(all, "SW-NTZ")).isEmpty();
        assertThat(cardsOf(all, "SW-IFN-GA")).isEmpty();
    }

    @Test
    void eachDrugGroupIsJudgedOnItsOwn() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, DIMETHYL_FUMARATE, "2023-01-01", "2025-01-10");
        request(record, FINGOLIMOD, "active", "2024-06-01", "2024-06-01", null); // older than the DMF stop

        assertThat(cards(record, "2025-02-20", "SW-CONCURRENT-DMT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Fingolimod");
        });
    }

    // ---- SW-S1P

    @Test
    void alcOf10AfterFingolimodFails() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, FINGOLIMOD, "2022-01-01", "2025-01-10");
        alc(record, 1000, "/uL", "2025-02-15");

        assertThat(cards(record, "2025-02-20", "SW-S1P")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("ALC 1").endsWith(
                    "×10⁹/L after fingolimod: wait for recovery to >1.0 ×10⁹/L (1,000/µL) before alemtuzumab.");
        });
    }

    @Test
    void alcAbove10AfterFingolimodPasses() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, FINGOLIMOD, "2022-01-01", "2025-01-10");
        alc(record, 1.01, "10*3/uL", "2025-02-15");

        assertThat(cards(record, "2025-02-20", "SW-S1P")).isEmpty();
    }

    @Test
    void missingAlcAfterFingolimodWarns() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, FINGOLIMOD, "2022-01-01", "2025-01-10");

        assertThat(cards(record, "2025-02-20", "SW-S1P")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Cannot assess fingolimod washout");
        });
    }

    // ---- SW-IFN-GA

    @Test
    void lowAlcBeforeTheStopStillCountsForInterferon() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, INTERFERON_BETA_1A, "2020-01-01", "2025-02-25");
        alc(record, 0.8, "10*9/L", "2025-02-10");
        wbc(record, 5.0, "10*9/L", "2025-02-10");

        assertThat(cards(record, "2025-02-20", "SW-IFN-GA")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Switch from interferon beta-1a is direct only without lab abnormalities: ALC 0.8")
                    .endsWith("below normal; investigate first.");
        });
    }

    @Test
    void alcAtTheLowerLimitIsNormal() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, INTERFERON_BETA_1A, "2020-01-01", "2025-02-25");
        alc(record, 1000, "cells/uL", "2025-02-10");
        wbc(record, 4.0, "10*9/L", "2025-02-10");

        assertThat(cards(record, "2025-02-20", "SW-IFN-GA")).isEmpty();
    }

    @Test
    void lowWbcAndReferenceRangeAreUsed() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, INTERFERON_BETA_1A, "2020-01-01", "2025-02-25");
        alc(record, 1.1, "10*9/L", "2025-02-10").putArray("referenceRange").addObject().putObject("low")
                .put("value", 1.2).put("unit", "10*9/L").put("code", "10*9/L");
        wbc(record, 3.5, "10*9/L", "2025-02-10");

        assertThat(cards(record, "2025-02-20", "SW-IFN-GA")).singleElement().satisfies(card -> {
            assertThat(card.summary()).contains("ALC 1.1").contains("WBC 3.5");
            assertThat(card.detail()).contains("lower limit 1.2");
        });
    }

    @Test
    void missingCbcIsLeftToLabReq() {
        FhirRecord record = patient("2025-03-01");
        stopped(record, INTERFERON_BETA_1A, "2020-01-01", "2025-02-25");
        alc(record, 0.5, "10*9/L", "2025-01-20"); // older than 30 days

        assertThat(cards(record, "2025-02-20", "SW-IFN-GA")).isEmpty();
    }

    // ---- SW-IMMUNOSUPP (azathioprine stopped 2025-01-10)

    private static FhirRecord onAzathioprine(String start) {
        FhirRecord record = patient(start);
        stopped(record, AZATHIOPRINE, "2020-01-01", "2025-01-10");
        return record;
    }

    @Test
    void immunosuppressantOneDayBeforeThreeMonthsIsCritical() {
        FhirRecord record = onAzathioprine("2025-04-09");

        assertThat(cards(record, "2025-04-01", "SW-IMMUNOSUPP")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo("Azathioprine stopped 2025-01-10: immunosuppressant washout of 3–6 months required "
                    + "(earliest 2025-04-10; conservative 2025-07-10).");
        });
    }

    @Test
    void immunosuppressantExactlyThreeMonthsIsAWarning() {
        FhirRecord record = onAzathioprine("2025-04-10");
        wbc(record, 6.0, "10*9/L", "2025-04-01");

        assertThat(cards(record, "2025-04-01", "SW-IMMUNOSUPP")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Azathioprine washout 3 months: within 3–6 month range; conservative minimum 6 months (2025-07-10).");
        });
    }

    @Test
    void immunosuppressantOneDayBeforeSixMonthsIsStillAWarning() {
        FhirRecord record = onAzathioprine("2025-07-09");
        wbc(record, 6.0, "10*9/L", "2025-07-01");

        assertThat(cards(record, "2025-07-01", "SW-IMMUNOSUPP")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Azathioprine washout 5 months"));
    }

    @Test
    void immunosuppressantSixMonthsWithNormalWbcIsSilent() {
        FhirRecord record = onAzathioprine("2025-07-10");
        wbc(record, 6000, "/uL", "2025-07-01");

        assertThat(cards(record, "2025-07-01", "SW-IMMUNOSUPP")).isEmpty();
    }

    @Test
    void lowWbcAfterImmunosuppressantWarns() {
        FhirRecord record = onAzathioprine("2025-07-10");
        wbc(record, 3.2, "10*3/uL", "2025-07-01");

        assertThat(cards(record, "2025-07-01", "SW-IMMUNOSUPP")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("WBC 3.2")
                    .endsWith("×10⁹/L after azathioprine: white cell counts must be normal before alemtuzumab.");
        });
    }

    @Test
    void missingWbcAfterSixMonthsWarns() {
        FhirRecord record = onAzathioprine("2025-07-10");

        assertThat(cards(record, "2025-07-01", "SW-IMMUNOSUPP")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo("Cannot assess azathioprine washout: no WBC after stopping. Order CBC with differential.");
        });
    }

    @Test
    void mitoxantroneInfusionDateIsTheStop() {
        FhirRecord record = patient("2025-04-09");
        record.administration(MITOXANTRONE.deepCopy(), "2025-01-10");

        assertThat(cards(record, "2025-04-01", "SW-IMMUNOSUPP")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Mitoxantrone stopped 2025-01-10"));
    }

    // ---- SW-DEPLETING-OTHER (last ocrelizumab infusion 2024-06-01)

    @Test
    void depletingTherapyWithinTwelveMonthsWarns() {
        FhirRecord record = patient("2025-05-31");
        record.administration(OCRELIZUMAB.deepCopy(), "2024-06-01");

        assertThat(cards(record, "2025-05-20", "SW-DEPLETING-OTHER")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Recent ocrelizumab (cell-depleting): no source-defined washout; check lymphocyte recovery, specialist decision.");
        });
    }

    @Test
    void depletingTherapyTwelveMonthsAgoIsSilent() {
        FhirRecord record = patient("2025-06-01");
        record.administration(OCRELIZUMAB.deepCopy(), "2024-06-01");

        assertThat(cards(record, "2025-05-20", "SW-DEPLETING-OTHER")).isEmpty();
    }

    @Test
    void noPriorDmtNoSwitchingCards() {
        var all = orderSign(patient("2025-03-01"), "2025-02-20");

        assertThat(all.stream().filter(c -> c.source().topic().code().startsWith("SW-"))).as(describe(all)).isEmpty();
    }
}
