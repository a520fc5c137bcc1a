package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Refuses data in another FHIR version than R4 (4.0.x) with a 400 that says so, instead of a parser error or, worse,
 * silently dropped elements: a resource type that R4 does not have (DSTU2 {@code MedicationOrder}, STU3
 * {@code ProcedureRequest} …) or a {@code meta.fhirVersion} that is not 4.0.x, in any resource of the JSON: the
 * resource itself and those nested in it (bundle entries and their outcomes, contained resources, Parameters). Unknown
 * elements are otherwise tolerated, as real clients send extras.
 */
public final class FhirVersionCheck {

    /** Where the non-R4 types people actually meet come from, to make the message useful. */
    private static final Map<String, String> KNOWN_ELSEWHERE = Map.ofEntries(
            Map.entry("MedicationOrder", "FHIR DSTU2; R4 uses MedicationRequest"),
            Map.entry("DiagnosticOrder", "FHIR DSTU2; R4 uses ServiceRequest"),
            Map.entry("DeviceUseRequest", "FHIR DSTU2; R4 uses DeviceRequest"),
            Map.entry("DeviceUseStatement", "FHIR DSTU2/STU3"),
            Map.entry("ProcedureRequest", "FHIR STU3; R4 uses ServiceRequest"),
            Map.entry("ReferralRequest", "FHIR STU3; R4 uses ServiceRequest"),
            Map.entry("NutritionRequest", "FHIR DSTU2; R4 uses NutritionOrder"),
            Map.entry("Order", "FHIR DSTU2"),
            Map.entry("MedicationUsage", "FHIR R5; R4 uses MedicationStatement"));

    /**
     * The elements through which a resource holds other resources (Bundle.entry.resource, .response.outcome,
     * DomainResource.contained, Parameters.parameter.resource and .part), in R4 as in DSTU2/STU3/R5. Only these are
     * walked: the rest of a resource (codings, values, narrative) cannot hold one, and walking all of a 300-resource
     * prefetch cost a tenth of its parse time.
     */
    private static final Set<String> HOLDING_RESOURCES =
            Set.of("entry", "resource", "response", "outcome", "contained", "parameter", "part");

    private final Set<String> r4Types;

    public FhirVersionCheck(FhirContext fhirContext) {
        this.r4Types = Set.copyOf(fhirContext.getResourceTypes());
    }

    /** Throws a 400 {@link HookException} naming {@code what} when the JSON holds non-R4 FHIR. */
    public void requireR4(JsonNode json, String what) {
        String problem = problemIn(json);
        if (problem != null) {
            throw HookException.badRequest(what + " is not FHIR R4: " + problem
                    + ". This service reads FHIR R4 (4.0.x) only.");
        }
    }

    private String problemIn(JsonNode node) {
        if (node.isObject()) {
            JsonNode type = node.get("resourceType");
            if (type != null && type.isTextual() && !r4Types.contains(type.asText())) {
                String origin = KNOWN_ELSEWHERE.get(type.asText());
                return "it contains a '" + type.asText() + "', which is not an R4 resource type"
                        + (origin == null ? "" : " (" + origin + ")");
            }
            JsonNode meta = node.get("meta");
            if (type != null && meta != null && meta.isObject()) {
                JsonNode version = meta.get("fhirVersion");
                if (version != null && !version.isNull() && !version.asText().startsWith("4.0")) {
                    return "its " + type.asText() + " declares meta.fhirVersion " + version.asText();
                }
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                String problem = problemIn(element);
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                if (field.getValue().isContainerNode() && HOLDING_RESOURCES.contains(field.getKey())) {
                    String problem = problemIn(field.getValue());
                    if (problem != null) {
                        return problem;
                    }
                }
            }
        }
        return null;
    }
}
