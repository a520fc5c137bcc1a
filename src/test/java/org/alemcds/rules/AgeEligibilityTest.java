package org.alemcds.rules;

import static org.alemcds.rules.EligibilityFixtures.TODAY;
import static org.alemcds.rules.EligibilityFixtures.bare;
import static org.alemcds.rules.EligibilityFixtures.previousCourse;
import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** ELIG-AGE (catalogue §4.1, §5 #14). Age in whole years on EvalDate = planned course start 2026-12-01. */
class AgeEligibilityTest {

    private static List<Card> ageCards(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "ELIG-AGE");
    }

    private static List<Card> ageCards(FhirRecord record, String profile) {
        return cardsOf(call("order-sign", record, TODAY, profile), "ELIG-AGE");
    }

    @Test
    void eighteenOnTheCourseStartIsSilent() {
        assertThat(ageCards(bare("2008-12-01"))).isEmpty();
    }

    @Test
    void oneDayShortOf18IsWarning() {
        assertThat(ageCards(bare("2008-12-02"))).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Patient is 17 y: alemtuzumab is for adults (EU ≥18 y; US not recommended <17 y).");
            assertThat(card.detail()).contains("2026-12-01").contains("2008-12-02");
        });
    }

    @Test
    void seventeenOnTheCourseStartIsWarning() {
        assertThat(ageCards(bare("2009-12-01"))).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void oneDayShortOf17IsCritical() {
        assertThat(ageCards(bare("2009-12-02"))).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Patient is 16 y: alemtuzumab is for adults (EU ≥18 y; US not recommended <17 y).");
            assertThat(card.overrideReasons()).hasSize(3);
        });
    }

    @Test
    void ageIsTakenOnThePlannedStartNotToday() {
        // 16 today (2026-11-21), 17 on the planned start (2026-12-01).
        assertThat(ageCards(bare("2009-11-25"))).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void usProfileDowngrades17ToInfoButKeepsUnder17Critical() {
        assertThat(ageCards(bare("2009-12-01"), "US")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
        assertThat(ageCards(bare("2009-12-02"), "US")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void euProfileKeeps17AsWarning() {
        assertThat(ageCards(bare("2009-12-01"), "EU")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void ageIsCheckedOnEveryCourseAndOnOrderSelect() {
        FhirRecord record = bare("2008-12-02");
        previousCourse(record);

        assertThat(ageCards(record)).hasSize(1);
        assertThat(cardsOf(orderSelect(record, TODAY), "ELIG-AGE")).hasSize(1);
    }

    @Test
    void missingBirthDateIsInfo() {
        FhirRecord record = bare("2000-01-01");
        record.patient().remove("birthDate");

        assertThat(ageCards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).startsWith("Cannot assess age");
        });
    }
}
