package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.fhir.cql.engine.retrieve.RepositoryRetrieveProvider;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings;
import org.opencds.cqf.fhir.utility.model.FhirModelResolverCache;
import org.opencds.cqf.fhir.utility.repository.InMemoryFhirRepository;

/** Retrieves by value set or code see what Common."Is In" sees, and one evaluation's answers are remembered. */
class ConceptFilteringRetrieveProviderTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String TRYPTASE = "http://alemcds.org/fhir/ValueSet/tryptase";
    static final String ALEMTUZUMAB = "http://alemcds.org/fhir/ValueSet/alemtuzumab-product";

    final Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);

    <T extends Resource> T add(T resource, String id) {
        resource.setId(resource.fhirType() + "/" + id);
        bundle.addEntry().setResource(resource);
        return resource;
    }

    ConceptFilteringRetrieveProvider provider() {
        // parsed, as in the service: resources built in code are not found by the in-memory repository's search
        var parsed = (Bundle) FHIR.newJsonParser().parseResource(FHIR.newJsonParser().encodeResourceToString(bundle));
        var modelResolver = FhirModelResolverCache.resolverForVersion(FHIR.getVersion().getVersion());
        var terminology = ValueSetIndexTest.INDEX;
        return new ConceptFilteringRetrieveProvider(new PatientRecords(FHIR, parsed),
                () -> new RepositoryRetrieveProvider(new InMemoryFhirRepository(FHIR, parsed), terminology,
                        new RetrieveSettings()),
                modelResolver, terminology, new IdentityHashMap<>());
    }

    static List<String> ids(Iterable<Object> resources) {
        List<String> ids = new ArrayList<>();
        resources.forEach(r -> ids.add(((Resource) r).getIdElement().getIdPart()));
        return ids;
    }

    static Iterable<Object> retrieve(ConceptFilteringRetrieveProvider provider, String type, String codePath,
            Iterable<Code> codes, String valueSet) {
        return provider.retrieve("Patient", "subject", "p1", type, null, codePath, codes, valueSet, null, null, null,
                null);
    }

    Observation observation(String id, CodeableConcept code) {
        var o = add(new Observation(), id);
        o.setStatus(Observation.ObservationStatus.FINAL).setCode(code).setSubject(new Reference("Patient/p1"));
        return o;
    }

    @Test
    void aValueSetRetrieveFindsCodedAndTextOnlyRecordsAndIsAnsweredOnce() {
        add(new Patient(), "p1");
        observation("text-only", new CodeableConcept().setText("Serum tryptase"));
        observation("display", new CodeableConcept().addCoding(new Coding("urn:lab", "T1", "Mast cell TRYPTASE")));
        observation("other", new CodeableConcept().addCoding(new Coding("http://loinc.org", "718-7", "Hemoglobin")));
        var provider = provider();

        var first = retrieve(provider, "Observation", "code", null, TRYPTASE);
        assertThat(ids(first)).containsExactlyInAnyOrder("text-only", "display");
        assertThat(retrieve(provider, "Observation", "code", null, TRYPTASE)).isSameAs(first);
        assertThat(ids(retrieve(provider, "Observation", null, null, null))).hasSize(3);
    }

    @Test
    void aCodeRetrieveMatchesTheSystemWhenGivenAndAnySystemWhenNot() {
        add(new Patient(), "p1");
        observation("hb", new CodeableConcept().addCoding(new Coding("http://loinc.org", "718-7", null)));
        observation("local", new CodeableConcept().addCoding(new Coding("urn:lab", "718-7", null)));
        var provider = provider();

        var loinc = List.of(new Code().withSystem("http://loinc.org").withCode("718-7"));
        var anySystem = List.of(new Code().withCode("718-7"));
        assertThat(ids(retrieve(provider, "Observation", "code", loinc, null))).containsExactly("hb");
        assertThat(ids(retrieve(provider, "Observation", "code", anySystem, null)))
                .containsExactlyInAnyOrder("hb", "local");
    }

    @Test
    void aMedicationReferenceIsFollowedToItsCode() {
        add(new Patient(), "p1");
        add(new Medication().setCode(new CodeableConcept().setText("Lemtrada 12 mg")), "m1");
        add(new MedicationRequest().setMedication(new Reference("Medication/m1")).setSubject(new Reference("Patient/p1")),
                "by-reference");
        add(new MedicationRequest().setMedication(new CodeableConcept().setText("Tysabri"))
                .setSubject(new Reference("Patient/p1")), "other");

        assertThat(ids(retrieve(provider(), "MedicationRequest", "medication", null, ALEMTUZUMAB)))
                .containsExactly("by-reference");
    }
}
