package org.alemcds.cql;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alemcds.cql.ValueSetIndex.Terms;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.opencds.cqf.cql.engine.data.ExternalFunctionProvider;
import org.opencds.cqf.cql.engine.runtime.ValueSet;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * The CQL functions declared {@code external} in AlemtuzumabCommon and TextEvidence: terminology tests that every rule
 * runs many times per call. In CQL they cost a list of codes, a conversion per coding and a query for each test; here
 * one lookup in the {@link ValueSetIndex} (the same test the retrieve filter applies to {@code [X: "VS"]}).
 * {@code TextEvidence."Is Named Only Uncertainly"} asks how the free text names a concept: a question CQL cannot put
 * to the terminology (its {@code in} answers membership only), answered from the same prepared membership.
 *
 * <p>One instance serves one evaluation: it prepares the terms of each concept once, as the rules test the same
 * record's code against several value sets (the patient's data does not change during an evaluation). The terms are
 * shared with that evaluation's retrieve filter, which prepares the same codes.
 */
final class TerminologyFunctions implements ExternalFunctionProvider {

    /** The libraries that declare these functions (the engine asks the provider registered for the declaring one). */
    static final Set<String> LIBRARIES = Set.of("AlemtuzumabCommon", "TextEvidence");

    private final ValueSetIndex terminology;
    private final Map<CodeableConcept, Terms> terms;

    /** @param terms the evaluation's prepared terms by concept (identity), filled here as concepts are tested */
    TerminologyFunctions(ValueSetIndex terminology, Map<CodeableConcept, Terms> terms) {
        this.terminology = terminology;
        this.terms = terms;
    }

    @Override
    public Object evaluate(String name, List<Object> arguments) {
        if ("Is In".equals(name)) {
            return isIn((CodeableConcept) arguments.get(0), (ValueSet) arguments.get(1));
        }
        if ("Is Named Only Uncertainly".equals(name)) {
            CodeableConcept concept = (CodeableConcept) arguments.get(0);
            return concept != null && terminology.isNamedOnlyUncertainly(terms.computeIfAbsent(concept, Terms::of));
        }
        throw new IllegalArgumentException("No external function \"" + name + "\"");
    }

    private boolean isIn(CodeableConcept concept, ValueSet valueSet) {
        return valueSet != null
                && concept != null
                && terminology.in(terms.computeIfAbsent(concept, Terms::of),
                        new ValueSetInfo().withId(valueSet.getId()));
    }
}
