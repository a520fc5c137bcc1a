package org.alemcds.explain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.alemcds.cards.Card;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.cql.DefinitionTrace;

/**
 * Explains an answer: per rule of the service's library (its {@link RuleMap}, read once per library from the compiled
 * ELM) whether it fired, and the values its card definitions read. Use {@link #trace()} as the evaluation's
 * {@link DefinitionTrace}, then {@link Trace#explain}.
 */
public final class Explainer {

    /** The definition of an entry library that yields its cards. */
    public static final String CARDS_DEFINITION = "Cards";
    private static final List<String> URGENCY = List.of("critical", "warning", "info");

    private final CqlRuleEngine engine;
    private final Map<String, RuleMap> ruleMaps = new ConcurrentHashMap<>();

    public Explainer(CqlRuleEngine engine) {
        this.engine = engine;
    }

    public RuleMap ruleMap(String library) {
        return ruleMaps.computeIfAbsent(library, l -> RuleMap.of(engine::compiledLibrary, l, CARDS_DEFINITION));
    }

    public Trace trace() {
        return new Trace();
    }

    /** The values of one evaluation's definitions. Not thread-safe: one per evaluation. */
    public final class Trace implements DefinitionTrace {
        private final Map<RuleMap.Definition, Object> values = new HashMap<>();

        @Override
        public void evaluated(String library, String definition, Object value) {
            values.put(new RuleMap.Definition(library, definition), value);
        }

        public Explanation explain(String library, List<Card> cards) {
            List<Explanation.RuleOutcome> outcomes = new ArrayList<>();
            for (RuleMap.Rule rule : ruleMap(library).rules()) {
                String indicator = cards.stream()
                        .filter(c -> c.source() != null && c.source().topic() != null
                                && rule.id().equals(c.source().topic().code()))
                        .map(Card::indicator)
                        .min((a, b) -> Integer.compare(URGENCY.indexOf(a), URGENCY.indexOf(b)))
                        .orElse(null);
                List<Explanation.Input> inputs = rule.inputs().stream()
                        .map(d -> new Explanation.Input(d.library() + ".\"" + d.name() + "\"",
                                values.containsKey(d) ? ValueText.of(values.get(d)) : null))
                        .toList();
                outcomes.add(new Explanation.RuleOutcome(rule.id(), indicator != null, indicator, inputs));
            }
            return new Explanation(outcomes);
        }
    }
}
