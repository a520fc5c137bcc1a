package org.alemcds.cql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.alemcds.cql.ValueSetIndex.Terms;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.cql.engine.retrieve.RetrieveProvider;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Interval;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * Filters a retrieve's code or value set (e.g. {@code [Condition: "MS Relapse"]}) with the same terminology the
 * CQL uses everywhere else: every coding (system|code, or a listed name in its display), the concept's text, and
 * for medications a {@code medicationReference} followed to its Medication's code. The repository's own filter
 * looks at codings only, so a record coded by text alone would be missed by a retrieve but found by a query.
 *
 * <p>One instance serves one evaluation (one patient's immutable data), so it remembers every answer: the rule
 * libraries retrieve the same types and value sets many times. Retrieves in the patient context are answered from
 * {@link PatientRecords}; one with a date range (none of the rules has one) goes to the engine's repository provider.
 */
final class ConceptFilteringRetrieveProvider implements RetrieveProvider {

    private final PatientRecords records;
    private final Supplier<RetrieveProvider> datedRetrieves;
    private final ModelResolver modelResolver;
    private final ValueSetIndex terminology;
    private final Map<RetrieveKey, List<Object>> answers = new HashMap<>();
    private final Map<String, Map<Object, Terms>> terms = new HashMap<>();
    private final Map<CodeableConcept, Terms> conceptTerms;

    private record RetrieveKey(String context, String contextPath, Object contextValue, String dataType,
            String templateId, String codePath, List<String> codes, String valueSet) {}

    /** @param conceptTerms the evaluation's prepared terms by concept (identity), shared with {@code Is In} */
    ConceptFilteringRetrieveProvider(PatientRecords records, Supplier<RetrieveProvider> datedRetrieves,
            ModelResolver modelResolver, ValueSetIndex terminology, Map<CodeableConcept, Terms> conceptTerms) {
        this.records = records;
        this.conceptTerms = conceptTerms;
        this.datedRetrieves = datedRetrieves;
        this.modelResolver = modelResolver;
        this.terminology = terminology;
    }

    @Override
    public Iterable<Object> retrieve(
            String context,
            String contextPath,
            Object contextValue,
            String dataType,
            String templateId,
            String codePath,
            Iterable<Code> codes,
            String valueSet,
            String datePath,
            String dateLowPath,
            String dateHighPath,
            Interval dateRange) {
        if (dateRange != null || datePath != null || dateLowPath != null || dateHighPath != null) {
            return filter(datedRetrieves.get().retrieve(context, contextPath, contextValue, dataType, templateId, null,
                    null, null, datePath, dateLowPath, dateHighPath, dateRange), codePath, codes, valueSet);
        }
        boolean coded = codePath != null && (codes != null || valueSet != null);
        var key = new RetrieveKey(context, contextPath, contextValue, dataType, templateId,
                coded ? codePath : null, coded ? codeKeys(codes) : null, coded ? valueSet : null);
        List<Object> answer = answers.get(key);
        if (answer == null) {
            answer = coded
                    ? filter(retrieve(context, contextPath, contextValue, dataType, templateId, null, null, null, null,
                            null, null, null), codePath, codes, valueSet)
                    : List.copyOf(records.inContext(context, contextPath, contextValue, dataType, modelResolver));
            answers.put(key, answer);
        }
        return answer;
    }

    private static List<String> codeKeys(Iterable<Code> codes) {
        if (codes == null) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        codes.forEach(c -> keys.add(c.getSystem() + "|" + c.getCode()));
        return keys;
    }

    private static List<Object> asList(Iterable<Object> resources) {
        List<Object> list = new ArrayList<>();
        resources.forEach(r -> list.add(Objects.requireNonNull(r)));
        return list;
    }

    private List<Object> filter(Iterable<Object> candidates, String codePath, Iterable<Code> codes, String valueSet) {
        if (codePath == null || (codes == null && valueSet == null)) {
            return asList(candidates);
        }
        ValueSetInfo valueSetInfo = valueSet == null ? null : new ValueSetInfo().withId(valueSet);
        List<Object> matching = new ArrayList<>();
        for (Object resource : candidates) {
            Terms terms = termsAt(resource, codePath);
            if ((valueSetInfo != null && terminology.in(terms, valueSetInfo)) || containsAny(terms, codes)) {
                matching.add(resource);
            }
        }
        return List.copyOf(matching);
    }

    /** The terms at a resource's code path, prepared once per resource: many retrieves test the same resources. */
    private Terms termsAt(Object resource, String codePath) {
        return terms.computeIfAbsent(codePath, path -> new IdentityHashMap<>())
                .computeIfAbsent(resource, r -> termsOf(resolve(r, codePath)));
    }

    /** The value at a code path; a dotted path ({@code component.code}) is followed through every list element. */
    private Object resolve(Object target, String path) {
        Object value = target;
        for (String step : path.split("\\.")) {
            value = step(value, step);
        }
        return value;
    }

    private Object step(Object value, String step) {
        if (value instanceof Iterable<?> values) {
            List<Object> each = new ArrayList<>();
            for (Object element : values) {
                Object next = step(element, step);
                if (next instanceof Iterable<?> nested) {
                    nested.forEach(each::add);
                } else if (next != null) {
                    each.add(next);
                }
            }
            return each;
        }
        return value == null ? null : modelResolver.resolvePath(value, step);
    }

    private Terms termsOf(Object value) {
        if (value instanceof Iterable<?> values) {
            List<Terms> each = new ArrayList<>();
            values.forEach(v -> each.add(termsOf(v)));
            return Terms.union(each);
        }
        if (value instanceof Reference reference) {
            return Terms.of(medicationCode(reference));
        }
        if (value instanceof Coding coding) {
            return Terms.of(coding);
        }
        if (value instanceof CodeableConcept concept) {
            return conceptTerms.computeIfAbsent(concept, Terms::of);
        }
        return Terms.NONE;
    }

    /** Codes given in the retrieve itself ({@code [Observation: "Code"]}); a code without a system matches any. */
    private static boolean containsAny(Terms terms, Iterable<Code> codes) {
        if (codes == null) {
            return false;
        }
        for (Code wanted : codes) {
            if (wanted.getCode() == null) {
                continue;
            }
            for (String key : terms.keys()) {
                if (wanted.getSystem() == null
                        ? key.endsWith("|" + wanted.getCode())
                        : key.equals(wanted.getSystem() + "|" + wanted.getCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    private CodeableConcept medicationCode(Reference reference) {
        if (reference.getReferenceElement().getIdPart() == null) {
            return null;
        }
        return records.read("Medication", reference.getReferenceElement().getIdPart()) instanceof Medication medication
                ? medication.getCode()
                : null;
    }
}
