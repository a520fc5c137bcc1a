package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * One value set per concept (fhir-resources/valuesets): no two sets expand to the same members, and a set written as
 * a compose (class and union sets, tools/valueset.py vs:&lt;id&gt;) expands to exactly what its compose includes.
 * The project's own codes (name terms, text-evidence triggers, local codes) are concepts of local CodeSystems
 * (fhir-resources/codesystems, written by tools/valueset.py) that hold exactly the codes the value sets use.
 */
class ValueSetCatalogueTest {

    private static final Map<String, JsonNode> BY_URL = load();

    private static final String LOCAL_SYSTEM = "http://alemcds.org/fhir/CodeSystem/";

    private static Map<String, JsonNode> load() {
        return load("classpath*:fhir-resources/valuesets/*.json");
    }

    private static Map<String, JsonNode> load(String pattern) {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> byUrl = new HashMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = r.getInputStream()) {
                    JsonNode vs = mapper.readTree(in);
                    byUrl.put(vs.path("url").asText(), vs);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return byUrl;
    }

    private static Set<String> members(JsonNode vs) {
        Set<String> members = new LinkedHashSet<>();
        vs.path("expansion").path("contains").forEach(c -> members.add(c.path("system").asText() + "|" + c.path("code").asText()));
        return members;
    }

    @Test
    void noTwoValueSetsExpandToTheSameMembers() {
        Map<Set<String>, List<String>> byMembers = new HashMap<>();
        BY_URL.values().forEach(vs -> byMembers.computeIfAbsent(members(vs), m -> new ArrayList<>()).add(vs.path("id").asText()));
        assertThat(byMembers.values()).as("value sets with identical expansions").allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(BY_URL).hasSizeGreaterThan(100);
    }

    @Test
    void aComposedValueSetExpandsToExactlyWhatItsComposeIncludes() {
        List<String> composed = new ArrayList<>();
        BY_URL.values().stream().filter(vs -> vs.has("compose")).forEach(vs -> {
            Set<String> included = new LinkedHashSet<>();
            vs.path("compose").path("include").forEach(include -> {
                include.path("valueSet").forEach(url -> {
                    assertThat(BY_URL).as(vs.path("id").asText() + " includes " + url.asText()).containsKey(url.asText());
                    included.addAll(members(BY_URL.get(url.asText())));
                });
                include.path("concept").forEach(c -> included.add(include.path("system").asText() + "|" + c.path("code").asText()));
            });
            assertThat(members(vs)).as(vs.path("id").asText() + ": expansion against compose").isEqualTo(included);
            composed.add(vs.path("id").asText());
        });
        assertThat(composed).contains("ms-dmt", "s1p-modulator", "interferon-glatiramer", "immunosuppressant", "depleting-other");
    }

    @Test
    void everyLocalCodeIsAConceptOfItsOwnCodeSystem() {
        Map<String, Set<String>> used = new TreeMap<>();
        BY_URL.values().forEach(vs -> members(vs).stream().filter(m -> m.startsWith(LOCAL_SYSTEM)).forEach(m -> {
            int bar = m.indexOf('|');
            used.computeIfAbsent(m.substring(0, bar), s -> new TreeSet<>()).add(m.substring(bar + 1));
        }));
        Map<String, JsonNode> codeSystems = load("classpath*:fhir-resources/codesystems/*.json");
        assertThat(codeSystems.keySet()).as("a CodeSystem per local system (tools/valueset.py --codesystems)")
                .isEqualTo(used.keySet());
        used.forEach((url, codes) -> {
            JsonNode codeSystem = codeSystems.get(url);
            Set<String> concepts = new TreeSet<>();
            codeSystem.path("concept").forEach(c -> concepts.add(c.path("code").asText()));
            assertThat(concepts).as(url + ": concepts against the codes the value sets use").isEqualTo(codes);
            assertThat(codeSystem.path("count").asInt()).isEqualTo(codes.size());
            assertThat(codeSystem.path("content").asText()).isEqualTo("complete");
        });
        assertThat(used.get(ValueSetIndex.INGREDIENT_NAME_SYSTEM)).hasSizeGreaterThan(500);
    }
}
