package org.alemcds.cql;

import java.util.List;
import java.util.Map;
import org.alemcds.cql.ValueSetIndex.Terms;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.opencds.cqf.cql.engine.data.ExternalFunctionProvider;
import org.opencds.cqf.cql.engine.runtime.ValueSet;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * The CQL functions declared {@code external} in AlemtuzumabCommon: terminology tests that every rule runs many
 * times per call. In CQL they cost a list of codes, a conversion per coding and a query for each test; here one
 * lookup in the {@link ValueSetIndex} (the same test the retrieve filter applies to {@code [X: "VS"]}).
 *
 * <p>One instance serves one evaluation: it prepares the terms of each concept once, as the rules test the same
 * record's code against several value sets (the patient's data does not change during an evaluation). The terms are
 * shared with that evaluation's retrieve filter, which prepares the same codes.
 */
final class TerminologyFunctions implements ExternalFunctionProvider {

    static final String LIBRARY = "AlemtuzumabCommon";

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
        throw new IllegalArgumentException("No external function " + LIBRARY + ".\"" + name + "\"");
    }

    private boolean isIn(CodeableConcept concept, ValueSet valueSet) {
        return valueSet != null
                && concept != null
                && terminology.in(terms.computeIfAbsent(concept, Terms::of),
                        new ValueSetInfo().withId(valueSet.getId()));
    }
}
