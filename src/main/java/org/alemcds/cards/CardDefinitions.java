package org.alemcds.cards;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The card templates in {@code fhir-resources/cards/*.json}: for each catalogue rule ID its topic title and the
 * source tags that every card of the rule cites.
 */
public final class CardDefinitions {

    /** One rule's card template. */
    public record Definition(String title, List<String> sources) {}

    private final Map<String, Definition> byRuleId;

    private CardDefinitions(Map<String, Definition> byRuleId) {
        this.byRuleId = byRuleId;
    }

    public static CardDefinitions fromClasspath(ObjectMapper mapper, String pattern) {
        Map<String, Definition> all = new HashMap<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = resource.getInputStream()) {
                    Map<String, Definition> some = mapper.readValue(in, new TypeReference<>() {});
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
        return new CardDefinitions(Map.copyOf(all));
    }

    public Optional<Definition> forRule(String ruleId) {
        return Optional.ofNullable(byRuleId.get(ruleId));
    }

    public Map<String, Definition> all() {
        return byRuleId;
    }
}
