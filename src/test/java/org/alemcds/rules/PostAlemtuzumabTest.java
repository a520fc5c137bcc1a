package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.FINGOLIMOD;
import static org.alemcds.rules.SwitchingData.INTERFERON_BETA_1A;
import static org.alemcds.rules.SwitchingData.NATALIZUMAB;
import static org.alemcds.rules.SwitchingData.alemtuzumabCourse;
import static org.alemcds.rules.SwitchingData.jcvIndex;
import static org.alemcds.rules.SwitchingData.localResult;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** SW-POST-ALEM (catalogue §4.4, trigger §2.1 row 2): a DMT ordered after alemtuzumab. Course 1: 2025-03-03 to 2025-03-07. */
class PostAlemtuzumabTest {

    private static FhirRecord afterCourseOne() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        alemtuzumabCourse(record, "2025-03-", 3, 5);
        return record;
    }

    private static ObjectNode draftOrder(FhirRecord record, ObjectNode drug) {
        return record.draft(record.request(drug.deepCopy(), "draft", "2025-10-01"));
    }

    @Test
    void dmtBetweenCoursesWarnsAndOnlyPostAlemtuzumabCardsAreReturned() {
        FhirRecord record = afterCourseOne();
        draftOrder(record, FINGOLIMOD);

        var all = orderSign(record, "2025-10-01");

        assertThat(all).as(describe(all)).allSatisfy(card -> assertThat(card.source().topic().code()).isEqualTo("SW-POST-ALEM"));
        assertThat(all).hasSize(2);
        assertThat(all).anySatisfy(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Alemtuzumab course 1 given 2025-03-03: no immunomodulatory DMT between courses; reconsider this order.");
            assertThat(card.detail()).contains("fingolimod");
        });
        assertThat(all).anySatisfy(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "DMT after alemtuzumab: exclude relevant lymphopenia; consider immune status (CD4/CD8/B/NK).");
            assertThat(card.suggestions()).extracting(s -> s.actions().get(0).resource().at("/code/coding/0/code").asText())
                    .containsExactly("24467-3", "731-0");
        });
    }

    @Test
    void orderSelectGivesTheSameCards() {
        FhirRecord record = afterCourseOne();
        draftOrder(record, FINGOLIMOD);

        assertThat(cardsOf(orderSelect(record, "2025-10-01"), "SW-POST-ALEM")).hasSize(2);
    }

    @Test
    void twentyFourMonthsAfterTheLastInfusionOnlyTheImmuneStatusRemains() {
        FhirRecord record = afterCourseOne();
        draftOrder(record, INTERFERON_BETA_1A);

        var before = orderSign(record, "2027-03-06");
        var at = orderSign(record, "2027-03-07");

        assertThat(before).as(describe(before)).hasSize(2);
        assertThat(at).as(describe(at)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
    }

    @Test
    void afterTwoCoursesNoBetweenCoursesWarning() {
        FhirRecord record = afterCourseOne();
        alemtuzumabCourse(record, "2026-03-", 9, 3);
        draftOrder(record, FINGOLIMOD);

        assertThat(orderSign(record, "2026-10-01")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("DMT after alemtuzumab"));
    }

    @Test
    void monitoringEndIsInclusiveAndNothingAfterIt() {
        FhirRecord record = afterCourseOne();
        alemtuzumabCourse(record, "2026-03-", 9, 3); // last infusion 2026-03-11, monitoring to 2030-03-11
        draftOrder(record, FINGOLIMOD);

        assertThat(orderSign(record, "2030-03-11")).hasSize(1);
        assertThat(orderSign(record, "2030-03-12")).isEmpty();
    }

    @Test
    void natalizumabWithPositiveJcvWarns() {
        FhirRecord record = afterCourseOne();
        alemtuzumabCourse(record, "2026-03-", 9, 3);
        jcvIndex(record, 0.9, "2026-09-01");
        draftOrder(record, NATALIZUMAB);

        var cards = orderSign(record, "2026-10-01");
        assertThat(cards).as(describe(cards)).anySatisfy(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Natalizumab after alemtuzumab: higher PML risk, esp. if JCV+; consider alternatives (e.g., fingolimod).");
        });
    }

    @Test
    void natalizumabWithUnknownJcvWarnsAndOrdersIt() {
        FhirRecord record = afterCourseOne();
        alemtuzumabCourse(record, "2026-03-", 9, 3);
        draftOrder(record, NATALIZUMAB);

        assertThat(orderSign(record, "2026-10-01")).anySatisfy(card -> {
            assertThat(card.summary()).startsWith("Natalizumab after alemtuzumab");
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.suggestions()).singleElement().satisfies(s -> assertThat(s.label()).contains("JCV antibody"));
        });
    }

    @Test
    void natalizumabWithNegativeJcvIsInfo() {
        FhirRecord record = afterCourseOne();
        alemtuzumabCourse(record, "2026-03-", 9, 3);
        localResult(record, "JC virus antibody", "negative", "2026-09-01");
        draftOrder(record, NATALIZUMAB);

        assertThat(orderSign(record, "2026-10-01")).filteredOn(c -> c.summary().startsWith("Natalizumab after"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
    }

    @Test
    void dmtOrderWithoutPriorAlemtuzumabGetsNoCards() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        draftOrder(record, FINGOLIMOD);

        assertThat(orderSign(record, "2025-10-01")).isEmpty();
    }

    @Test
    void enteredInErrorAlemtuzumabInfusionsAreNotPriorAlemtuzumab() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.administration(SwitchingData.LEMTRADA.deepCopy(), "2025-03-03").put("status", "entered-in-error");
        draftOrder(record, FINGOLIMOD);

        assertThat(orderSign(record, "2025-10-01")).isEmpty();
    }

    @Test
    void alemtuzumabOrderStillGetsThePreCourseGroupsNotPostAlemtuzumab() {
        FhirRecord record = afterCourseOne();
        record.draftAlemtuzumab("2026-03-09", 3);

        var all = orderSign(record, "2026-03-01");
        assertThat(cardsOf(all, "SW-POST-ALEM")).as(describe(all)).isEmpty();
        assertThat(cardsOf(all, "CI-HIV")).hasSize(1);
    }
}
