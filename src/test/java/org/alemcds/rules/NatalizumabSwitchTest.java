package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.NATALIZUMAB;
import static org.alemcds.rules.SwitchingData.jcvIndex;
import static org.alemcds.rules.SwitchingData.localResult;
import static org.alemcds.rules.SwitchingData.mri;
import static org.alemcds.rules.SwitchingData.relapse;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** SW-NTZ (catalogue §4.4): PML risk-stratified switch from natalizumab. Last infusion 2025-01-10 throughout. */
class NatalizumabSwitchTest {

    private static final String LAST_INFUSION = "2025-01-10";

    /** Natalizumab from firstInfusion to 2025-01-10 and a draft course 1 starting on start. */
    private static FhirRecord patient(String firstInfusion, String start) {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.administration(NATALIZUMAB.deepCopy(), firstInfusion);
        record.administration(NATALIZUMAB.deepCopy(), "2024-06-14");
        record.administration(NATALIZUMAB.deepCopy(), LAST_INFUSION);
        record.draftAlemtuzumab(start, 5);
        return record;
    }

    /** Exactly 24 months of natalizumab (HIGH with JCV+). */
    private static FhirRecord highRisk(String start) {
        FhirRecord record = patient("2023-01-10", start);
        jcvIndex(record, 0.52, "2024-12-01");
        return record;
    }

    /** JCV negative (LOW whatever the duration). */
    private static FhirRecord lowRisk(String start) {
        FhirRecord record = patient("2021-05-01", start);
        localResult(record, "JCV antibody", "negative", "2024-12-01");
        return record;
    }

    private static List<Card> ntz(FhirRecord record, String today) {
        return cardsOf(orderSign(record, today), "SW-NTZ");
    }

    // ---- LOW risk

    @Test
    void lowRiskOneDayBeforeTwoMonthsIsCritical() {
        var cards = ntz(lowRisk("2025-03-09"), "2025-03-01");

        assertThat(cards).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo("Natalizumab stopped 2025-01-10 (58 d), low PML risk: washout 2–3 months "
                    + "(earliest 2025-03-10; conservative 2025-04-10).");
            assertThat(card.detail()).contains("PML risk class LOW").contains("negative");
            assertThat(card.source().label()).startsWith("Hassoun et al. 2016");
        });
    }

    @Test
    void lowRiskExactlyTwoMonthsIsOnlyAWarning() {
        var cards = ntz(lowRisk("2025-03-10"), "2025-03-01");

        assertThat(cards).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Natalizumab washout 59 days: source allows 2–3 months; conservative minimum is 3 months (2025-04-10).");
        });
    }

    @Test
    void lowRiskOneDayBeforeThreeMonthsIsStillAWarning() {
        FhirRecord record = lowRisk("2025-04-09");
        mri(record, "2025-04-01", "No new lesions.");

        assertThat(ntz(record, "2025-04-01")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Natalizumab washout 89 days"));
    }

    @Test
    void lowRiskExactlyThreeMonthsWithRecentMriIsSilent() {
        FhirRecord record = lowRisk("2025-04-10");
        mri(record, "2025-04-01", "No new lesions.");

        assertThat(ntz(record, "2025-04-01")).isEmpty();
    }

    @Test
    void lowRiskWithoutMriAfterTheLastInfusionAsksForTheWorkUp() {
        FhirRecord record = lowRisk("2025-04-10");
        mri(record, "2025-01-05", "No new lesions."); // before the last infusion: does not count

        assertThat(ntz(record, "2025-04-01")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).contains("no MRI since the last infusion").contains("MRI ± CSF work-up");
            assertThat(card.suggestions()).hasSize(1);
        });
    }

    @Test
    void lowRiskActivityAfterStoppingSuggestsCsf() {
        FhirRecord record = lowRisk("2025-04-20");
        mri(record, "2025-04-01", "Two new gadolinium-enhancing lesions.");

        assertThat(ntz(record, "2025-04-01")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).contains("consider CSF JCV DNA and cell count");
        });
    }

    @Test
    void shortNatalizumabWithPositiveJcvIsLowRisk() {
        FhirRecord record = patient("2023-01-11", "2025-03-20"); // 23 months 30 days
        jcvIndex(record, 1.8, "2024-12-01");

        assertThat(ntz(record, "2025-03-01")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Natalizumab washout 69 days"));
    }

    // ---- HIGH risk

    @Test
    void highRiskBeforeThreeMonthsIsCriticalWithEarliestSixMonths() {
        var cards = ntz(highRisk("2025-04-09"), "2025-04-01");

        assertThat(cards).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo("Natalizumab JCV+ >2 y: PML carry-over risk. Earliest alemtuzumab 2025-07-10 "
                    + "unless activity + CSF JCV-PCR neg.");
            assertThat(card.detail()).contains("PML risk class HIGH").contains("first exclusion MRI is due at 3 months (2025-04-10)");
        });
    }

    @Test
    void exactlyTwentyFourMonthsIsHighRisk() {
        assertThat(ntz(highRisk("2025-03-20"), "2025-03-01")).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("PML risk class HIGH").contains("24 months"));
    }

    @Test
    void highRiskBetweenThreeAndSixMonthsWithoutActivityIsCriticalWithNextMriDate() {
        FhirRecord record = highRisk("2025-05-20");
        mri(record, "2025-04-10", "No new lesions.");
        mri(record, "2025-05-08", "No new lesions. No evidence of PML.");

        assertThat(ntz(record, "2025-05-15")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).contains("Earliest alemtuzumab 2025-07-10");
            assertThat(card.detail()).contains("2025-04-10").contains("2025-05-08").contains("next MRI due 2025-06-05");
        });
    }

    @Test
    void highRiskActivityWithoutCsfNeedsCsf() {
        FhirRecord record = highRisk("2025-05-20");
        mri(record, "2025-04-10", "New T2 lesion in the right periventricular white matter.");

        assertThat(ntz(record, "2025-05-15")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).contains("order CSF JCV DNA and cell count");
            assertThat(card.suggestions()).singleElement()
                    .satisfies(s -> assertThat(s.label()).contains("CSF JCV DNA PCR"));
        });
    }

    @Test
    void highRiskClinicalRelapseCountsAsActivity() {
        FhirRecord record = highRisk("2025-05-20");
        relapse(record, "2025-04-20");

        assertThat(ntz(record, "2025-05-15")).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("activity since stopping (2025-04-20)"));
    }

    @Test
    void highRiskActivityWithNegativeCsfAfterItAllowsTheStart() {
        FhirRecord record = highRisk("2025-05-20");
        mri(record, "2025-04-10", "New gadolinium-enhancing lesion.");
        localResult(record, "JC virus DNA PCR, CSF", "not detected", "2025-04-25");

        assertThat(ntz(record, "2025-05-15")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).contains("CSF JCV DNA negative 2025-04-25");
        });
    }

    @Test
    void csfBeforeTheActivityDoesNotCount() {
        FhirRecord record = highRisk("2025-05-20");
        localResult(record, "JC virus DNA PCR, CSF", "not detected", "2025-04-05");
        mri(record, "2025-04-10", "New gadolinium-enhancing lesion.");

        assertThat(ntz(record, "2025-05-15")).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("order CSF JCV DNA"));
    }

    @Test
    void highRiskOneDayBeforeSixMonthsIsCritical() {
        FhirRecord record = highRisk("2025-07-09");
        mri(record, "2025-07-01", "No new lesions.");

        assertThat(ntz(record, "2025-07-01")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void highRiskAtSixMonthsWithMriExactly28DaysOldIsSilent() {
        FhirRecord record = highRisk("2025-07-10");
        mri(record, "2025-06-12", "No new lesions.");

        assertThat(ntz(record, "2025-07-01")).isEmpty();
    }

    @Test
    void highRiskAtSixMonthsWithMri29DaysOldAsksForARepeat() {
        FhirRecord record = highRisk("2025-07-10");
        mri(record, "2025-06-11", "No new lesions.");

        assertThat(ntz(record, "2025-07-01")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo("Natalizumab JCV+ >2 y, stopped 2025-01-10: last MRI 2025-06-11 is >4 weeks old; "
                    + "repeat it to exclude PML first.");
        });
    }

    @Test
    void mriWithPmlFeaturesIsCritical() {
        FhirRecord record = highRisk("2025-07-10");
        mri(record, "2025-06-20", "Subcortical lesion suspicious for progressive multifocal leukoencephalopathy.");

        assertThat(ntz(record, "2025-07-01")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).contains("MRI 2025-06-20 reports possible PML features");
        });
    }

    @Test
    void wordingThatNegatesPmlIsNotAPmlFeature() {
        FhirRecord record = highRisk("2025-05-20");
        mri(record, "2025-04-10", "New T2 lesion. No imaging features suggestive of PML.");

        assertThat(ntz(record, "2025-05-15")).singleElement().satisfies(card -> {
            assertThat(card.summary()).doesNotContain("PML features").contains("order CSF JCV DNA");
            assertThat(card.detail()).contains("2025-04-10").doesNotContain("; PML features");
        });
    }

    @Test
    void noNewLesionsDoesNotHideAPmlMention() {
        for (String conclusion : List.of("No new MS lesions. Subcortical lesion suspicious for PML.",
                "No new lesions; PML cannot be excluded.")) {
            FhirRecord record = highRisk("2025-07-10");
            mri(record, "2025-06-20", conclusion);

            assertThat(ntz(record, "2025-07-01")).as(conclusion).singleElement().satisfies(card -> {
                assertThat(card.indicator()).isEqualTo("critical");
                assertThat(card.summary()).contains("MRI 2025-06-20 reports possible PML features");
            });
        }
    }

    @Test
    void indeterminateJcvIndexCountsAsPositive() {
        FhirRecord record = patient("2023-01-10", "2025-04-09");
        jcvIndex(record, 0.30, "2024-12-01");

        assertThat(ntz(record, "2025-04-01")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Natalizumab JCV+ >2 y: PML carry-over risk"));
    }

    @Test
    void jcvIndexBelow020IsNegative() {
        FhirRecord record = patient("2023-01-10", "2025-04-09");
        jcvIndex(record, 0.19, "2024-12-01");

        assertThat(ntz(record, "2025-04-01")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Natalizumab washout 89 days"));
    }

    @Test
    void labInterpretationWinsOverTheIndex() {
        FhirRecord record = patient("2023-01-10", "2025-04-09");
        jcvIndex(record, 0.30, "2024-12-01").putArray("interpretation").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation").put("code", "NEG");

        assertThat(ntz(record, "2025-04-01")).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("PML risk class LOW"));
    }

    // ---- JCV missing

    @Test
    void missingJcvWithLongNatalizumabIsHighRiskPlusAWarning() {
        FhirRecord record = patient("2023-01-10", "2025-04-09");

        var cards = ntz(record, "2025-04-01");

        assertThat(cards).as(describe(cards)).hasSize(2);
        assertThat(cards).anySatisfy(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Natalizumab JCV unknown >2 y: PML carry-over risk");
        });
        assertThat(cards).anySatisfy(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Cannot classify PML risk: no JCV antibody (index) result. Order JCV Ab; high risk assumed if NTZ ≥2 y.");
            assertThat(card.suggestions()).singleElement().satisfies(s -> assertThat(s.label()).contains("JCV antibody"));
        });
    }

    @Test
    void missingJcvWithShortNatalizumabIsLowRiskPlusAnInfo() {
        FhirRecord record = patient("2024-03-01", "2025-03-20");

        var cards = ntz(record, "2025-03-01");

        assertThat(cards).as(describe(cards)).hasSize(2);
        assertThat(cards).anySatisfy(card -> assertThat(card.summary()).startsWith("Natalizumab washout 69 days"));
        assertThat(cards).anySatisfy(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).startsWith("Cannot classify PML risk");
        });
    }

    @Test
    void enteredInErrorJcvResultIsMissing() {
        FhirRecord record = patient("2024-03-01", "2025-03-20");
        localResult(record, "JCV antibody", "negative", "2024-12-01").put("status", "entered-in-error");

        assertThat(ntz(record, "2025-03-01")).anySatisfy(card -> assertThat(card.summary()).startsWith("Cannot classify PML risk"));
    }

    // ---- scope and records

    @Test
    void enteredInErrorInfusionIsIgnored() {
        FhirRecord record = lowRisk("2025-04-10");
        record.administration(NATALIZUMAB.deepCopy(), "2025-03-20").put("status", "entered-in-error");
        mri(record, "2025-04-01", "No new lesions.");

        assertThat(ntz(record, "2025-04-01")).isEmpty();
    }

    @Test
    void notAppliedToASecondCourse() {
        FhirRecord record = highRisk("2026-04-01");
        SwitchingData.alemtuzumabCourse(record, "2025-03-", 3, 5);

        assertThat(ntz(record, "2026-03-20")).isEmpty();
    }

    @Test
    void noNatalizumabNoCard() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab("2025-04-01", 5);

        assertThat(ntz(record, "2025-03-20")).isEmpty();
    }
}
