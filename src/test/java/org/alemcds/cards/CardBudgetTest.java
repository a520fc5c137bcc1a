package org.alemcds.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/**
 * The card budget (issue 14): what a clinician sees on order-sign. Routine course information is one checklist card,
 * missing pre-course work-up one card with a suggestion per missing item, critical findings separate cards; no rule
 * is lost by combining. Groups come from {@code fhir-resources/card-groups.json} and the templates' "group".
 */
class CardBudgetTest {

    private static final String COMPLETE_ELIGIBLE = "00-clean-naive-eligible.order-sign.json";

    @Test
    void aCompleteEligiblePatientGetsAtMostTwoCardsOnOrderSign() {
        var sample = SampleCards.all().stream().filter(s -> s.file().equals(COMPLETE_ELIGIBLE)).findFirst().orElseThrow();
        assertThat(sample.answered()).as(RuleHarness.describe(sample.answered())).hasSizeLessThanOrEqualTo(2);
        assertThat(sample.answered()).noneMatch(c -> c.indicator().equals("critical"));
    }

    @Test
    void everySampleAnswersWithinTheBudgetAndLosesNoRuleNorSuggestion() {
        for (var sample : SampleCards.all()) {
            assertCombinedFaithfully(sample.file(), sample.perRule(), sample.answered());
            long critical = sample.perRule().stream().filter(c -> c.indicator().equals("critical")).count();
            long warning = sample.perRule().stream().filter(c -> c.indicator().equals("warning")).count();
            // besides critical and warning findings, at most one checklist card
            assertThat(sample.answered()).as(sample.file()).hasSizeLessThanOrEqualTo((int) (critical + warning + 1));
        }
    }

    @Test
    void missingWorkupIsOneCardWithASuggestionPerMissingItem() {
        FhirRecord sparse = FhirRecord.female("1990-01-01");
        sparse.draftAlemtuzumab("2026-12-01", 5);
        List<Card> perRule = RuleHarness.call("order-sign", sparse, "2026-11-21", "UNION");
        List<Card> answered = RuleHarness.answered("order-sign", sparse, "2026-11-21", "UNION");
        assertCombinedFaithfully("sparse record", perRule, answered);

        Set<String> workupRules = membersOf("PRE-COURSE-WORKUP");
        List<Card> missing = perRule.stream().filter(c -> workupRules.contains(c.source().topic().code())).toList();
        assertThat(missing).as("the sparse record lacks labs and MRI").hasSizeGreaterThanOrEqualTo(2);
        Card workup = single(answered, "PRE-COURSE-WORKUP");
        assertThat(workup.indicator()).isEqualTo("warning");
        assertThat(workup.summary()).startsWith("Missing pre-course work-up: ").hasSizeLessThanOrEqualTo(140);
        assertThat(workup.suggestions()).hasSize(missing.stream().mapToInt(c -> c.suggestions().size()).sum());
        assertThat(workup.ruleIds()).containsExactlyInAnyOrderElementsOf(
                missing.stream().map(c -> c.source().topic().code()).distinct().toList());
        assertThat(workup.source().topic().system()).isEqualTo(CardAssembler.CARD_GROUP_SYSTEM);
        assertThat(workup.overrideReasons()).isNotEmpty();
        assertThat(workup.links()).isNotEmpty();

        Card checklist = single(answered, "COURSE-CHECKLIST");
        assertThat(checklist.indicator()).isEqualTo("info");
        assertThat(checklist.summary()).startsWith("Course checklist: ").hasSizeLessThanOrEqualTo(140);
        // the checklist lists each member's summary, then each member's detail under its title
        perRule.stream().filter(c -> checklist.ruleIds().contains(c.source().topic().code()))
                .forEach(c -> assertThat(checklist.detail()).contains(c.summary()).contains(c.detail()));
    }

    @Test
    void aGroupOfOneCardIsTheRulesOwnCard() {
        FhirRecord record = FhirRecord.male("1990-01-01");
        record.draftAlemtuzumab("2026-12-01", 5);
        // order-select runs no standard information: at most one member of each group remains
        List<Card> perRule = RuleHarness.call("order-select", record, "2026-11-21", "UNION");
        List<Card> answered = RuleHarness.answered("order-select", record, "2026-11-21", "UNION");
        assertCombinedFaithfully("order-select", perRule, answered);
        for (Card card : answered) {
            if (card.ruleIds().size() == 1) {
                assertThat(card.source().topic().code()).isEqualTo(card.ruleIds().get(0));
                assertThat(card.source().topic().system()).isEqualTo(CardAssembler.RULE_SYSTEM);
            }
        }
    }

    /** Same rules and suggestions before and after combining; critical cards untouched; one card per group. */
    static void assertCombinedFaithfully(String what, List<Card> perRule, List<Card> answered) {
        assertThat(rules(answered)).as(what + ": rules").isEqualTo(rules(perRule));
        assertThat(answered.stream().mapToInt(c -> c.suggestions().size()).sum()).as(what + ": suggestions")
                .isEqualTo(perRule.stream().mapToInt(c -> c.suggestions().size()).sum());
        for (Card critical : perRule.stream().filter(c -> c.indicator().equals("critical")).toList()) {
            assertThat(answered).as(what + ": critical cards stay separate")
                    .anySatisfy(c -> {
                        assertThat(c.summary()).isEqualTo(critical.summary());
                        assertThat(c.ruleIds()).containsExactly(critical.source().topic().code());
                    });
        }
        Map<String, Integer> perTopic = new HashMap<>();
        answered.stream().filter(c -> c.ruleIds().size() > 1)
                .forEach(c -> perTopic.merge(c.source().topic().code(), 1, Integer::sum));
        assertThat(perTopic.values()).as(what + ": one combined card per group").allMatch(n -> n == 1);
        assertThat(answered).as(what + ": every card lists its rules").allSatisfy(c -> assertThat(c.ruleIds()).isNotEmpty());
    }

    static Set<String> rules(List<Card> cards) {
        Set<String> ids = new TreeSet<>();
        cards.forEach(c -> ids.addAll(c.ruleIds()));
        return ids;
    }

    static Set<String> membersOf(String group) {
        Set<String> ids = new TreeSet<>();
        RuleHarness.DEFINITIONS.all().forEach((id, d) -> {
            if (group.equals(d.group())) {
                ids.add(id);
            }
        });
        return ids;
    }

    private static Card single(List<Card> cards, String topic) {
        List<Card> found = cards.stream().filter(c -> c.source().topic().code().equals(topic)).toList();
        assertThat(found).as(RuleHarness.describe(cards)).hasSize(1);
        return found.get(0);
    }
}
