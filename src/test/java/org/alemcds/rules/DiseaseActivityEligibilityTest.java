package org.alemcds.rules;

import static org.alemcds.rules.EligibilityFixtures.TODAY;
import static org.alemcds.rules.EligibilityFixtures.activeMri;
import static org.alemcds.rules.EligibilityFixtures.mri;
import static org.alemcds.rules.EligibilityFixtures.previousCourse;
import static org.alemcds.rules.EligibilityFixtures.quietMri;
import static org.alemcds.rules.EligibilityFixtures.relapse;
import static org.alemcds.rules.EligibilityFixtures.rrms;
import static org.alemcds.rules.EligibilityFixtures.rrmsPatient;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** ELIG-ACTIVITY (catalogue §4.1). EvalDate = 2026-12-01: 12 months back 2025-12-01, 24 months back 2024-12-01. */
class DiseaseActivityEligibilityTest {

    private static List<Card> activityCards(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "ELIG-ACTIVITY");
    }

    @Test
    void recentRelapseIsActive() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2026-03-01");

        assertThat(activityCards(record)).isEmpty();
    }

    @Test
    void relapseExactly12MonthsBeforeStartIsStillActive() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2025-12-01");

        assertThat(activityCards(record)).isEmpty();
    }

    @Test
    void relapseOneDayOlderThan12MonthsAsksToConfirmActivity() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2025-11-30");

        assertThat(activityCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Last documented relapse 2025-11-30 (>12 months ago) and no recent MRI activity: confirm the disease is active.");
            assertThat(card.detail()).contains("2025-11-30");
        });
    }

    @Test
    void relapseExactly24MonthsBeforeStartIsInTheOlderWindowEvenWithAQuietMri() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2024-12-01");
        quietMri(record, "2026-06-01");

        assertThat(activityCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).startsWith("Last documented relapse 2024-12-01");
        });
    }

    @Test
    void noRelapseIn24MonthsAndAQuietMriIsInactive() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2024-11-30");
        quietMri(record, "2026-06-01");

        assertThat(activityCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "No clinical or MRI activity documented; alemtuzumab is not for inactive or stable disease.");
            assertThat(card.detail()).contains("2026-06-01 (no new lesions)").contains("2024-11-30");
            assertThat(card.overrideReasons()).hasSize(3);
        });
    }

    @Test
    void activeMriWithoutRelapsesIsActive() {
        FhirRecord record = rrmsPatient();
        quietMri(record, "2026-02-01");
        activeMri(record, "2026-09-15");

        assertThat(activityCards(record)).isEmpty();
    }

    @Test
    void activeMriOlderThan12MonthsDoesNotCount() {
        FhirRecord record = rrmsPatient();
        activeMri(record, "2025-11-30");
        quietMri(record, "2025-12-01"); // exactly 12 months: inside the window

        assertThat(activityCards(record)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void quietMriOlderThan12MonthsCannotShowInactivity() {
        FhirRecord record = rrmsPatient();
        quietMri(record, "2025-11-30");

        assertThat(activityCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo("Cannot assess MS activity: no relapse dates or MRI activity findings recorded.");
        });
    }

    @Test
    void noDataIsInfoWithADocumentationTask() {
        assertThat(activityCards(rrmsPatient())).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).startsWith("Cannot assess MS activity");
            assertThat(card.suggestions()).singleElement().satisfies(s ->
                    assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("Task"));
        });
    }

    @Test
    void mriThatDoesNotStateActivityCannotShowInactivity() {
        FhirRecord record = rrmsPatient();
        mri(record, "2026-06-01", "Multiple periventricular T2 hyperintensities consistent with demyelination.");

        assertThat(activityCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.detail()).contains("2026-06-01 (activity not stated)");
        });
    }

    @Test
    void onlyOldRelapsesSayWhatIsMissing() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2020-03-01");

        assertThat(activityCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Cannot assess MS activity: no relapse in 24 months and no MRI activity finding in 12 months recorded.");
            assertThat(card.detail()).contains("Last relapse on record: 2020-03-01");
        });
    }

    @Test
    void enteredInErrorRelapseAndPreliminaryMriAreIgnored() {
        FhirRecord record = rrmsPatient();
        FhirRecord.verificationStatus(relapse(record, "2026-05-01"), "entered-in-error");
        activeMri(record, "2026-06-01").put("status", "preliminary");
        quietMri(record, "2026-03-01");

        assertThat(activityCards(record)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void windowsAreCalendarMonthsClampedAtMonthEnd() {
        // EvalDate 2028-02-29: 12 months back is 2027-02-28 (clamped).
        FhirRecord inside = FhirRecord.female("1990-04-02");
        rrms(inside, "2021-05-10");
        inside.draftAlemtuzumab("2028-02-29", 5);
        relapse(inside, "2027-02-28");
        assertThat(cardsOf(orderSign(inside, TODAY), "ELIG-ACTIVITY")).isEmpty();

        FhirRecord outside = FhirRecord.female("1990-04-02");
        rrms(outside, "2021-05-10");
        outside.draftAlemtuzumab("2028-02-29", 5);
        relapse(outside, "2027-02-27");
        assertThat(cardsOf(orderSign(outside, TODAY), "ELIG-ACTIVITY")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Last documented relapse 2027-02-27"));
    }

    @Test
    void laterCoursesAreNotRechecked() {
        FhirRecord record = rrmsPatient();
        previousCourse(record);
        quietMri(record, "2026-06-01");

        assertThat(activityCards(record)).isEmpty();
    }
}
