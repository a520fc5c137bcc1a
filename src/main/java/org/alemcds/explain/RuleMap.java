package org.alemcds.explain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.cqframework.cql.elm.visiting.FunctionalElmVisitor;
import org.hl7.elm.r1.Element;
import org.hl7.elm.r1.ExpressionDef;
import org.hl7.elm.r1.ExpressionRef;
import org.hl7.elm.r1.FunctionDef;
import org.hl7.elm.r1.FunctionRef;
import org.hl7.elm.r1.Library;
import org.hl7.elm.r1.Literal;
import org.hl7.elm.r1.OperandRef;

/**
 * Which rules an entry library can fire and which definitions build each rule's cards, read from the compiled ELM
 * (not from definition names): a rule is the string literal passed as the {@code ruleId} argument of the card-building
 * function {@code Card} (or of a library function that hands its own argument on to it); its card definitions are the
 * expression definitions that make such a call, directly or through a function that names the rule itself. The
 * inputs of a rule are the definitions its card definitions reference, one and two levels down.
 */
public final class RuleMap {

    /** A CQL definition: library name (not alias) and definition name. */
    public record Definition(String library, String name) {
        @Override
        public String toString() {
            return library + "." + name;
        }
    }

    /** One rule: its catalogue ID, the definitions that build its cards, the inputs they read, nearest first. */
    public record Rule(String id, List<Definition> cardDefinitions, List<Definition> inputs) {}

    /** The name and first parameter of the function every card is built with. */
    static final String CARD_FUNCTION = "Card";
    static final String RULE_ID_PARAMETER = "ruleId";
    private static final int MAX_INPUTS = 10;

    private final List<Rule> rules;

    private RuleMap(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules of every card definition reachable from {@code entryDefinition} of {@code entryLibrary}, in order. */
    public static RuleMap of(Function<String, Library> compiled, String entryLibrary, String entryDefinition) {
        return new Builder(compiled).build(entryLibrary, entryDefinition);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The references and literal calls of one definition body. */
    private record Body(List<ExpressionRef> expressionRefs, List<FunctionRef> functionRefs) {}

    private static final class Builder {
        private final Function<String, Library> compiled;
        private final Map<String, Library> libraries = new LinkedHashMap<>();
        /** per library: include alias → library name */
        private final Map<String, Map<String, String>> aliases = new HashMap<>();
        private final Map<Definition, ExpressionDef> definitions = new LinkedHashMap<>();
        private final Map<Definition, List<FunctionDef>> functions = new HashMap<>();
        private final Map<ExpressionDef, Body> bodies = new HashMap<>();
        /** card-building functions → index of their rule-ID parameter */
        private final Map<Definition, Integer> cardFunctions = new HashMap<>();
        /** functions that build a card for a rule they name themselves → those rules */
        private final Map<Definition, Set<String>> ruleFunctions = new HashMap<>();

        Builder(Function<String, Library> compiled) {
            this.compiled = compiled;
        }

        RuleMap build(String entryLibrary, String entryDefinition) {
            load(entryLibrary);
            findCardFunctions();
            Map<String, List<Definition>> cardDefinitionsByRule = new LinkedHashMap<>();
            for (Definition reachable : reachableFrom(new Definition(entryLibrary, entryDefinition))) {
                ExpressionDef def = definitions.get(reachable);
                if (def == null || def instanceof FunctionDef) {
                    continue;
                }
                for (String rule : rulesBuiltBy(reachable.library(), def)) {
                    cardDefinitionsByRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(reachable);
                }
            }
            Set<Definition> allCardDefinitions = new LinkedHashSet<>();
            cardDefinitionsByRule.values().forEach(allCardDefinitions::addAll);
            List<Rule> rules = new ArrayList<>();
            cardDefinitionsByRule.forEach((id, cardDefinitions) ->
                    rules.add(new Rule(id, List.copyOf(cardDefinitions), inputsOf(cardDefinitions, allCardDefinitions))));
            return new RuleMap(rules);
        }

        private void load(String libraryName) {
            if (libraries.containsKey(libraryName)) {
                return;
            }
            Library library = compiled.apply(libraryName);
            if (library == null) {
                throw new IllegalStateException("CQL library " + libraryName + " is not compiled");
            }
            libraries.put(libraryName, library);
            Map<String, String> byAlias = new HashMap<>();
            aliases.put(libraryName, byAlias);
            if (library.getStatements() != null) {
                for (ExpressionDef def : library.getStatements().getDef()) {
                    Definition key = new Definition(libraryName, def.getName());
                    if (def instanceof FunctionDef function) {
                        functions.computeIfAbsent(key, k -> new ArrayList<>()).add(function);
                    }
                    definitions.putIfAbsent(key, def);
                }
            }
            if (library.getIncludes() != null) {
                library.getIncludes().getDef().forEach(include -> {
                    byAlias.put(include.getLocalIdentifier(), include.getPath());
                    if (compiled.apply(include.getPath()) != null) {
                        load(include.getPath());
                    }
                });
            }
        }

        private Body body(ExpressionDef def) {
            return bodies.computeIfAbsent(def, d -> {
                List<ExpressionRef> expressionRefs = new ArrayList<>();
                List<FunctionRef> functionRefs = new ArrayList<>();
                if (d.getExpression() != null) {
                    FunctionalElmVisitor<Object, Object> visitor = FunctionalElmVisitor.Companion.from((element, context) -> {
                        if (element instanceof FunctionRef call) {
                            functionRefs.add(call);
                        } else if (element instanceof ExpressionRef ref) {
                            expressionRefs.add(ref);
                        }
                        return null;
                    }, (a, b) -> null);
                    visitor.visitElement(d.getExpression(), null);
                }
                return new Body(expressionRefs, functionRefs);
            });
        }

        private Definition target(String library, ExpressionRef ref) {
            String name = ref.getLibraryName() == null ? library : aliases.get(library).get(ref.getLibraryName());
            return new Definition(name, ref.getName());
        }

        /** Seeds with Card(ruleId, …) and adds every function that passes one of its own parameters on as a rule ID. */
        private void findCardFunctions() {
            functions.forEach((key, overloads) -> overloads.forEach(function -> {
                if (key.name().equals(CARD_FUNCTION) && !function.getOperand().isEmpty()
                        && function.getOperand().get(0).getName().equals(RULE_ID_PARAMETER)) {
                    cardFunctions.put(key, 0);
                }
            }));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (var entry : functions.entrySet()) {
                    for (FunctionDef function : entry.getValue()) {
                        for (FunctionRef call : body(function).functionRefs()) {
                            Integer index = cardFunctions.get(target(entry.getKey().library(), call));
                            if (index == null || index >= call.getOperand().size()
                                    || !(call.getOperand().get(index) instanceof OperandRef passed)) {
                                continue;
                            }
                            for (int i = 0; i < function.getOperand().size(); i++) {
                                if (function.getOperand().get(i).getName().equals(passed.getName())
                                        && cardFunctions.putIfAbsent(entry.getKey(), i) == null) {
                                    grew = true;
                                }
                            }
                        }
                    }
                }
            }
            functions.forEach((key, overloads) -> overloads.forEach(function -> {
                Set<String> named = literalRules(key.library(), function);
                if (!named.isEmpty()) {
                    ruleFunctions.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(named);
                }
            }));
        }

        /** The rule IDs given as literals to card functions in a definition body. */
        private Set<String> literalRules(String library, ExpressionDef def) {
            Set<String> rules = new LinkedHashSet<>();
            for (FunctionRef call : body(def).functionRefs()) {
                Integer index = cardFunctions.get(target(library, call));
                if (index != null && index < call.getOperand().size()
                        && call.getOperand().get(index) instanceof Literal literal && literal.getValue() != null) {
                    rules.add(literal.getValue());
                }
            }
            return rules;
        }

        private Set<String> rulesBuiltBy(String library, ExpressionDef def) {
            Set<String> rules = literalRules(library, def);
            for (FunctionRef call : body(def).functionRefs()) {
                rules.addAll(ruleFunctions.getOrDefault(target(library, call), Set.of()));
            }
            return rules;
        }

        private Definition target(String library, FunctionRef call) {
            String name = call.getLibraryName() == null ? library : aliases.get(library).get(call.getLibraryName());
            return new Definition(name, call.getName());
        }

        /** Every definition reachable from the entry, through expression and function references, depth first. */
        private List<Definition> reachableFrom(Definition entry) {
            Set<Definition> seen = new LinkedHashSet<>();
            Deque<Definition> stack = new ArrayDeque<>();
            stack.push(entry);
            while (!stack.isEmpty()) {
                Definition current = stack.pop();
                if (!seen.add(current)) {
                    continue;
                }
                List<ExpressionDef> defs = new ArrayList<>(functions.getOrDefault(current, List.of()));
                if (defs.isEmpty() && definitions.containsKey(current)) {
                    defs.add(definitions.get(current));
                }
                List<Definition> next = new ArrayList<>();
                for (ExpressionDef def : defs) {
                    body(def).expressionRefs().forEach(ref -> next.add(target(current.library(), ref)));
                    body(def).functionRefs().forEach(call -> next.add(target(current.library(), call)));
                }
                for (int i = next.size() - 1; i >= 0; i--) {
                    if (libraries.containsKey(next.get(i).library()) && !seen.contains(next.get(i))) {
                        stack.push(next.get(i));
                    }
                }
            }
            return List.copyOf(seen);
        }

        /**
         * The definitions the card definitions reference (level 1), then those the level-1 definitions of the same
         * library reference (level 2); never another card definition, at most {@link #MAX_INPUTS}.
         */
        private List<Definition> inputsOf(List<Definition> cardDefinitions, Set<Definition> allCardDefinitions) {
            Set<Definition> level1 = new LinkedHashSet<>();
            for (Definition card : cardDefinitions) {
                refs(card).stream().filter(d -> !allCardDefinitions.contains(d)).forEach(level1::add);
            }
            Set<Definition> inputs = new LinkedHashSet<>(level1);
            for (Definition first : level1) {
                if (cardDefinitions.stream().anyMatch(c -> c.library().equals(first.library()))) {
                    refs(first).stream().filter(d -> !allCardDefinitions.contains(d)).forEach(inputs::add);
                }
            }
            return inputs.stream().limit(MAX_INPUTS).toList();
        }

        /** A list written out in the CQL that reads nothing (such as a typed empty list): says nothing about the patient. */
        private boolean isFixedList(ExpressionDef def) {
            return def.getExpression() instanceof org.hl7.elm.r1.List
                    && body(def).expressionRefs().isEmpty() && body(def).functionRefs().isEmpty();
        }

        private List<Definition> refs(Definition definition) {
            ExpressionDef def = definitions.get(definition);
            if (def == null || def instanceof FunctionDef) {
                return List.of();
            }
            return body(def).expressionRefs().stream()
                    .map(ref -> target(definition.library(), ref))
                    .filter(d -> definitions.containsKey(d) && !(definitions.get(d) instanceof FunctionDef))
                    .filter(d -> !isFixedList(definitions.get(d)))
                    .distinct()
                    .toList();
        }
    }
}
