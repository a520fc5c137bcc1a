package org.alemcds.traceability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keeps the rule catalogue, the CQL, the card templates, the tests and docs/rules.md in step, so coverage of the
 * catalogue cannot silently regress. Regenerate docs/rules.md with
 * {@code mvn -q test -Dtest=RuleCoverageTest -Drules.write=true}.
 */
class RuleCoverageTest {

    /** Parent entries of Appendix A whose cards carry only sub-IDs (catalogue §4.4). */
    private static final Map<String, List<String>> SUB_IDS = Map.of(
            "SW-FUMARATE", List.of("SW-FUMARATE-WASH", "SW-FUMARATE-ALC"),
            "SW-TERI", List.of("SW-TERI-WASH", "SW-TERI-ALC", "SW-TERI-ELIM", "SW-TERI-LEVEL"));

    private static final String[] PENDING_RULES = {
    };

    private static final Path TABLE = RuleCatalogue.ROOT.resolve("docs/rules.md");

    @Test
    void appendixCopyMatchesTheSharedCatalogue() {
        Assumptions.assumeTrue(Files.exists(RuleCatalogue.SHARED_CATALOGUE), "shared catalogue not beside the repository");
        assertThat(RuleCatalogue.appendixSection(RuleCatalogue.APPENDIX_COPY))
                .isEqualTo(RuleCatalogue.appendixSection(RuleCatalogue.SHARED_CATALOGUE));
    }

    @Test
    void everyImplementedRuleHasATemplateATestAndAHeaderComment() {
        var implementations = RuleCatalogue.implementations();
        var templates = RuleCatalogue.cardSources();
        var tests = RuleCatalogue.tests();
        var comments = RuleCatalogue.headerComments();
        List<String> problems = new ArrayList<>();
        for (String id : implementations.keySet()) {
            if (!templates.containsKey(id)) {
                problems.add(id + ": no card template in fhir-resources/cards");
            } else if (templates.get(id).isEmpty()) {
                problems.add(id + ": card template lists no source");
            }
            if (!tests.containsKey(id)) {
                problems.add(id + ": no test names it");
            }
            if (!comments.containsKey(id)) {
                problems.add(id + ": no CQL header comment with When/Then names it in its title (before When)");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyEmittedIdIsInTheCatalogue() {
        Set<String> catalogued = new TreeSet<>();
        RuleCatalogue.appendixA(RuleCatalogue.APPENDIX_COPY).forEach(e -> catalogued.add(e.id()));
        assertThat(RuleCatalogue.implementations().keySet()).allSatisfy(id -> assertThat(catalogued).contains(id));
        assertThat(RuleCatalogue.cardSources().keySet()).allSatisfy(id -> assertThat(catalogued).contains(id));
    }

    /**
     * Catalogue rules not implemented yet, stated openly. The test fails when a rule outside this list lacks CQL or a
     * test, and when a rule on it has been implemented (so the list only ever shrinks to empty).
     */
    static final Set<String> PENDING = new TreeSet<>(List.of(PENDING_RULES));

    @Test
    void everyCatalogueRuleIsImplementedAndTestedOrDeclaredPending() {
        var implementations = RuleCatalogue.implementations();
        var tests = RuleCatalogue.tests();
        Set<String> missing = new TreeSet<>();
        for (var entry : RuleCatalogue.appendixA(RuleCatalogue.APPENDIX_COPY)) {
            List<String> ids = SUB_IDS.getOrDefault(entry.id(), List.of(entry.id()));
            for (String id : ids) {
                if (!implementations.containsKey(id) || !tests.containsKey(id)) {
                    missing.add(id);
                }
            }
        }
        assertThat(missing).as("catalogue rules without CQL implementation or test (declared pending: PENDING_RULES)")
                .isEqualTo(PENDING);
    }

    @Test
    void ruleTableIsCurrent() throws IOException {
        String generated = RuleTable.render();
        if (Boolean.getBoolean("rules.write")) {
            Files.writeString(TABLE, generated);
        }
        assertThat(Files.exists(TABLE)).as("docs/rules.md exists (generate with -Drules.write=true)").isTrue();
        assertThat(Files.readString(TABLE))
                .as("docs/rules.md is current: regenerate with mvn -q test -Dtest=RuleCoverageTest -Drules.write=true")
                .isEqualTo(generated);
    }

    /** docs/rules.md: rule ID → CQL library and definition → tests → sources → decisions. */
    static final class RuleTable {
        static String render() {
            var implementations = RuleCatalogue.implementations();
            var tests = RuleCatalogue.tests();
            var sources = RuleCatalogue.cardSources();
            var decisionsByRule = RuleCatalogue.decisionsByRule(implementations);
            StringBuilder out = new StringBuilder();
            out.append("# Rule table\n\n")
                    .append("Generated from the CQL (`cql/`), the card templates (`fhir-resources/cards/`) and the tests by\n")
                    .append("`RuleCoverageTest` (`mvn -q test -Dtest=RuleCoverageTest -Drules.write=true`); the test fails when this\n")
                    .append("file is stale or when a rule of the catalogue's Appendix A has no CQL implementation or no test.\n")
                    .append("\"Decisions / departures\" gives, whole, the decision paragraphs (\"Decision:\", \"Decisions …:\",\n")
                    .append("\"Departure:\", \"… (decision):\") of the rule's CQL header and of its library's header; \"none\": no decision\n")
                    .append("is recorded, the header's When/Then states the catalogue's logic (its DEFAULT parameters included).\n\n")
                    .append("| Rule ID | Category | Highest | CQL library → definitions | Tests | Sources | Decisions / departures |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (var entry : RuleCatalogue.appendixA(RuleCatalogue.APPENDIX_COPY)) {
                if (SUB_IDS.containsKey(entry.id())) {
                    out.append("| ").append(entry.id()).append(" | ").append(entry.category()).append(" | ")
                            .append(entry.highestIndicator()).append(" | cards carry the sub-IDs ")
                            .append(String.join(", ", SUB_IDS.get(entry.id()))).append(" | | | |\n");
                    continue;
                }
                for (String id : List.of(entry.id())) {
                    String cql = implementations.getOrDefault(id, List.of()).stream()
                            .map(i -> i.library() + " → \"" + i.definition() + "\"")
                            .collect(Collectors.joining("<br>"));
                    String testClasses = String.join("<br>", tests.getOrDefault(id, new TreeSet<>()));
                    String src = String.join("; ", sources.getOrDefault(id, List.of()));
                    String decisions = String.join("<br>", decisionsByRule.getOrDefault(id, List.of()))
                            .replace("|", "\\|");
                    String label = id;
                    out.append("| ").append(label)
                            .append(" | ").append(entry.category())
                            .append(" | ").append(entry.highestIndicator())
                            .append(" | ").append(cql.isEmpty() ? "**not implemented**" : cql)
                            .append(" | ").append(testClasses.isEmpty() ? "**none**" : testClasses)
                            .append(" | ").append(src)
                            .append(" | ").append(decisions.isEmpty() && !cql.isEmpty() ? "none" : decisions)
                            .append(" |\n");
                }
            }
            return out.toString();
        }
    }
}
