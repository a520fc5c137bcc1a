package org.alemcds.traceability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the rule table reads the CQL header comments: which rules a header is about, and its decisions, whole. */
class RuleCatalogueTest {

    private static final String HEADER = """
             * ==========================================================================
             * CI-EXAMPLE / CI-OTHER-EXAMPLE: a rule header
             * When a course is ordered and CI-REFERRED-TO's card is not shown
             * Then a finding within 24 h (DEFAULT) → critical (as CI-REFERRED-TO defines it).
             * Decision: a reading dated yesterday counts (§2.4), as does one
             *      from today; other units are not read.
             * Decisions (catalogue silent):
             *   - first item, which goes on
             *     over two lines;
             *   - second item.
             * Counting (decision): records of a drug in VS-X count once
             * per substance (e.g. two fumarates: one).
             * Source: S1 Table 1.
             * ==========================================================================
            """;

    @Test
    void aHeaderIsAboutTheRulesItsTitleNames() {
        assertThat(RuleCatalogue.ownedRuleIds(HEADER)).containsExactly("CI-EXAMPLE", "CI-OTHER-EXAMPLE");
        assertThat(RuleCatalogue.ownedRuleIds(" * CI-EXAMPLE is mentioned in a comment without the logic"))
                .isEmpty();
    }

    @Test
    void decisionsAreWholeParagraphsUpToTheNextParagraph() {
        assertThat(RuleCatalogue.decisions(HEADER)).containsExactly(
                "Decision: a reading dated yesterday counts (§2.4), as does one from today; other units are not read.",
                "Decisions (catalogue silent):<br>- first item, which goes on over two lines;<br>- second item.",
                "Counting (decision): records of a drug in VS-X count once per substance (e.g. two fumarates: one).");
    }

    @Test
    void aDecisionListItemOutsideADecisionsParagraphIsItsOwnParagraph() {
        String comment = """
                 * Then:
                 *   - Decision: an order without a route
                 *     is accepted.
                 *   - a logic line.
                """;
        assertThat(RuleCatalogue.decisions(comment)).containsExactly("- Decision: an order without a route is accepted.");
    }
}
