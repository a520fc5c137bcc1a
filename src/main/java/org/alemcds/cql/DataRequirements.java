package org.alemcds.cql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cqframework.cql.cql2elm.LibraryManager;
import org.cqframework.cql.cql2elm.model.CompiledLibrary;
import org.cqframework.cql.elm.requirements.fhir.DataRequirementsProcessor;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DataRequirement;
import org.hl7.fhir.r5.model.Library;

/**
 * The FHIR data a CQL library's expressions retrieve, as the CQL engine's own data-requirements processor
 * ({@code org.cqframework.cql.elm.requirements.fhir.DataRequirementsProcessor}) finds them in the compiled ELM: for
 * each resource type, whether some retrieve reads every resource of the type, else the value sets and codes the
 * retrieves filter by. Nothing here is a hand-kept list: it changes with the CQL.
 *
 * @param types resource type to what is retrieved of it, by type name in alphabetical order
 */
public record DataRequirements(Map<String, TypeRequirement> types) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the retrieves of one resource type read.
     *
     * @param everything some retrieve has no code filter: every resource of the type is read
     * @param codePaths the paths the coded retrieves filter on ({@code code}, {@code medication} …)
     * @param valueSets the value set URLs of the coded retrieves
     * @param codes the codes ({@code system|code}) of retrieves by code
     */
    public record TypeRequirement(boolean everything, Set<String> codePaths, Set<String> valueSets, Set<String> codes) {
        public TypeRequirement {
            codePaths = Collections.unmodifiableSet(new TreeSet<>(codePaths));
            valueSets = Collections.unmodifiableSet(new TreeSet<>(valueSets));
            codes = Collections.unmodifiableSet(new TreeSet<>(codes));
        }
    }

    public DataRequirements {
        types = Collections.unmodifiableMap(new TreeMap<>(types));
    }

    /** Whether any retrieve reads resources of this type. */
    public boolean reads(String type) {
        return types.containsKey(type);
    }

    /** The requirement on a resource type, or null when no retrieve reads it. */
    public TypeRequirement of(String type) {
        return types.get(type);
    }

    /** The union of several requirements (e.g. of several services). */
    public static DataRequirements union(Collection<DataRequirements> all) {
        Map<String, TypeRequirement> merged = new LinkedHashMap<>();
        for (DataRequirements requirements : all) {
            requirements.types().forEach((type, requirement) -> merged.merge(type, requirement, DataRequirements::merge));
        }
        return new DataRequirements(merged);
    }

    private static TypeRequirement merge(TypeRequirement a, TypeRequirement b) {
        return new TypeRequirement(a.everything() || b.everything(), joined(a.codePaths(), b.codePaths()),
                joined(a.valueSets(), b.valueSets()), joined(a.codes(), b.codes()));
    }

    private static Set<String> joined(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * What the given expressions of a translated library retrieve (all expressions when none are given), through the
     * libraries it includes, by the engine's data-requirements processor. The library must come from a translation
     * (the processor resolves references through the translator's symbol tables).
     */
    static DataRequirements of(LibraryManager manager, CompiledLibrary library, Set<String> expressions) {
        return from(new DataRequirementsProcessor().gatherDataRequirements(manager, library,
                manager.getCqlCompilerOptions(), expressions.isEmpty() ? null : expressions, false, true));
    }

    /** Reads the {@code dataRequirement} elements of the processor's module-definition Library. */
    static DataRequirements from(Library moduleDefinition) {
        Map<String, TypeRequirement> types = new LinkedHashMap<>();
        for (DataRequirement requirement : moduleDefinition.getDataRequirement()) {
            String type = requirement.getType() == null ? null : requirement.getType().toCode();
            if (type == null) {
                continue;
            }
            boolean everything = true;
            Set<String> paths = new LinkedHashSet<>();
            Set<String> valueSets = new LinkedHashSet<>();
            Set<String> codes = new LinkedHashSet<>();
            for (var filter : requirement.getCodeFilter()) {
                if (filter.hasValueSet()) {
                    valueSets.add(filter.getValueSet());
                }
                for (Coding coding : filter.getCode()) {
                    codes.add(coding.getSystem() + "|" + coding.getCode());
                }
                if (filter.hasValueSet() || filter.hasCode()) {
                    everything = false;
                    paths.add(filter.hasPath() ? filter.getPath() : filter.getSearchParam());
                }
            }
            types.merge(type, new TypeRequirement(everything, paths, valueSets, codes),
                    DataRequirements::merge);
        }
        return new DataRequirements(types);
    }

    /** As JSON: {@code {"Observation": {"everything": false, "codePaths": [...], ...}, ...}}. */
    String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(types);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static DataRequirements fromJson(JsonNode json) {
        Map<String, TypeRequirement> types = new LinkedHashMap<>();
        json.fields().forEachRemaining(f -> types.put(f.getKey(), JSON.convertValue(f.getValue(), TypeRequirement.class)));
        return new DataRequirements(types);
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        types.forEach((type, r) -> lines.add(type + (r.everything() ? " (all)" : " " + r.codePaths() + " "
                + r.valueSets().size() + " value sets, " + r.codes().size() + " codes")));
        return String.join("\n", lines);
    }
}
