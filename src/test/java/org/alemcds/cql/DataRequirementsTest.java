package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alemcds.testing.RuleHarness;
import org.cqframework.cql.elm.visiting.BaseElmLibraryVisitor;
import org.hl7.elm.r1.Element;
import org.hl7.elm.r1.ExpressionDef;
import org.hl7.elm.r1.ExpressionRef;
import org.hl7.elm.r1.FunctionRef;
import org.hl7.elm.r1.Library;
import org.hl7.elm.r1.Retrieve;
import org.hl7.elm.r1.ValueSetRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data requirements the engine's processor derives from the ELM cover every retrieve the CQL makes: each
 * {@code Retrieve} node of a service library and of every library it includes, walked here independently of the
 * processor, is of a required type, and its value set is among the required ones (or the type is required whole).
 */
class DataRequirementsTest {

    private static final CqlRuleEngine ENGINE = RuleHarness.ENGINE;

    @ParameterizedTest
    @ValueSource(strings = {"PreCourseChecks", "MonitoringChecks"})
    void everyRetrieveOfTheLibraryAndItsIncludesIsCovered(String libraryName) {
        DataRequirements requirements = ENGINE.dataRequirements(libraryName, Set.of());
        List<String> uncovered = new ArrayList<>();
        int[] retrieves = {0};

        forEachRetrieve(libraryName, (library, retrieve) -> {
            retrieves[0]++;
            String type = retrieve.getDataType().getLocalPart();
            var requirement = requirements.of(type);
            String what = library.getIdentifier().getId() + ": [" + type + "]";
            if (requirement == null) {
                uncovered.add(what);
            } else if (retrieve.getCodes() == null) {
                if (!requirement.everything()) {
                    uncovered.add(what + " without a code filter");
                }
            } else if (retrieve.getCodes() instanceof ValueSetRef ref) {
                String url = valueSetUrl(library, ref);
                if (!requirement.everything() && !requirement.valueSets().contains(url)) {
                    uncovered.add(what + " by " + url);
                }
            } else if (!requirement.everything() && requirement.codes().isEmpty()) {
                uncovered.add(what + " by code");
            }
        });

        assertThat(retrieves[0]).as("retrieves found in the ELM").isGreaterThan(20);
        assertThat(uncovered).as("retrieves not covered by the derived data requirements").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PreCourseChecks", "MonitoringChecks"})
    void noRequirementIsInventedBeyondTheRetrieves(String libraryName) {
        DataRequirements requirements = ENGINE.dataRequirements(libraryName, Set.of());
        Set<String> retrievedTypes = new LinkedHashSet<>();
        forEachRetrieve(libraryName, (library, retrieve) -> retrievedTypes.add(retrieve.getDataType().getLocalPart()));

        assertThat(requirements.types().keySet()).isSubsetOf(retrievedTypes);
    }

    @org.junit.jupiter.api.Test
    void whetherAPatientWasEverGivenAlemtuzumabNeedsTheMedicationRecordsOnly() {
        DataRequirements applicability = ENGINE.dataRequirements("MonitoringChecks", Set.of("Is Applicable"));

        assertThat(applicability.types().keySet()).isNotEmpty().allSatisfy(type -> assertThat(type).startsWith("Medication"));
        assertThat(ENGINE.dataRequirements("MonitoringChecks", Set.of()).types().keySet())
                .containsAll(applicability.types().keySet())
                .contains("Observation", "Condition");
    }

    private interface RetrieveVisit {
        void visit(Library library, Retrieve retrieve);
    }

    /**
     * Every Retrieve reachable from the library's definitions: following expression references (by name) and function
     * references (every overload of the name) into the libraries they name, each definition once. Definitions of an
     * included library that no reachable definition uses are not evaluated for this service and not walked.
     */
    private static void forEachRetrieve(String libraryName, RetrieveVisit visit) {
        Library entry = ENGINE.compiledLibrary(libraryName);
        assertThat(entry).as("compiled library %s", libraryName).isNotNull();
        Set<ExpressionDef> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Map.Entry<Library, ExpressionDef>> pending = new java.util.ArrayDeque<>();
        entry.getStatements().getDef().forEach(def -> pending.add(Map.entry(entry, def)));
        var walker = new BaseElmLibraryVisitor<Void, Library>() {
            @Override
            protected Void defaultResult(Element element, Library context) {
                return null;
            }

            @Override
            public Void visitRetrieve(Retrieve retrieve, Library context) {
                visit.visit(context, retrieve);
                return super.visitRetrieve(retrieve, context);
            }

            @Override
            public Void visitExpressionRef(ExpressionRef ref, Library context) {
                follow(context, ref.getLibraryName(), ref.getName());
                return super.visitExpressionRef(ref, context);
            }

            @Override
            public Void visitFunctionRef(FunctionRef ref, Library context) {
                follow(context, ref.getLibraryName(), ref.getName());
                return super.visitFunctionRef(ref, context);
            }

            private void follow(Library context, String alias, String name) {
                Library target = included(context, alias);
                target.getStatements().getDef().stream().filter(d -> d.getName().equals(name))
                        .forEach(d -> pending.add(Map.entry(target, d)));
            }
        };
        while (!pending.isEmpty()) {
            var next = pending.poll();
            if (seen.add(next.getValue())) {
                walker.visitElement(next.getValue(), next.getKey());
            }
        }
    }

    private static Library included(Library library, String alias) {
        if (alias == null) {
            return library;
        }
        String path = library.getIncludes().getDef().stream()
                .filter(i -> alias.equals(i.getLocalIdentifier()))
                .findFirst().orElseThrow().getPath();
        return ENGINE.compiledLibrary(path);
    }

    private static String valueSetUrl(Library library, ValueSetRef ref) {
        return included(library, ref.getLibraryName()).getValueSets().getDef().stream()
                .filter(v -> v.getName().equals(ref.getName()))
                .findFirst().orElseThrow().getId();
    }
}
