package org.alemcds.rules;

import static org.alemcds.rules.PremedicationFixtures.DAY1;
import static org.alemcds.rules.PremedicationFixtures.TODAY;
import static org.alemcds.rules.PremedicationFixtures.firstCourse;
import static org.alemcds.rules.PremedicationFixtures.order;
import static org.alemcds.rules.PremedicationFixtures.schedule;
import static org.alemcds.rules.PremedicationFixtures.suggestedResource;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** PRE-ANTIHIST-ANTIPYRETIC: H1 (+H2) blockade and an antipyretic before the infusions (catalogue §4.7). */
class AntihistamineAntipyreticTest {

    private static final String H1_SUMMARY =
            "Consider H1 (+H2) blocker from evening before course day 1 (2026-03-02), antihistamine until 1 week after the course.";
    private static final String ANTIPYRETIC_SUMMARY =
            "Consider paracetamol 1 g 30–60 min before each alemtuzumab infusion (2026-03-02 to 2026-03-06).";

    private static List<Card> h1Cards(List<Card> cards) {
        return cardsOf(cards, "PRE-ANTIHIST-ANTIPYRETIC").stream().filter(c -> c.summary().equals(H1_SUMMARY)).toList();
    }

    private static List<Card> antipyreticCards(List<Card> cards) {
        return cardsOf(cards, "PRE-ANTIHIST-ANTIPYRETIC").stream().filter(c -> c.summary().equals(ANTIPYRETIC_SUMMARY)).toList();
    }

    private static ObjectNode cetirizine(FhirRecord record, String start) {
        return schedule(order(record, FhirRecord.rxnorm("20610", "Cetirizine"), "draft"), start, "2026-03-13", null, 2);
    }

    private static ObjectNode paracetamol(FhirRecord record, String start, String end) {
        return schedule(order(record, FhirRecord.text("Paracetamol 1 g IV"), "draft"), start, end, null, 1);
    }

    @Test
    void nothingOrderedGivesTwoInfoCardsWithSuggestions() {
        var cards = orderSign(firstCourse(), TODAY);

        assertThat(cardsOf(cards, "PRE-ANTIHIST-ANTIPYRETIC")).as(describe(cards)).hasSize(2)
                .allSatisfy(card -> {
                    assertThat(card.indicator()).isEqualTo("info");
                    assertThat(card.overrideReasons()).isEmpty();
                });
        assertThat(h1Cards(cards)).singleElement().satisfies(card -> {
            assertThat(card.suggestions()).hasSize(2);
            var h1 = suggestedResource(card, 0);
            assertThat(h1.get("resourceType").asText()).isEqualTo("MedicationRequest");
            assertThat(h1.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("20610");
            assertThat(h1.at("/dosageInstruction/0/text").asText()).isEqualTo(
                    "10 mg orally twice daily from the evening before course day 1 (2026-03-01) until 1 week after the last infusion (2026-03-13).");
            var h2 = suggestedResource(card, 1);
            assertThat(h2.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("4278");
            assertThat(h2.at("/dosageInstruction/0/text").asText()).contains("through the last infusion (2026-03-06)");
        });
        assertThat(antipyreticCards(cards)).singleElement().satisfies(card -> {
            var resource = suggestedResource(card, 0);
            assertThat(resource.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("161");
            assertThat(resource.at("/dosageInstruction/0/text").asText())
                    .isEqualTo("1 g IV (or orally) 30–60 min before each alemtuzumab infusion, 2026-03-02 to 2026-03-06.");
        });
    }

    @Test
    void h1FromTheEveningBeforeAndParacetamolAreSilent() {
        FhirRecord record = firstCourse();
        cetirizine(record, "2026-03-01T20:00:00+01:00");
        paracetamol(record, DAY1, "2026-03-06");

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "PRE-ANTIHIST-ANTIPYRETIC")).as(describe(cards)).isEmpty();
    }

    @Test
    void h1StartingOnDay1Passes() {
        FhirRecord record = firstCourse();
        cetirizine(record, DAY1);
        assertThat(h1Cards(orderSign(record, TODAY))).isEmpty();
    }

    @Test
    void h1StartingOnDay2StillGivesTheH1Card() {
        FhirRecord record = firstCourse();
        cetirizine(record, "2026-03-03");

        assertThat(h1Cards(orderSign(record, TODAY))).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("Cetirizine (draft order, 2026-03-03 to 2026-03-13) — none starts on or before course day 1"));
    }

    @Test
    void longTermH1OrderCountsButOneThatEndedBeforeDay1DoesNot() {
        FhirRecord running = firstCourse();
        schedule(order(running, FhirRecord.rxnorm("356887", "levocetirizine"), "active"), "2025-06-01", null, null, 1);
        assertThat(h1Cards(orderSign(running, TODAY))).isEmpty();

        FhirRecord ended = firstCourse();
        schedule(order(ended, FhirRecord.rxnorm("356887", "levocetirizine"), "active"), "2025-06-01", "2026-03-01", null, 1);
        assertThat(h1Cards(orderSign(ended, TODAY))).hasSize(1);
    }

    @Test
    void h1RecognisedByNameOnly() {
        FhirRecord record = firstCourse();
        schedule(order(record, FhirRecord.text("Desloratadine 5 mg tablet"), "draft"), DAY1, null, 5, 1);
        assertThat(h1Cards(orderSign(record, TODAY))).isEmpty();
    }

    @Test
    void h2AloneDoesNotSatisfyH1AndIsNotSuggestedAgain() {
        FhirRecord record = firstCourse();
        schedule(order(record, FhirRecord.rxnorm("4278", "Famotidine"), "draft"), "2026-03-01", "2026-03-06", null, 2);

        assertThat(h1Cards(orderSign(record, TODAY))).singleElement().satisfies(card -> {
            assertThat(card.suggestions()).hasSize(1);
            assertThat(suggestedResource(card, 0).at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("20610");
        });
    }

    @Test
    void h1WithoutH2IsSilent() {
        FhirRecord record = firstCourse();
        cetirizine(record, "2026-03-01");
        assertThat(h1Cards(orderSign(record, TODAY))).isEmpty();
    }

    @Test
    void antipyreticOverlappingTheInfusionDaysCountsButOneEndingBeforeDay1DoesNot() {
        FhirRecord onDay5 = firstCourse();
        paracetamol(onDay5, "2026-03-06", "2026-03-06");
        assertThat(antipyreticCards(orderSign(onDay5, TODAY))).isEmpty();

        FhirRecord before = firstCourse();
        paracetamol(before, "2026-02-01", "2026-03-01");
        assertThat(antipyreticCards(orderSign(before, TODAY))).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("other records: Paracetamol 1 g IV (draft order, 2026-02-01 to 2026-03-01)"));

        FhirRecord after = firstCourse();
        paracetamol(after, "2026-03-07", null);
        assertThat(antipyreticCards(orderSign(after, TODAY))).hasSize(1);
    }

    @Test
    void runsOnOrderSelectToo() {
        assertThat(cardsOf(orderSelect(firstCourse(), TODAY), "PRE-ANTIHIST-ANTIPYRETIC")).hasSize(2);
    }
}
