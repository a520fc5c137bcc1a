package org.alemcds.hooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.alemcds.cql.DataRequirements;
import org.alemcds.cql.ValueSetIndex;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * A service's prefetch templates, derived from the data requirements of its CQL: of the configured templates
 * ({@code cds.prefetch}, one per resource type), those of the types its rules read, narrowed to
 * {@code &code=system|code,…} when every retrieve of the type is by value sets that are fully coded (a value set that
 * also matches names in text needs the broad query: an EHR cannot search by our name lists).
 *
 * @param required the queries whose data the rules need: a key the client leaves out is fetched from its fhirServer
 * @param advertised what discovery asks the EHR to send: the required queries, or for a service whose applicability
 *     needs less (patient-view: was the patient ever given alemtuzumab?) only the queries that decide it; the rest is
 *     fetched for applicable patients only
 */
public record ServicePrefetch(Map<String, String> required, Map<String, String> advertised) {

    /** Longest code list put in a query; a value set beyond it is queried broadly (URL length limits of servers). */
    static final int MAX_CODES = 40;

    /**
     * @param templates the configured templates, key to query
     * @param all what the service's whole library reads
     * @param applicability what its "Is Applicable" reads, or null to advertise all required queries
     */
    static ServicePrefetch derive(Map<String, String> templates, DataRequirements all, DataRequirements applicability,
            ValueSetIndex terminology) {
        Map<String, String> required = select(templates, all, terminology);
        Map<String, String> advertised = applicability == null ? required : select(templates, applicability, terminology);
        return new ServicePrefetch(Map.copyOf(required), Map.copyOf(advertised));
    }

    private static Map<String, String> select(Map<String, String> templates, DataRequirements requirements,
            ValueSetIndex terminology) {
        Map<String, String> selected = new LinkedHashMap<>();
        templates.forEach((key, template) -> {
            DataRequirements.TypeRequirement requirement = requirements.of(typeOf(template));
            if (requirement != null) {
                selected.put(key, narrowed(template, requirement, terminology));
            }
        });
        return selected;
    }

    /** The resource type a template queries: {@code Observation?patient=…} and {@code Patient/{{…}}} alike. */
    static String typeOf(String template) {
        int end = template.length();
        for (char c : new char[] {'?', '/'}) {
            int at = template.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return template.substring(0, end);
    }

    private static String narrowed(String template, DataRequirements.TypeRequirement requirement,
            ValueSetIndex terminology) {
        if (requirement.everything() || !template.contains("?") || !requirement.codePaths().equals(Set.of("code"))) {
            return template;
        }
        Set<String> codes = new TreeSet<>(requirement.codes());
        for (String url : requirement.valueSets()) {
            for (Code code : terminology.expand(new ValueSetInfo().withId(url))) {
                if (ValueSetIndex.INGREDIENT_NAME_SYSTEM.equals(code.getSystem())) {
                    return template; // names in text: only the broad query finds them
                }
                codes.add(code.getSystem() + "|" + code.getCode());
            }
        }
        if (codes.isEmpty() || codes.size() > MAX_CODES || codes.stream().anyMatch(c -> c.contains(","))) {
            return template;
        }
        return template + "&code=" + String.join(",", codes);
    }

    /** The resource types the service's rules read that none of the configured templates asks for. */
    static List<String> unasked(Map<String, String> templates, DataRequirements requirements) {
        Set<String> asked = new TreeSet<>();
        templates.values().forEach(t -> {
            asked.add(typeOf(t));
            if (t.contains("_include=") && t.contains(":medication")) {
                asked.add("Medication");
            }
        });
        List<String> unasked = new ArrayList<>(requirements.types().keySet());
        unasked.removeAll(asked);
        return unasked;
    }
}
