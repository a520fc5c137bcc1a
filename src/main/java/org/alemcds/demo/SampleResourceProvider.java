package org.alemcds.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Read and search, nothing else, over one resource type of the sample patients: by id, and by the patient a resource
 * is about ({@code patient} or {@code subject}, as the service's prefetch templates ask). {@code _include} is accepted
 * and has nothing to add (medications are coded in the samples).
 */
final class SampleResourceProvider implements IResourceProvider {

    private static final List<String> PATIENT_ELEMENTS = List.of("subject", "patient");

    private final Class<? extends IBaseResource> type;
    private final Map<String, IBaseResource> byId;
    private final FhirContext fhirContext;

    SampleResourceProvider(Class<? extends IBaseResource> type, Map<String, IBaseResource> byId, FhirContext fhirContext) {
        this.type = type;
        this.byId = Map.copyOf(byId);
        this.fhirContext = fhirContext;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return type;
    }

    @Read
    public IBaseResource read(@IdParam IIdType id) {
        IBaseResource resource = byId.get(id.getIdPart());
        if (resource == null) {
            throw new ResourceNotFoundException(id);
        }
        return resource;
    }

    @Search(allowUnknownParams = false)
    public List<IBaseResource> search(
            @OptionalParam(name = "_id") TokenParam id,
            @OptionalParam(name = "patient") ReferenceParam patient,
            @OptionalParam(name = "subject") ReferenceParam subject,
            @IncludeParam(allow = "*") Set<Include> includes) {
        String patientId = patient != null ? patient.getIdPart() : subject != null ? subject.getIdPart() : null;
        List<IBaseResource> found = new ArrayList<>();
        for (IBaseResource resource : byId.values()) {
            if (id != null && !id.getValue().equals(resource.getIdElement().getIdPart())) {
                continue;
            }
            if (patientId != null && !isAbout(resource, patientId)) {
                continue;
            }
            found.add(resource);
        }
        return found;
    }

    private boolean isAbout(IBaseResource resource, String patientId) {
        if (resource.fhirType().equals("Patient")) {
            return resource.getIdElement().getIdPart().equals(patientId);
        }
        var definition = fhirContext.getResourceDefinition(resource);
        for (String element : PATIENT_ELEMENTS) {
            var child = definition.getChildByName(element);
            if (child == null) {
                continue;
            }
            for (var value : child.getAccessor().getValues(resource)) {
                if (value instanceof IBaseReference reference && reference.getReferenceElement() != null
                        && "Patient".equals(reference.getReferenceElement().getResourceType())
                        && patientId.equals(reference.getReferenceElement().getIdPart())) {
                    return true;
                }
            }
        }
        return false;
    }
}
