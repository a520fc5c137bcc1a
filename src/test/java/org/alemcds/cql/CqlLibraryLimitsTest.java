package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.alemcds.testing.RuleHarness;
import org.hl7.elm.r1.FunctionDef;
import org.hl7.elm.r1.IncludeDef;
import org.hl7.elm.r1.Library;
import org.hl7.elm.r1.VersionedIdentifier;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.cql.engine.execution.Cache;
import org.opencds.cqf.cql.engine.execution.ExpressionResult;

/**
 * The CQL stays within what keeps it readable and fast: rule-family libraries of at most 400 lines, and no evaluation
 * that outgrows the engine's expression cache (a least-recently-used map of libraries, each a bounded map of
 * definitions: past either bound, definitions are evicted and computed again).
 */
class CqlLibraryLimitsTest {

    static final int MAX_LINES = 400;
    static final List<String> ENTRY_LIBRARIES = List.of("PreCourseChecks", "MonitoringChecks");

    @Test
    void everyLibraryHasAtMost400Lines() throws IOException {
        Map<String, Long> tooLong = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("cql"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".cql")).toList()) {
                long lines = Files.readAllLines(file).size();
                if (lines > MAX_LINES) {
                    tooLong.put(file.getFileName().toString(), lines);
                }
            }
        }
        assertThat(tooLong).as("split these by rule family").isEmpty();
    }

    @Test
    void everyEvaluationFitsTheEnginesExpressionCache() {
        int libraryCapacity = libraryCapacity();
        int definitionCapacity = definitionCapacity();
        for (String entry : ENTRY_LIBRARIES) {
            Set<String> libraries = new LinkedHashSet<>();
            collect(entry, libraries);
            assertThat(libraries.size()).as(entry + " evaluates " + libraries).isLessThanOrEqualTo(libraryCapacity);
            for (String name : libraries) {
                long definitions = RuleHarness.ENGINE.compiledLibrary(name).getStatements() == null ? 0
                        : RuleHarness.ENGINE.compiledLibrary(name).getStatements().getDef().stream()
                                .filter(d -> !(d instanceof FunctionDef)).count();
                assertThat(definitions).as(name + " definitions").isLessThanOrEqualTo(definitionCapacity);
            }
        }
    }

    private static void collect(String name, Set<String> libraries) {
        Library library = RuleHarness.ENGINE.compiledLibrary(name);
        assertThat(library).as(name + " compiled").isNotNull();
        if (!libraries.add(name) || library.getIncludes() == null) {
            return;
        }
        for (IncludeDef include : library.getIncludes().getDef()) {
            collect(include.getPath(), libraries);
        }
    }

    /** How many libraries the engine's expression cache keeps (probed: the engine has no setting for it). */
    private static int libraryCapacity() {
        Cache cache = new Cache();
        for (int i = 0; i < 10_000; i++) {
            cache.cacheExpression(new VersionedIdentifier().withId("L" + i), "x", new ExpressionResult(null, null));
        }
        assertThat(cache.getExpressions()).as("the engine bounds its cache").hasSizeLessThan(10_000);
        return cache.getExpressions().size();
    }

    /** How many definitions of one library the engine's expression cache keeps. */
    private static int definitionCapacity() {
        Cache cache = new Cache();
        VersionedIdentifier library = new VersionedIdentifier().withId("L");
        for (int i = 0; i < 10_000; i++) {
            cache.cacheExpression(library, "d" + i, new ExpressionResult(null, null));
        }
        int size = cache.getExpressions().get(library).size();
        assertThat(size).as("the engine bounds a library's definitions").isLessThan(10_000);
        return size;
    }
}
