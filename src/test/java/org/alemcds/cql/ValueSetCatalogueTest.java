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
 * (fhir-resources/codesystems, written by tools/valueset.py) that hold exactly the codes the value sets use, and the
 * local codes the rules put in card suggestions.
 */
class ValueSetCatalogueTest {

    private static final Map<String, JsonNode> BY_URL = load();

    private static final String LOCAL_SYSTEM = "http://alemcds.org/fhir/CodeSystem/";
    private static final String LOCAL_CODES = LOCAL_SYSTEM + "local";

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
        used.computeIfAbsent(LOCAL_CODES, s -> new TreeSet<>()).addAll(localCodesTheRulesUse());
        Map<String, JsonNode> codeSystems = load("classpath*:fhir-resources/codesystems/*.json");
        assertThat(codeSystems.keySet()).as("a CodeSystem per local system (tools/valueset.py --codesystems)")
                .isEqualTo(used.keySet());
        used.forEach((url, codes) -> {
            JsonNode codeSystem = codeSystems.get(url);
            Set<String> concepts = new TreeSet<>();
            codeSystem.path("concept").forEach(c -> concepts.add(c.path("code").asText()));
            assertThat(concepts).as(url + ": concepts against the codes the value sets and the rules use").isEqualTo(codes);
            assertThat(codeSystem.path("count").asInt()).isEqualTo(codes.size());
            assertThat(codeSystem.path("content").asText()).isEqualTo("complete");
        });
        assertThat(used.get(ValueSetIndex.INGREDIENT_NAME_SYSTEM)).hasSizeGreaterThan(500);
    }

    /**
     * A card suggestion names only codes the local CodeSystem defines: every use of the local system in the compiled
     * rules (ELM, so whatever the CQL's layout) is a call of Common."Order Local Service" (or "Order Coded Service",
     * "Suggestion" with that system) with a literal code, and each such code is a concept of local.json.
     */
    @Test
    void everyLocalCodeTheRulesSuggestIsDefined() {
        Set<String> defined = new TreeSet<>();
        load("classpath*:fhir-resources/codesystems/local.json").get(LOCAL_CODES).path("concept")
                .forEach(c -> defined.add(c.path("code").asText()));

        Set<String> used = localCodesTheRulesUse();

        assertThat(used).as("the anti-GBM antibody suggestion of MON-RENAL is found").contains("anti-gbm-antibody");
        assertThat(defined).as("local codes the rules suggest, defined in fhir-resources/codesystems/local.json"
                + " (tools/valueset.py --codesystems)").containsAll(used);
    }

    /** Code operand, by function, of the calls that suggest a local code; the system operand where it is an argument. */
    private static final Map<String, int[]> CODE_AND_SYSTEM_OPERAND =
            Map.of("Order Local Service", new int[] {1, -1}, "Order Coded Service", new int[] {2, 1}, "Suggestion", new int[] {3, 2});

    /** The local codes the compiled rules use, failing on a use of the local system this reading does not know. */
    private static Set<String> localCodesTheRulesUse() {
        Set<String> codes = new TreeSet<>();
        int[] systemLiterals = {0, 0}; // all literals of the local system, those read as the system of a call
        Map<String, JsonNode> elm = new TreeMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:elm/*-*.json")) {
                try (InputStream in = r.getInputStream()) {
                    elm.put(r.getFilename(), new ObjectMapper().readTree(in));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(elm).as("compiled CQL (target/classes/elm)").containsKey("MonitoringLabs-1.0.0.json");
        elm.forEach((file, library) -> {
            library.path("library").path("codeSystems").path("def").forEach(cs -> assertThat(cs.path("id").asText())
                    .as(file + ": a codesystem of local codes; read its codes here").isNotEqualTo(LOCAL_CODES));
            readLocalCodes(file, library, codes, systemLiterals);
        });
        assertThat(systemLiterals[0]).as("uses of the local system other than as the system of a suggestion")
                .isEqualTo(systemLiterals[1]);
        return codes;
    }

    /** Walks an ELM node; the suggestion functions' own definitions (their operands are parameters) are not uses. */
    private static void readLocalCodes(String file, JsonNode node, Set<String> codes, int[] systemLiterals) {
        String type = node.path("type").asText();
        if (type.equals("FunctionDef") && CODE_AND_SYSTEM_OPERAND.containsKey(node.path("name").asText())) {
            return;
        }
        if (type.equals("Literal") && LOCAL_CODES.equals(node.path("value").asText())) {
            systemLiterals[0]++;
        }
        int[] operands = CODE_AND_SYSTEM_OPERAND.get(node.path("name").asText());
        if (type.equals("FunctionRef") && operands != null) {
            JsonNode system = operands[1] < 0 ? null : node.path("operand").path(operands[1]);
            if (system == null || LOCAL_CODES.equals(system.path("value").asText())) {
                systemLiterals[1] += system == null ? 0 : 1;
                JsonNode code = node.path("operand").path(operands[0]);
                assertThat(code.path("type").asText()).as(file + " " + node.path("locator").asText()
                        + ": a local code is written as a literal, so this test can check it").isEqualTo("Literal");
                codes.add(code.path("value").asText());
            }
        }
        node.forEach(child -> readLocalCodes(file, child, codes, systemLiterals));
    }
}
