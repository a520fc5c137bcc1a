package org.alemcds.rules;

import static org.alemcds.rules.LabFixtures.condition;
import static org.alemcds.rules.LabFixtures.infusion;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** LAB-HCG (catalogue §4.5): negative pregnancy test on day 1 for women of childbearing potential. */
class DayOnePregnancyTestTest {

    private static final String TODAY = "2026-11-21";

    private static FhirRecord woman(String start) {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab(start, 5);
        return record;
    }

    private static List<Card> hcg(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "LAB-HCG");
    }

    @Test
    void planningAheadIsAnInfoToScheduleTheTest() {
        assertThat(hcg(woman("2026-12-01"))).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Schedule pregnancy test (hCG) on day 1 of the course (women of childbearing potential).");
            assertThat(card.detail()).contains("age 36").contains("2026-11-28").contains("2026-12-01")
                    .contains("Latest pregnancy test: none on record.")
                    .contains("order a urine or serum hCG for day 1");
            assertThat(card.suggestions()).singleElement().satisfies(s ->
                    assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("2106-3"));
        });
    }

    @Test
    void courseStartingTodayWithoutATestIsCritical() {
        assertThat(hcg(woman(TODAY))).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo("No negative pregnancy test on infusion day 1: confirm before giving alemtuzumab.");
            assertThat(card.overrideReasons()).hasSize(3);
        });
    }

    @Test
    void courseThatHasStartedIsCritical() {
        assertThat(hcg(woman("2026-11-19"))).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void negativeTestExactlyThreeDaysBeforePasses() {
        FhirRecord record = woman(TODAY);
        record.observation("2106-3", "negative", "2026-11-18");

        assertThat(hcg(record)).isEmpty();
    }

    @Test
    void negativeTestFourDaysBeforeIsTooOld() {
        FhirRecord record = woman(TODAY);
        record.observation("2106-3", "negative", "2026-11-17");

        assertThat(hcg(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("2026-11-17 negative");
        });
    }

    @Test
    void preliminaryOrEnteredInErrorNegativesDoNotCount() {
        FhirRecord record = woman(TODAY);
        record.observation("2106-3", "negative", TODAY).put("status", "preliminary");
        record.observation("2118-8", "negative", "2026-11-20").put("status", "entered-in-error");

        assertThat(hcg(record)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void quantitativeSerumHcgBelowFiveIuPerLitreIsNegative() {
        FhirRecord mIuPerMl = woman(TODAY);
        mIuPerMl.observation("21198-7", 2, "m[IU]/mL", TODAY);
        FhirRecord iuPerL = woman(TODAY);
        iuPerL.observation("21198-7", 1.5, "IU/L", TODAY);

        assertThat(hcg(mIuPerMl)).isEmpty();
        assertThat(hcg(iuPerL)).isEmpty();
    }

    @Test
    void equivocalOrUninterpretableQuantitativeHcgIsNotNegative() {
        FhirRecord equivocal = woman(TODAY);
        equivocal.observation("21198-7", 12, "m[IU]/mL", TODAY);
        FhirRecord unknownUnit = woman(TODAY);
        unknownUnit.observation("21198-7", 2, "ng/mL", TODAY);

        assertThat(hcg(equivocal)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
        assertThat(hcg(unknownUnit)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void positiveTestIsLeftToCiPreg() {
        FhirRecord record = woman(TODAY);
        record.observation("2106-3", "positive", "2026-11-10");

        assertThat(hcg(record)).isEmpty();
    }

    @Test
    void activePregnancyConditionIsLeftToCiPreg() {
        FhirRecord record = woman(TODAY);
        record.condition("77386006", "Pregnancy", "2026-10-01");

        assertThat(hcg(record)).isEmpty();
    }

    @Test
    void aPossiblePregnancyStillNeedsTheDayOneTest() {
        FhirRecord record = woman(TODAY);
        condition(record, "Possible pregnancy", "2026-11-15");
        FhirRecord provisional = woman(TODAY);
        FhirRecord.verificationStatus(provisional.condition("77386006", "Pregnancy", "2026-11-15"), "provisional");

        assertThat(List.of(record, provisional)).allSatisfy(r -> {
            assertThat(hcg(r)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
            assertThat(cardsOf(orderSign(r, TODAY), "CI-PREG")).singleElement()
                    .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
        });
    }

    @Test
    void positiveTestFollowedByDeliveryNeedsANewTest() {
        FhirRecord record = woman(TODAY);
        record.observation("2106-3", "positive", "2025-09-10");
        condition(record, "Spontaneous vaginal delivery", "2026-05-20");

        assertThat(hcg(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void positiveTestFollowedByANegativeOneNeedsADayOneTest() {
        FhirRecord record = woman(TODAY);
        record.observation("2106-3", "positive", "2026-08-10");
        record.observation("2106-3", "negative", "2026-10-10");

        assertThat(hcg(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void menAndWomenWithoutChildbearingPotentialAreNotAsked() {
        FhirRecord man = FhirRecord.male("1990-04-02");
        man.draftAlemtuzumab(TODAY, 5);
        FhirRecord older = FhirRecord.female("1968-01-01");
        older.draftAlemtuzumab(TODAY, 5);
        FhirRecord afterHysterectomy = woman(TODAY);
        LabFixtures.procedure(afterHysterectomy, "Total abdominal hysterectomy", "2020-02-02")
                .set("code", FhirRecord.concept("http://hospital.example.org/procedures", "GYN-014", "Total abdominal hysterectomy"));
        FhirRecord postmenopausal = woman(TODAY);
        condition(postmenopausal, "Postmenopausal state", "2024-01-01"); // text only, no coding

        assertThat(hcg(man)).isEmpty();
        assertThat(hcg(older)).isEmpty();
        assertThat(hcg(afterHysterectomy)).isEmpty();
        assertThat(hcg(postmenopausal)).isEmpty();
    }

    @Test
    void dailyOrdersOfARunningCourseUseTheTestOfCourseDayOne() {
        // course 1 started 2026-11-17 (four infusions given); today's order is infusion day 5
        FhirRecord running = woman(TODAY);
        for (String day : new String[] {"2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"}) {
            infusion(running, day);
        }
        running.observation("2106-3", "negative", "2026-11-16");

        FhirRecord newCourse = woman(TODAY);
        newCourse.observation("2106-3", "negative", "2026-11-16");

        assertThat(hcg(running)).isEmpty();
        assertThat(hcg(newCourse)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }
}
