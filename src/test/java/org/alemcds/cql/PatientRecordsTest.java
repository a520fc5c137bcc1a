package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.fhir.cql.engine.retrieve.RepositoryRetrieveProvider;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings;
import org.opencds.cqf.fhir.utility.model.FhirModelResolverCache;
import org.opencds.cqf.fhir.utility.repository.InMemoryFhirRepository;

/** The patient-compartment retrieve answers what the engine's repository search answered, in the same order. */
class PatientRecordsTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final ModelResolver MODEL = FhirModelResolverCache.resolverForVersion(FHIR.getVersion().getVersion());

    /** The (type, context path) pairs the rule libraries retrieve in the Patient context. */
    static final Map<String, String> CONTEXT_PATHS = Map.ofEntries(
            Map.entry("Patient", "id"), Map.entry("Medication", ""), Map.entry("AllergyIntolerance", "patient"),
            Map.entry("Immunization", "patient"), Map.entry("ImmunizationRecommendation", "patient"),
            Map.entry("AdverseEvent", "subject"), Map.entry("Condition", "subject"),
            Map.entry("DiagnosticReport", "subject"), Map.entry("ImagingStudy", "subject"),
            Map.entry("MedicationAdministration", "subject"), Map.entry("MedicationDispense", "subject"),
            Map.entry("MedicationRequest", "subject"), Map.entry("MedicationStatement", "subject"),
            Map.entry("Observation", "subject"), Map.entry("Procedure", "subject"));

    static Bundle parsed(Bundle bundle) {
        // parsed, as in the service (the repository indexes parsed resources)
        return (Bundle) FHIR.newJsonParser().parseResource(FHIR.newJsonParser().encodeResourceToString(bundle));
    }

    static List<String> ids(Iterable<?> resources) {
        List<String> ids = new ArrayList<>();
        resources.forEach(r -> ids.add(((IBaseResource) r).getIdElement().toUnqualifiedVersionless().getValue()));
        return ids;
    }

    static void assertSameAnswers(Bundle bundle, String patientId) {
        var records = new PatientRecords(FHIR, bundle);
        var repository = new RepositoryRetrieveProvider(
                new InMemoryFhirRepository(FHIR, bundle), ValueSetIndexTest.INDEX, new RetrieveSettings());
        CONTEXT_PATHS.forEach((type, path) -> {
            String contextPath = path.isEmpty() ? null : path;
            var expected = repository.retrieve("Patient", contextPath, patientId, type, null, null, null, null, null,
                    null, null, null);
            assertThat(ids(records.inContext("Patient", contextPath, patientId, type, MODEL)))
                    .as(type).containsExactlyElementsOf(ids(expected));
        });
    }

    @Test
    void answersLikeTheRepositoryOnTheBenchmarkRecord() throws Exception {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        try (InputStream in = getClass().getResourceAsStream("/bench/Debora709_Mayer370-ms.order-sign.json")) {
            var request = new ObjectMapper().readTree(in);
            request.get("prefetch").fields().forEachRemaining(field -> {
                if (field.getValue().isObject()) {
                    var parsed = FHIR.newJsonParser().parseResource(field.getValue().toString());
                    if (parsed instanceof Bundle b) {
                        b.getEntry().forEach(e -> bundle.addEntry().setResource(e.getResource()));
                    } else {
                        bundle.addEntry().setResource((Resource) parsed);
                    }
                }
            });
            String patientId = request.get("context").get("patientId").asText();
            assertThat(bundle.getEntry()).hasSizeGreaterThan(250);
            assertSameAnswers(bundle, patientId);
            assertThat(new PatientRecords(FHIR, bundle).inContext("Patient", "subject", patientId, "Observation", MODEL))
                    .hasSize(238);
        }
    }

    @Test
    void onlyExactReferencesToThePatientAreInItsCompartment() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        add(bundle, new Patient(), "p1");
        add(bundle, new Patient(), "p2");
        add(bundle, new Observation().setSubject(new Reference("Patient/p1")), "mine");
        add(bundle, new Observation().setSubject(new Reference("Patient/p2")), "other-patient");
        add(bundle, new Observation().setSubject(new Reference("Group/p1")), "group");
        add(bundle, new Observation().setSubject(new Reference("http://ehr.example/fhir/Patient/p1")), "absolute");
        add(bundle, new Observation(), "no-subject");
        add(bundle, new Condition().setSubject(new Reference("Patient/p1")), "condition");
        add(bundle, new Immunization().setPatient(new Reference("Patient/p1")), "immunization");
        add(bundle, new Medication(), "m1");
        Bundle parsed = parsed(bundle);
        assertSameAnswers(parsed, "p1");

        var records = new PatientRecords(FHIR, parsed);
        assertThat(ids(records.inContext("Patient", "subject", "p1", "Observation", MODEL)))
                .containsExactly("Observation/mine");
        assertThat(ids(records.inContext("Patient", "id", "p1", "Patient", MODEL))).containsExactly("Patient/p1");
        assertThat(ids(records.inContext("Patient", null, "p1", "Medication", MODEL))).containsExactly("Medication/m1");
        assertThat(records.read("Medication", "m1")).isNotNull();
        assertThat(records.read("Medication", "m2")).isNull();
    }

    static void add(Bundle bundle, Resource resource, String id) {
        resource.setId(resource.fhirType() + "/" + id);
        bundle.addEntry().setResource(resource);
    }
}
