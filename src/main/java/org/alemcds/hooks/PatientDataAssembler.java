package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds one patient's data for a hook call: the prefetch resources under any key, the context's draft orders,
 * and, when asked to, the prefetch queries the client left out, fetched from its FHIR server. Resources are
 * de-duplicated by type and id (the same resource often comes under two prefetch keys).
 */
public class PatientDataAssembler {

    private final FhirContext fhirContext;
    private final FhirServerFetcher fetcher;
    private final FhirVersionCheck versionCheck;

    public PatientDataAssembler(FhirContext fhirContext, FhirServerFetcher fetcher) {
        this.fhirContext = fhirContext;
        this.fetcher = fetcher;
        this.versionCheck = new FhirVersionCheck(fhirContext);
    }

    private IParser parser() {
        // Lenient about unknown elements (real clients send extras); a parser per call: HAPI parsers are not shared.
        return fhirContext.newJsonParser();
    }

    /**
     * The data the client sent: prefetch values and draft orders, without any fetch. Per CDS Hooks §Prefetch a key
     * the client left out or answered with an OperationOutcome is missing; a key whose value is {@code null} was
     * satisfied and has no data; a search bundle with a {@code next} link is missing its further pages. Values under
     * keys this service did not ask for are used when they are FHIR resources and otherwise ignored.
     */
    public PatientData atHand(HookRequest request, Map<String, String> prefetchTemplates) {
        Map<String, Resource> resources = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>(prefetchTemplates.keySet());
        Map<String, String> nextPages = new LinkedHashMap<>();
        if (request.prefetch() != null) {
            var fields = request.prefetch().fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String key = field.getKey();
                JsonNode value = field.getValue();
                boolean ours = prefetchTemplates.containsKey(key);
                if (value == null || value.isNull()) {
                    missing.remove(key); // the client has no data for this query
                    continue;
                }
                if (!value.isObject()) {
                    if (ours) {
                        throw HookException.badRequest("Prefetch key '" + key + "' is not a FHIR resource.");
                    }
                    continue;
                }
                IBaseResource parsed = parse(value, "Prefetch key '" + key + "'");
                if (isFailure(parsed)) {
                    continue; // the client could not run this query: fetch it ourselves
                }
                missing.remove(key);
                if (ours && parsed instanceof Bundle bundle && hasNext(bundle)) {
                    missing.add(key);
                    nextPages.put(key, bundle.getLink(Bundle.LINK_NEXT).getUrl());
                }
                addAll(resources, parsed);
            }
        }
        List<String> drafts = new ArrayList<>();
        JsonNode draftOrders = request.context().get("draftOrders");
        if (draftOrders != null && !draftOrders.isNull()) {
            if (!draftOrders.isObject()) {
                throw HookException.badRequest("'context.draftOrders' must be a FHIR Bundle.");
            }
            // a Bundle per the hook definitions; some clients send the single order as a bare resource
            IBaseResource parsed = parse(draftOrders, "'context.draftOrders'");
            for (Resource draft : resourcesOf(parsed)) {
                Resource added = add(resources, draft);
                drafts.add(added.getIdElement().getIdPart());
            }
        }
        List<String> decided = decidedOrderIds(request, drafts);
        return build(request.patientId(), resources, decided, missing, nextPages);
    }

    /**
     * The data at hand completed from the client's FHIR server: the missing prefetch queries, and the further pages
     * of paginated prefetch bundles. Only the missing keys are fetched.
     */
    public PatientData complete(HookRequest request, PatientData atHand, Map<String, String> prefetchTemplates) {
        if (atHand.missingPrefetchKeys().isEmpty()) {
            return atHand;
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (String key : atHand.missingPrefetchKeys()) {
            String query = atHand.nextPages().containsKey(key)
                    ? atHand.nextPages().get(key)
                    : FhirTemplates.resolve(prefetchTemplates.get(key), request.context());
            if (query != null) {
                queries.put(key, query); // null: a token without a value in this context (e.g. no encounterId)
            }
        }
        if (queries.isEmpty()) {
            return build(atHand.patientId(), resourcesOf(atHand), atHand.decidedOrderIds(), Set.of(), Map.of());
        }
        if (request.fhirServer() == null) {
            throw HookException.dataUnavailable("Prefetch data is missing (" + String.join(", ", queries.keySet())
                    + ") and the request names no fhirServer to fetch it from.");
        }
        Map<String, Resource> resources = resourcesOf(atHand);
        for (IBaseResource fetched : fetcher.fetch(request.fhirServer(), request.accessToken(), queries)) {
            addAll(resources, fetched);
        }
        return build(atHand.patientId(), resources, atHand.decidedOrderIds(), Set.of(), Map.of());
    }

    private static Map<String, Resource> resourcesOf(PatientData data) {
        Map<String, Resource> resources = new LinkedHashMap<>();
        data.bundle().getEntry().forEach(e -> resources.put(key(e.getResource()), e.getResource()));
        return resources;
    }

    /** An OperationOutcome instead of data, or a bundle holding only error outcomes. */
    private static boolean isFailure(IBaseResource parsed) {
        if (parsed instanceof OperationOutcome) {
            return true;
        }
        if (parsed instanceof Bundle bundle && !bundle.getEntry().isEmpty()) {
            return bundle.getEntry().stream().allMatch(e -> e.getResource() instanceof OperationOutcome outcome
                    && outcome.getIssue().stream().anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                            || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL));
        }
        return false;
    }

    private static boolean hasNext(Bundle bundle) {
        var next = bundle.getLink(Bundle.LINK_NEXT);
        return next != null && next.getUrl() != null && !next.getUrl().isBlank();
    }

    private List<String> decidedOrderIds(HookRequest request, List<String> drafts) {
        if (!"order-select".equals(request.hook())) {
            return drafts;
        }
        JsonNode selections = request.context().get("selections");
        if (selections == null || !selections.isArray()) {
            throw HookException.badRequest("'context.selections' is required on order-select and must be an array.");
        }
        List<String> decided = new ArrayList<>();
        for (JsonNode selection : selections) {
            if (!selection.isTextual()) {
                throw HookException.badRequest("'context.selections' must contain strings.");
            }
            String text = selection.asText();
            decided.add(text.substring(text.lastIndexOf('/') + 1));
        }
        return decided;
    }

    private IBaseResource parse(JsonNode json, String what) {
        versionCheck.requireR4(json, what);
        try {
            return parser().parseResource(json.toString());
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw HookException.badRequest(what + " is not a valid FHIR R4 resource: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static List<Resource> resourcesOf(IBaseResource parsed) {
        List<Resource> list = new ArrayList<>();
        if (parsed instanceof Bundle bundle) {
            for (var entry : bundle.getEntry()) {
                if (entry.getResource() != null && !(entry.getResource() instanceof OperationOutcome)) {
                    list.add(entry.getResource());
                }
            }
        } else if (parsed instanceof Resource resource) {
            list.add(resource);
        }
        return list;
    }

    private static void addAll(Map<String, Resource> resources, IBaseResource parsed) {
        for (Resource resource : resourcesOf(parsed)) {
            add(resources, resource);
        }
    }

    private static Resource add(Map<String, Resource> resources, Resource resource) {
        String type = resource.fhirType();
        String idPart = resource.getIdElement().getIdPart();
        if (idPart == null || idPart.isBlank()) {
            idPart = UUID.randomUUID().toString();
        }
        resource.setIdElement(new IdType(type, idPart));
        resources.putIfAbsent(type + "/" + idPart, resource);
        return resource;
    }

    private static String key(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private static PatientData build(String patientId, Map<String, Resource> resources, List<String> decided,
            Set<String> missing, Map<String, String> nextPages) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        boolean hasPatient = false;
        for (Resource resource : resources.values()) {
            bundle.addEntry().setResource(resource);
            hasPatient |= resource.fhirType().equals("Patient") && patientId.equals(resource.getIdElement().getIdPart());
        }
        return new PatientData(patientId, bundle, List.copyOf(decided),
                Collections.unmodifiableSet(new LinkedHashSet<>(missing)), Map.copyOf(nextPages), hasPatient);
    }
}
