package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirVersionEnum;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.fhir.utility.model.FhirModelResolverCache;

/** Paths read without a regular expression give what the engine's resolver gives. */
class R4PathResolverTest {

    @Test
    void splitsLikeTheEngine() {
        assertThat(R4PathResolver.identifiers("code")).containsExactly("code");
        assertThat(R4PathResolver.identifiers("code.coding")).containsExactly("code", "coding");
        assertThat(R4PathResolver.identifiers("a..b.")).containsExactly("a", "", "b");
        assertThat(R4PathResolver.identifiers("")).isEmpty();
    }

    @Test
    void readsTheSameValuesAsTheEngineResolver() {
        var engine = FhirModelResolverCache.resolverForVersion(FhirVersionEnum.R4);
        var ours = R4PathResolver.SHARED;
        var observation = new Observation()
                .setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "777-3", "Platelets")))
                .setSubject(new Reference("Patient/p1"))
                .setEffective(new DateTimeType("2026-11-02T08:30:00Z"))
                .setValue(new Quantity().setValue(151).setUnit("10*3/uL"));
        observation.setStatus(Observation.ObservationStatus.FINAL);
        for (String path : List.of("code", "code.coding", "subject.reference", "effective", "value", "value.value",
                "status", "status.value", "code.text", "nonsense", "code.nonsense", "", "code.coding[0].code")) {
            Object expected = engine.resolvePath(observation, path);
            Object actual = ours.resolvePath(observation, path);
            if (expected instanceof org.hl7.fhir.r4.model.Base base) {
                assertThat(base.equalsDeep((org.hl7.fhir.r4.model.Base) actual)).as(path).isTrue();
            } else if (expected instanceof List<?> list) {
                assertThat((List<?>) actual).as(path).hasSameSizeAs(list);
            } else {
                assertThat(actual).as(path).isEqualTo(expected);
            }
        }
    }
}
