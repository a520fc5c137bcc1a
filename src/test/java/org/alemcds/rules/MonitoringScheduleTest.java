package org.alemcds.rules;

import static org.alemcds.rules.MonitoringFixtures.allMonitoringDone;
import static org.alemcds.rules.MonitoringFixtures.course;
import static org.alemcds.rules.MonitoringFixtures.monthlyPanel;
import static org.alemcds.rules.MonitoringFixtures.rule;
import static org.alemcds.rules.MonitoringFixtures.skinExam;
import static org.alemcds.rules.MonitoringFixtures.treatedFemale;
import static org.alemcds.rules.MonitoringFixtures.treatedMale;
import static org.alemcds.rules.MonitoringFixtures.view;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/**
 * The periodic items of catalogue §4.8: MON-MONTHLY-PANEL (with the monitoring schedule), MON-TSH, MON-LFT, MON-HPV,
 * MON-SKIN; the 48-month window, MON-END and MON-ACUTE-CV. Course 1 ran 2025-03-03 … 2025-03-07.
 */
class MonitoringScheduleTest {

    // ---------------------------------------------------------------- MON-MONTHLY-PANEL

    @Test
    void noMonthlyLabsAfterTheGraceIsAWarningWithOneOrderPerItem() {
        Card card = rule(treatedMale(), "2025-04-12", "MON-MONTHLY-PANEL").get(0); // last infusion + 36 days

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "Monthly alemtuzumab safety labs overdue (CBC, creatinine, urinalysis; last none). Required until 2029-03-07.");
        assertThat(card.suggestions()).hasSize(3);
        assertThat(card.suggestions()).allSatisfy(s -> {
            assertThat(s.actions().get(0).type()).isEqualTo("create");
            assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("ServiceRequest");
        });
        assertThat(card.suggestions().get(1).actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("2160-0");
        assertThat(card.detail()).contains("| Serum creatinine (monthly) | none |").contains("**overdue**");
        assertThat(card.overrideReasons()).hasSize(3);
    }

    @Test
    void monthlyLabsAreNotDueBeforeLastInfusionPlus35Days() {
        var cards = rule(treatedMale(), "2025-04-11", "MON-MONTHLY-PANEL"); // last infusion + 35 days

        assertThat(cards).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).startsWith("Alemtuzumab monitoring: next monthly labs due now, TSH overdue; required until 2029-03-07");
            assertThat(card.detail()).contains("| CBC with differential (monthly) | none");
        });
    }

    @Test
    void aMonthlyResultExactly35DaysOldIsNotOverdue() {
        FhirRecord record = treatedMale();
        monthlyPanel(record, "2025-05-01");

        assertThat(rule(record, "2025-06-05", "MON-MONTHLY-PANEL"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
    }

    @Test
    void aMonthlyResult36DaysOldIsOverdue() {
        FhirRecord record = treatedMale();
        monthlyPanel(record, "2025-05-01");

        assertThat(rule(record, "2025-06-06", "MON-MONTHLY-PANEL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Monthly alemtuzumab safety labs overdue (CBC, creatinine, urinalysis; last 2025-05-01). Required until 2029-03-07.");
        });
    }

    @Test
    void aCbcIsAsOldAsItsStalestPart() {
        FhirRecord record = treatedMale();
        monthlyPanel(record, "2025-04-10");
        record.observation("6690-2", 5.5, "10*9/L", "2025-06-01");
        record.observation("777-3", 230, "10*9/L", "2025-06-01");
        record.observation("2160-0", 0.8, "mg/dL", "2025-06-01");
        record.observation("5794-3", "negative", "2025-06-01");
        record.observation("13945-1", 0, "/[HPF]", "2025-06-01");

        Card card = rule(record, "2025-06-10", "MON-MONTHLY-PANEL").get(0);

        assertThat(card.summary()).isEqualTo(
                "Monthly alemtuzumab safety labs overdue (CBC; last 2025-04-10). Required until 2029-03-07.");
        assertThat(card.suggestions()).singleElement()
                .satisfies(s -> assertThat(s.label()).contains("CBC with differential"));
    }

    @Test
    void aMissingPartIsNamedAndOverdueItemsWithDifferentDatesAreListedOneByOne() {
        FhirRecord record = treatedMale();
        record.observation("6690-2", 5.5, "10*9/L", "2025-04-25");
        record.observation("777-3", 230, "10*9/L", "2025-04-25");
        record.observation("2160-0", 0.8, "mg/dL", "2025-04-20");
        record.observation("5794-3", "negative", "2025-04-20"); // dipstick without microscopy

        Card card = rule(record, "2025-06-10", "MON-MONTHLY-PANEL").get(0);

        assertThat(card.summary()).isEqualTo(
                "Monthly alemtuzumab safety labs overdue (last: CBC none, creatinine 2025-04-20, urinalysis none). Required until 2029-03-07.");
        assertThat(card.detail()).contains("no lymphocyte count").contains("no sediment microscopy");
    }

    @Test
    void enteredInErrorAndPreliminaryResultsDoNotCount() {
        FhirRecord record = treatedMale();
        record.observation("6690-2", 5.5, "10*9/L", "2025-06-01");
        record.observation("731-0", 0.6, "10*9/L", "2025-06-01");
        record.observation("777-3", 230, "10*9/L", "2025-06-01");
        record.observation("5794-3", "negative", "2025-06-01");
        record.observation("13945-1", 0, "/[HPF]", "2025-06-01");
        record.observation("2160-0", 0.8, "mg/dL", "2025-04-01");
        record.observation("2160-0", 0.9, "mg/dL", "2025-06-01").put("status", "entered-in-error");
        record.observation("2160-0", 0.9, "mg/dL", "2025-06-02").put("status", "preliminary");

        assertThat(rule(record, "2025-06-10", "MON-MONTHLY-PANEL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Monthly alemtuzumab safety labs overdue (creatinine; last 2025-04-01). Required until 2029-03-07.");
        });
    }

    @Test
    void nextDueDatesUseCalendarMonthsClampedToMonthEnd() {
        FhirRecord record = treatedMale();
        monthlyPanel(record, "2026-01-31");
        record.observation("3016-3", 1.5, "mIU/L", "2025-11-30");

        Card card = rule(record, "2026-02-10", "MON-MONTHLY-PANEL").get(0);

        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo(
                "Alemtuzumab monitoring: next monthly labs due 2026-02-28, TSH 2026-02-28; required until 2029-03-07.");
        assertThat(card.detail()).contains("| TSH (every 3 months) | 2025-11-30 | 2026-02-28 | up to date |");
    }

    @Test
    void theScheduleListsHpvForWomenOnlyAndUsItemsOnlyInUsProfiles() {
        FhirRecord female = treatedFemale();
        allMonitoringDone(female, "2025-06-01");
        Card femaleCard = rule(female, "2025-06-10", "MON-MONTHLY-PANEL").get(0);
        assertThat(femaleCard.detail())
                .contains("| Cervical HPV screening/cytology (annual) | 2025-06-01 | 2026-06-01 | up to date |")
                .contains("| Skin examination (yearly, US) | 2025-06-01 | 2026-06-01 | up to date |")
                .contains("| ALT/AST and bilirubin (periodic, US) | 2025-06-01 | 2025-09-01 | up to date |");

        FhirRecord male = treatedMale();
        allMonitoringDone(male, "2025-06-01");
        assertThat(rule(male, "2025-06-10", "MON-MONTHLY-PANEL").get(0).detail()).doesNotContain("HPV");

        var eu = cardsOf(RuleHarness.call("patient-view", female, "2025-06-10", "EU"), "MON-MONTHLY-PANEL");
        assertThat(eu.get(0).detail()).doesNotContain("Skin examination").doesNotContain("ALT/AST");
    }

    @Test
    void everythingDoneGivesOnlyTheScheduleCard() {
        FhirRecord record = treatedFemale();
        allMonitoringDone(record, "2025-06-01");
        record.statement(FhirRecord.rxnorm("281", "Acyclovir"), "completed", "2025-03-03", "2025-06-01");
        record.observation("24467-3", 320, "/uL", "2025-05-30");

        var cards = view(record, "2025-06-10");

        assertThat(cards).as(RuleHarness.describe(cards)).singleElement().satisfies(card -> {
            assertThat(card.source().topic().code()).isEqualTo("MON-MONTHLY-PANEL");
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Alemtuzumab monitoring: next monthly labs due 2025-07-01, TSH 2025-09-01; required until 2029-03-07.");
        });
    }

    // ---------------------------------------------------------------- the 48-month window and MON-END

    @Test
    void theWindowEndsExactly48CalendarMonthsAfterTheLastInfusion() {
        // 48 months after 2025-03-07 is 2029-03-07 (4 × 365 days would end on 2029-03-06)
        assertThat(rule(treatedMale(), "2029-03-07", "MON-MONTHLY-PANEL"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
        assertThat(rule(treatedMale(), "2029-03-08", "MON-MONTHLY-PANEL")).isEmpty();
        assertThat(rule(treatedMale(), "2029-03-08", "MON-TSH")).isEmpty();
    }

    @Test
    void aLaterCourseRestartsThe48Months() {
        FhirRecord record = treatedMale();
        course(record, "2026-03-10", 3);

        Card card = rule(record, "2029-03-08", "MON-MONTHLY-PANEL").get(0);

        assertThat(card.summary()).endsWith("Required until 2030-03-12.");
    }

    @Test
    void monitoringEndCardRunsFrom60DaysBeforeTo60DaysAfterTheEnd() {
        assertThat(rule(treatedMale(), "2029-01-05", "MON-END")).isEmpty();
        assertThat(rule(treatedMale(), "2029-01-06", "MON-END")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "48-month alemtuzumab monitoring ends 2029-03-07; autoimmunity can occur later; keep clinical vigilance.");
        });
        assertThat(rule(treatedMale(), "2029-05-06", "MON-END")).singleElement().satisfies(card ->
                assertThat(card.summary()).startsWith("48-month alemtuzumab monitoring ended 2029-03-07;"));
        assertThat(view(treatedMale(), "2029-05-07")).isEmpty();
    }

    @Test
    void aPatientWithoutAlemtuzumabGetsNoMonitoringCards() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.administration(FhirRecord.rxnorm("284679", "Campath"), "2025-03-03");

        assertThat(view(record, "2025-06-10")).isEmpty();
    }

    // ---------------------------------------------------------------- MON-ACUTE-CV

    @Test
    void acuteCardiovascularCardRunsUntilThreeDaysAfterTheLastInfusion() {
        assertThat(rule(treatedMale(), "2025-03-10", "MON-ACUTE-CV")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Alemtuzumab given 2025-03-07: ask about stroke/dissection signs, chest pain, dyspnoea/hemoptysis, bleeding (days 1–3).");
            assertThat(card.detail()).contains("reversible cerebral vasoconstriction");
        });
        assertThat(rule(treatedMale(), "2025-03-11", "MON-ACUTE-CV")).isEmpty();
    }

    @Test
    void duringTheCourseTheLatestInfusionSoFarCounts() {
        // patient-view on day 3: the infusions recorded for days 4-5 lie after EvalDate and do not count yet
        assertThat(rule(treatedMale(), "2025-03-05", "MON-ACUTE-CV"))
                .singleElement().satisfies(card -> assertThat(card.summary()).startsWith("Alemtuzumab given 2025-03-05:"));
    }

    // ---------------------------------------------------------------- MON-TSH

    @Test
    void missingTshIsAWarningWithAnOrder() {
        Card card = rule(treatedMale(), "2025-04-01", "MON-TSH").get(0);

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "TSH due: every 3 months until 2029-03-07 (monthly during pregnancy). Last TSH none.");
        assertThat(card.suggestions()).singleElement().satisfies(s ->
                assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("3016-3"));
    }

    @Test
    void tshIsOverdueAfter100Days() {
        FhirRecord record = treatedMale();
        record.observation("3016-3", 1.8, "mIU/L", "2025-06-01");

        assertThat(rule(record, "2025-09-09", "MON-TSH")).isEmpty(); // 100 days
        assertThat(rule(record, "2025-09-10", "MON-TSH")).singleElement().satisfies(card ->
                assertThat(card.summary()).endsWith("Last TSH 2025-06-01."));
    }

    @Test
    void theSensitiveTshCodeCounts() {
        FhirRecord record = treatedMale();
        record.observation("11580-8", 1.8, "mIU/L", "2025-06-01");

        assertThat(rule(record, "2025-09-01", "MON-TSH")).isEmpty();
    }

    @Test
    void inPregnancyTshIsDueMonthly() {
        FhirRecord pregnant = treatedFemale();
        pregnant.observation("3016-3", 1.8, "mIU/L", "2025-11-01");
        pregnant.observation("2106-3", "positive", "2025-11-20");
        FhirRecord notPregnant = treatedFemale();
        notPregnant.observation("3016-3", 1.8, "mIU/L", "2025-11-01");

        assertThat(rule(pregnant, "2025-12-06", "MON-TSH")).isEmpty(); // 35 days
        assertThat(rule(pregnant, "2025-12-07", "MON-TSH")).singleElement().satisfies(card ->
                assertThat(card.detail()).contains("monthly (pregnancy)"));
        assertThat(rule(notPregnant, "2025-12-07", "MON-TSH")).isEmpty();
    }

    // ---------------------------------------------------------------- MON-LFT [US]

    @Test
    void liverTestsAreAnInfoAfter100DaysAndOnlyInUsProfiles() {
        FhirRecord record = treatedMale();
        record.observation("1742-6", 25, "U/L", "2025-06-01");
        record.observation("1975-2", 0.6, "mg/dL", "2025-03-01");

        Card card = rule(record, "2025-06-20", "MON-LFT").get(0);
        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo(
                "Check transaminases and bilirubin periodically until 2029-03-07 (autoimmune hepatitis risk).");
        assertThat(card.suggestions()).singleElement().satisfies(s ->
                assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("1975-2"));

        assertThat(cardsOf(RuleHarness.call("patient-view", record, "2025-06-20", "EU"), "MON-LFT")).isEmpty();
        assertThat(cardsOf(RuleHarness.call("patient-view", record, "2025-06-20", "US"), "MON-LFT")).hasSize(1);
    }

    @Test
    void recentLiverTestsAreSilent() {
        FhirRecord record = treatedMale();
        record.observation("1920-8", 25, "U/L", "2025-06-01");
        record.observation("1975-2", 0.6, "mg/dL", "2025-06-01");

        assertThat(rule(record, "2025-09-09", "MON-LFT")).isEmpty();
        assertThat(rule(record, "2025-09-10", "MON-LFT")).hasSize(1);
    }

    // ---------------------------------------------------------------- MON-HPV

    @Test
    void annualHpvScreeningIsAnInfoForWomenOnly() {
        Card card = rule(treatedFemale(), "2025-06-10", "MON-HPV").get(0);
        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo("Annual HPV screening/cervical cytology due (last none).");
        assertThat(card.suggestions()).hasSize(2);

        assertThat(rule(treatedMale(), "2025-06-10", "MON-HPV")).isEmpty();
    }

    @Test
    void hpvScreeningCountsFor12CalendarMonths() {
        FhirRecord record = treatedFemale();
        record.observation("30167-1", "negative", "2025-04-01");

        assertThat(rule(record, "2026-04-01", "MON-HPV")).isEmpty();
        assertThat(rule(record, "2026-04-02", "MON-HPV")).singleElement().satisfies(card ->
                assertThat(card.summary()).isEqualTo("Annual HPV screening/cervical cytology due (last 2025-04-01)."));
    }

    @Test
    void aCervicalCytologyReportCounts() {
        FhirRecord record = treatedFemale();
        ObjectNode report = MonitoringFixtures.MAPPER.createObjectNode();
        report.put("resourceType", "DiagnosticReport").put("status", "final");
        report.set("code", FhirRecord.text("Cervical cytology (Pap smear)"));
        report.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        report.put("effectiveDateTime", "2025-05-01");
        record.add(report);

        assertThat(rule(record, "2025-06-10", "MON-HPV")).isEmpty();
    }

    // ---------------------------------------------------------------- MON-SKIN [US]

    @Test
    void yearlySkinExamIsAnInfoUntilOneIsDocumented() {
        assertThat(rule(treatedMale(), "2025-06-10", "MON-SKIN")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo("Yearly skin exam due (melanoma risk); last none.");
        });

        FhirRecord examined = treatedMale();
        skinExam(examined, "2024-06-10");
        assertThat(rule(examined, "2025-06-10", "MON-SKIN")).isEmpty();
        assertThat(rule(examined, "2025-06-11", "MON-SKIN")).singleElement().satisfies(card ->
                assertThat(card.summary()).isEqualTo("Yearly skin exam due (melanoma risk); last 2024-06-10."));
    }

    @Test
    void skinExamIsNotAskedForInTheEuProfile() {
        assertThat(cardsOf(RuleHarness.call("patient-view", treatedMale(), "2025-06-10", "EU"), "MON-SKIN")).isEmpty();
    }

    @Test
    void everySummaryFitsTheCardLimit() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 85, "10*9/L", "2025-06-01");
        record.observation("2106-3", "positive", "2025-05-20");
        var cards = view(record, "2025-06-10");

        assertThat(cards).hasSizeGreaterThan(5);
        assertThat(cards).allSatisfy(c -> assertThat(c.summary().length()).as(c.summary()).isLessThanOrEqualTo(140));
    }
}
