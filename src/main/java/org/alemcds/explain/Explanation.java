package org.alemcds.explain;

import java.util.List;

/**
 * Why each rule of a hook fired or stayed silent, with the values of the CQL definitions its cards are built from, as
 * the engine computed them in the evaluation that produced the cards.
 *
 * @param rules every rule the hook's entry library can fire, in the library's order
 */
public record Explanation(List<RuleOutcome> rules) {

    /**
     * @param ruleId catalogue rule ID
     * @param fired whether a card of this rule is in the answer
     * @param indicator the most urgent indicator of its cards, or null when silent
     * @param inputs the definitions that decided it, with their values
     */
    public record RuleOutcome(String ruleId, boolean fired, String indicator, List<Input> inputs) {}

    /**
     * @param definition the CQL definition, as {@code Library."Name"}
     * @param value its value, readable; null when the evaluation did not need it (it was not computed)
     */
    public record Input(String definition, String value) {}
}
