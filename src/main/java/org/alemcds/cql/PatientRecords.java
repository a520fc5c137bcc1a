package org.alemcds.cql;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.BundleUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.opencds.cqf.cql.engine.model.ModelResolver;

/**
 * One patient's resources for an evaluation, by type, and the patient-compartment retrieve the CQL engine asks for
 * ({@code [Observation]} in the Patient context: the Observations whose {@code subject} is {@code Patient/<id>}).
 *
 * <p>It answers as the in-memory repository's search did ({@code InMemoryFhirRepository} with the engine's
 * {@code RepositoryRetrieveProvider}): the context element must hold the reference {@code <Context>/<id>} exactly, the
 * Patient itself is found by id, and resources come in the same order. That search resolved search parameters,
 * compiled FHIRPath and built a Bundle for every retrieve; here it is one pass over the type's resources.
 */
final class PatientRecords {

    private final Map<String, List<IBaseResource>> byType;
    private final Map<String, IBaseResource> byTypeAndId = new HashMap<>();

    PatientRecords(FhirContext fhirContext, IBaseBundle bundle) {
        // Grouped exactly as the repository grouped them, so that each type iterates in the order it did.
        Map<String, Map<IIdType, IBaseResource>> grouped = BundleUtil.toListOfResources(fhirContext, bundle).stream()
                .collect(Collectors.groupingBy(
                        IBaseResource::fhirType,
                        Collectors.toMap(r -> r.getIdElement().toUnqualifiedVersionless(), Function.identity())));
        this.byType = new HashMap<>();
        grouped.forEach((type, resources) -> {
            byType.put(type, List.copyOf(resources.values()));
            resources.forEach((id, resource) -> byTypeAndId.put(type + "/" + id.getIdPart(), resource));
        });
    }

    /** The resource of this type and id, or null. */
    IBaseResource read(String type, String id) {
        return byTypeAndId.get(type + "/" + id);
    }

    /**
     * The resources of {@code dataType} in the context: those whose {@code contextPath} element references
     * {@code <context>/<contextValue>}, or for the path {@code id} the one with that id; all of them without a context.
     */
    List<IBaseResource> inContext(String context, String contextPath, Object contextValue, String dataType,
            ModelResolver modelResolver) {
        List<IBaseResource> ofType = byType.getOrDefault(dataType, List.of());
        if (contextPath == null || contextPath.isEmpty() || contextValue == null) {
            return ofType;
        }
        String id = contextValue.toString();
        if (contextPath.equals("id")) {
            IBaseResource resource = read(dataType, id);
            return resource == null ? List.of() : List.of(resource);
        }
        String reference = context == null || context.isBlank() ? id : context + "/" + id;
        return ofType.stream()
                .filter(r -> references(modelResolver.resolvePath(r, contextPath), reference))
                .toList();
    }

    private static boolean references(Object value, String reference) {
        if (value instanceof Iterable<?> values) {
            for (Object each : values) {
                if (references(each, reference)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof IBaseReference ref) {
            IIdType element = ref.getReferenceElement();
            if (element != null && element.getValue() != null && !element.getValue().isEmpty()) {
                return element.getValue().equals(reference);
            }
            return ref.getResource() != null && reference.equals(ref.getResource().getIdElement().getValue());
        }
        return false;
    }
}
