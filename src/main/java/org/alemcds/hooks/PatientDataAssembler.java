package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Period;
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
    private final IntConsumer skippedResources;

    public PatientDataAssembler(FhirContext fhirContext, FhirServerFetcher fetcher) {
        this(fhirContext, fetcher, count -> {});
    }

    /** @param skippedResources told how many resources of each call no rule reads (not parsed, not checked) */
    public PatientDataAssembler(FhirContext fhirContext, FhirServerFetcher fetcher, IntConsumer skippedResources) {
        this.fhirContext = fhirContext;
        this.fetcher = fetcher;
        this.versionCheck = new FhirVersionCheck(fhirContext);
        this.skippedResources = skippedResources;
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
        return atHand(request, prefetchTemplates, ReadFilter.EVERYTHING);
    }

    /**
     * As {@link #atHand(HookRequest, Map)}, parsing only the prefetch resources {@code readFilter} says some rule
     * reads; the others are skipped (counted, never parsed, never an error). Draft orders are always parsed.
     */
    public PatientData atHand(HookRequest request, Map<String, String> prefetchTemplates, ReadFilter readFilter) {
        ReadFilter.Skipped skipped = new ReadFilter.Skipped();
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
                String what = "Prefetch key '" + key + "'";
                versionCheck.requireR4(value, what);
                ObjectNode read = readFilter.retain((ObjectNode) value, skipped);
                if (read == null) {
                    missing.remove(key); // answered, with nothing the rules read
                    continue;
                }
                IBaseResource parsed = parseChecked(read, what);
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
        if (skipped.count > 0) {
            skippedResources.accept(skipped.count);
        }
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
        return parseChecked(json, what);
    }

    /** Parses JSON that passed the version check; a 400 naming the first unreadable resource when it is not FHIR. */
    private IBaseResource parseChecked(JsonNode json, String what) {
        try {
            // From the request's JSON tree itself: no second serialisation and parse of the same text.
            return json instanceof ObjectNode object
                    ? JsonTreeParser.parse(fhirContext, object)
                    : parser().parseResource(json.toString());
        } catch (RuntimeException e) {
            // DataFormatException mostly; HAPI also fails with NullPointerException or IllegalStateException on some
            // malformed bundles (e.g. an entry whose "resource" is a string). Any of them means: not valid FHIR.
            // the parser's own message only when it describes the content; never an exception's class or text
            String reason = e instanceof DataFormatException ? e.getMessage() : "its structure is not FHIR JSON";
            String unreadable = json instanceof ObjectNode bundle ? firstUnreadableEntry(bundle) : null;
            throw HookException.badRequest(what + " is not a valid FHIR R4 resource: "
                    + (unreadable == null ? "" : unreadable + ": ") + firstLine(reason));
        }
    }

    /**
     * In a Bundle that failed to parse, the first entry whose resource fails on its own, named by position, type and
     * id ({@code entry 3, Observation/abc}); null when none does alone (or it is not a Bundle). Only on the error path.
     */
    private String firstUnreadableEntry(ObjectNode bundle) {
        if (!"Bundle".equals(bundle.path("resourceType").asText(null))) {
            return null;
        }
        int index = 0;
        for (JsonNode entry : bundle.path("entry")) {
            if (entry.get("resource") instanceof ObjectNode resource) {
                try {
                    JsonTreeParser.parse(fhirContext, resource);
                } catch (RuntimeException e) {
                    return "entry " + index + ", " + resource.path("resourceType").asText("?") + "/"
                            + resource.path("id").asText("?");
                }
            }
            index++;
        }
        return null;
    }

    /** Elements that link a resource to its patient; the CQL engine's Patient-context retrieve matches them. */
    private static final List<String> PATIENT_REFERENCE_ELEMENTS = List.of("subject", "patient");

    /**
     * Refuses a resource whose patient link is a Reference without a literal reference (only an identifier, a display
     * or extensions): the engine's patient-compartment search cannot match it and fails on it, which would be a 500.
     */
    private void requireLiteralPatientReference(Resource resource) {
        var definition = fhirContext.getResourceDefinition(resource);
        for (String name : PATIENT_REFERENCE_ELEMENTS) {
            var child = definition.getChildByName(name);
            if (child == null) {
                continue;
            }
            for (var value : child.getAccessor().getValues(resource)) {
                if (value instanceof IBaseReference reference
                        && (reference.getReferenceElement() == null || reference.getReferenceElement().getValue() == null
                                || reference.getReferenceElement().getValue().isEmpty())
                        && reference.getResource() == null) {
                    throw HookException.badRequest(resource.fhirType() + "/" + resource.getIdElement().getIdPart() + ": '"
                            + name + "' has no literal reference such as 'Patient/123'; a reference by identifier or display "
                            + "only cannot be attributed to the patient.");
                }
            }
        }
    }

    /**
     * The first Period in the data whose end is before its start (FHIR invariant per-1), described, or null. The CQL
     * engine cannot build an interval from such a Period; the service then answers 400 instead of failing.
     */
    public String invertedPeriod(PatientData data) {
        var terser = fhirContext.newTerser();
        for (var entry : data.bundle().getEntry()) {
            Resource resource = entry.getResource();
            for (Period period : terser.getAllPopulatedChildElementsOfType(resource, Period.class)) {
                if (isInverted(period)) {
                    return resource.fhirType() + "/" + resource.getIdElement().getIdPart() + " has a Period that ends ("
                            + period.getEndElement().getValueAsString() + ") before it starts ("
                            + period.getStartElement().getValueAsString() + "), against FHIR invariant per-1.";
                }
            }
        }
        return null;
    }

    static boolean isInverted(Period period) {
        DateTimeType start = period.getStartElement();
        DateTimeType end = period.getEndElement();
        if (start.getValue() == null || end.getValue() == null) {
            return false;
        }
        boolean timed = start.getPrecision().ordinal() >= TemporalPrecisionEnum.MINUTE.ordinal()
                && end.getPrecision().ordinal() >= TemporalPrecisionEnum.MINUTE.ordinal();
        if (timed) {
            return start.getValue().after(end.getValue());
        }
        // Compare at the coarser of the two precisions (FHIRPath comparison of partial dates).
        int common = Math.min(Math.min(start.getPrecision().ordinal(), end.getPrecision().ordinal()),
                TemporalPrecisionEnum.DAY.ordinal());
        int[] s = {start.getYear(), start.getMonth(), start.getDay()};
        int[] e = {end.getYear(), end.getMonth(), end.getDay()};
        for (int i = 0; i <= common; i++) {
            if (s[i] != e[i]) {
                return s[i] > e[i];
            }
        }
        return false;
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

    private PatientData build(String patientId, Map<String, Resource> resources, List<String> decided,
            Set<String> missing, Map<String, String> nextPages) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        boolean hasPatient = false;
        for (Resource resource : resources.values()) {
            requireLiteralPatientReference(resource);
            bundle.addEntry().setResource(resource);
            hasPatient |= resource.fhirType().equals("Patient") && patientId.equals(resource.getIdElement().getIdPart());
        }
        return new PatientData(patientId, bundle, List.copyOf(decided),
                Collections.unmodifiableSet(new LinkedHashSet<>(missing)), Map.copyOf(nextPages), hasPatient);
    }
}
