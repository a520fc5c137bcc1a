package org.alemcds.rules;

import static org.alemcds.rules.EligibilityFixtures.TODAY;
import static org.alemcds.rules.EligibilityFixtures.bare;
import static org.alemcds.rules.EligibilityFixtures.edss;
import static org.alemcds.rules.EligibilityFixtures.previousCourse;
import static org.alemcds.rules.EligibilityFixtures.rrms;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** ELIG-EDSS (catalogue §4.1). EvalDate = 2026-12-01. */
class EdssEligibilityTest {

    private static List<Card> edssCards(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "ELIG-EDSS");
    }

    /** RRMS with onset 2021 (5 years) and a draft first course. */
    private static FhirRecord patient() {
        FhirRecord record = bare("1990-04-02");
        rrms(record, "2021-05-10");
        return record;
    }

    @Test
    void edssBelow4IsSilent() {
        FhirRecord record = patient();
        edss(record, 3.5, "2026-10-01");

        assertThat(edssCards(record)).isEmpty();
    }

    @Test
    void edss4IsInfo() {
        FhirRecord record = patient();
        edss(record, 4.0, "2026-10-01");

        assertThat(edssCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "EDSS 4.0: alemtuzumab benefit is greatest before EDSS 4 (not a contraindication).");
            assertThat(card.detail()).contains("2026-10-01");
        });
    }

    @Test
    void theLatestEdssDecides() {
        FhirRecord record = patient();
        edss(record, 5.5, "2024-01-10");
        edss(record, 3.0, "2026-10-01");
        assertThat(edssCards(record)).isEmpty();

        FhirRecord worse = patient();
        edss(worse, 3.0, "2024-01-10");
        edss(worse, 6.5, "2026-10-01");
        assertThat(edssCards(worse)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("EDSS 6.5:"));
    }

    @Test
    void edssAsTextValueWithTextCodeIsRead() {
        FhirRecord record = patient();
        var o = record.observation("x", "4.5", "2026-10-01");
        o.set("code", FhirRecord.text("Expanded Disability Status Scale"));
        o.remove("valueCodeableConcept");
        o.put("valueString", "4.5");

        assertThat(edssCards(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("EDSS 4.5:"));
    }

    @Test
    void missingEdssIsInfoWithATask() {
        assertThat(edssCards(patient())).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo("Cannot assess disability: no EDSS recorded. Document EDSS before starting.");
            assertThat(card.suggestions()).singleElement().satisfies(s ->
                    assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("Task"));
        });
    }

    @Test
    void enteredInErrorOrOutOfRangeEdssIsMissing() {
        FhirRecord record = patient();
        edss(record, 3.0, "2026-10-01").put("status", "entered-in-error");
        edss(record, 35, "2026-10-02"); // not an EDSS score

        assertThat(edssCards(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Cannot assess disability"));
    }

    @Test
    void edssAfterTheCourseStartIsNotUsed() {
        FhirRecord record = patient();
        edss(record, 2.0, "2026-10-01");
        edss(record, 6.0, "2026-12-05");

        assertThat(edssCards(record)).isEmpty();
    }

    @Test
    void diseaseDurationOf10YearsIsInfo() {
        FhirRecord record = bare("1980-04-02");
        rrms(record, "2016-12-01"); // exactly 10 years before the planned start
        edss(record, 2.0, "2026-10-01");

        assertThat(edssCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "MS duration 10 y: pivotal trials enrolled <10 y (pretreated) or <5 y (naive); benefit beyond that is less studied.");
            assertThat(card.detail()).contains("2016-12-01");
        });
    }

    @Test
    void durationOneDayShortOf10YearsIsSilent() {
        FhirRecord record = bare("1980-04-02");
        rrms(record, "2016-12-02");
        edss(record, 2.0, "2026-10-01");

        assertThat(edssCards(record)).isEmpty();
    }

    @Test
    void durationCountsFromTheEarliestMsDiagnosis() {
        FhirRecord record = bare("1980-04-02");
        rrms(record, "2020-01-01");
        record.condition("24700007", "Multiple sclerosis", "2010-06-01");
        edss(record, 4.5, "2026-10-01");

        var cards = edssCards(record);
        assertThat(cards).extracting(Card::summary).containsExactlyInAnyOrder(
                "EDSS 4.5: alemtuzumab benefit is greatest before EDSS 4 (not a contraindication).",
                "MS duration 16 y: pivotal trials enrolled <10 y (pretreated) or <5 y (naive); benefit beyond that is less studied.");
    }

    @Test
    void onsetAsAgeIsConverted() {
        FhirRecord record = bare("1980-04-02");
        var c = rrms(record, null);
        c.putObject("onsetAge").put("value", 30).put("unit", "a").put("system", "http://unitsofmeasure.org").put("code", "a");
        edss(record, 2.0, "2026-10-01");

        // onset 2010-04-02: 16 years before the planned start
        assertThat(edssCards(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("MS duration 16 y"));
    }

    @Test
    void missingOnsetSkipsTheDurationCheck() {
        FhirRecord record = bare("1980-04-02");
        rrms(record, null).put("recordedDate", "2005-01-01");
        edss(record, 2.0, "2026-10-01");

        assertThat(edssCards(record)).isEmpty();
    }

    @Test
    void laterCoursesAreNotRechecked() {
        FhirRecord record = patient();
        previousCourse(record);

        assertThat(edssCards(record)).isEmpty();
    }
}
