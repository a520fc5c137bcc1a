package org.alemcds.cards;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The card configuration in {@code fhir-resources/}: the card templates ({@code cards/*.json}: for each catalogue
 * rule ID its topic title, the source tags that every card of the rule cites, and optionally the combined card it
 * joins), the combined cards ({@code card-groups.json}) and the source registry ({@code sources.json}). Loading
 * fails when a template cites an unregistered source or names an unknown group.
 */
public final class CardDefinitions {

    static final String SOURCES = "classpath*:fhir-resources/sources.json";
    static final String GROUPS = "classpath*:fhir-resources/card-groups.json";

    /**
     * One rule's card template.
     *
     * @param group the combined card this rule's cards join (a key of card-groups.json), or null
     * @param item the rule's entry in the combined card's summary, e.g. "Listeria food advice"
     */
    public record Definition(String title, List<String> sources, String group, String item) {

        public Definition(String title, List<String> sources) {
            this(title, sources, null, null);
        }
    }

    /**
     * A combined card: cards of its member rules with one of {@code indicators} are merged into one card whose topic
     * is the group's key and title, and whose summary starts with {@code summary}.
     */
    public record Group(String title, String summary, List<String> indicators) {}

    private final Map<String, Definition> byRuleId;
    private final Map<String, Group> groups;
    private final SourceRegistry sources;

    private CardDefinitions(Map<String, Definition> byRuleId, Map<String, Group> groups, SourceRegistry sources) {
        this.byRuleId = byRuleId;
        this.groups = groups;
        this.sources = sources;
    }

    public static CardDefinitions fromClasspath(ObjectMapper mapper, String pattern) {
        Map<String, Definition> all = read(mapper, pattern, new TypeReference<>() {});
        Map<String, Group> groups = read(mapper, GROUPS, new TypeReference<>() {});
        SourceRegistry sources = new SourceRegistry(read(mapper, SOURCES, new TypeReference<>() {}));
        List<String> problems = new ArrayList<>();
        all.forEach((id, definition) -> {
            definition.sources().stream().filter(s -> sources.tagOf(s).isEmpty())
                    .forEach(s -> problems.add(id + " cites '" + s + "', which is not in sources.json"));
            if (definition.group() != null && !groups.containsKey(definition.group())) {
                problems.add(id + " joins the unknown combined card '" + definition.group() + "'");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Card templates: " + String.join("; ", problems));
        }
        // sorted, so that whatever lists them (the gallery, the rule table) is stable from run to run
        return new CardDefinitions(
                Collections.unmodifiableMap(new TreeMap<>(all)), Collections.unmodifiableMap(new TreeMap<>(groups)), sources);
    }

    private static <T> Map<String, T> read(ObjectMapper mapper, String pattern, TypeReference<Map<String, T>> type) {
        Map<String, T> all = new HashMap<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = resource.getInputStream()) {
                    Map<String, T> some = mapper.readValue(in, type);
                    for (var entry : some.entrySet()) {
                        if (all.put(entry.getKey(), entry.getValue()) != null) {
                            throw new IllegalStateException("Card definition " + entry.getKey() + " is defined twice");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read card definitions " + pattern, e);
        }
        return all;
    }

    public Optional<Definition> forRule(String ruleId) {
        return Optional.ofNullable(byRuleId.get(ruleId));
    }

    public Map<String, Definition> all() {
        return byRuleId;
    }

    public Map<String, Group> groups() {
        return groups;
    }

    public SourceRegistry sources() {
        return sources;
    }
}
