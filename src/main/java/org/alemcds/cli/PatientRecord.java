package org.alemcds.cli;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alemcds.hooks.FhirVersionCheck;
import org.alemcds.hooks.HookException;

/**
 * One patient's record read from a FHIR R4 Bundle (collection, searchset, transaction, batch …) or NDJSON (one resource
 * per line), as a collection Bundle JSON tree with {@code urn:uuid:} references rewritten to {@code Type/id} (as a FHIR
 * server's search results carry them). Exactly one Patient is required.
 *
 * @param bundle a collection Bundle of the record's resources
 * @param patientId the id of its one Patient
 */
public record PatientRecord(ObjectNode bundle, String patientId) {

    /** The record cannot be used; the message is one line, fit for a user. */
    public static final class Unusable extends RuntimeException {
        public Unusable(String message) {
            super(message);
        }
    }

    // Jackson's source snippets stay out of messages: they can hold patient data.
    private static final ObjectReader READER = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build()
            .reader()
            .with(JsonNodeFactory.withExactBigDecimals(true))
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Reads a Bundle or NDJSON; {@code name} names the input in messages. */
    public static PatientRecord read(InputStream in, String name, FhirContext fhirContext) throws IOException {
        byte[] bytes = in.readAllBytes();
        List<JsonNode> resources = new ArrayList<>();
        JsonNode single = null;
        try {
            single = READER.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
        } catch (IOException notOneDocument) {
            // NDJSON: one resource per line
            int lineNumber = 0;
            for (String line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\r?\n")) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    resources.add(READER.readTree(line));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new Unusable(name + " is neither a FHIR JSON Bundle nor NDJSON (line " + lineNumber + ": "
                            + firstLine(e.getOriginalMessage()) + ").");
                }
            }
        }
        if (single != null) {
            if (!single.isObject() || !single.has("resourceType")) {
                throw new Unusable(name + " is not a FHIR resource (no resourceType).");
            }
            if ("Bundle".equals(single.path("resourceType").asText())) {
                for (JsonNode entry : single.path("entry")) {
                    if (entry.hasNonNull("resource")) {
                        resources.add(entry.get("resource"));
                    }
                }
            } else {
                resources.add(single);
            }
        }
        return of(resources, name, fhirContext);
    }

    private static PatientRecord of(List<JsonNode> resources, String name, FhirContext fhirContext) {
        ObjectNode bundle = JsonNodeFactory.instance.objectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "collection");
        ArrayNode entries = bundle.putArray("entry");
        List<String> patients = new ArrayList<>();
        Map<String, String> uuidReferences = new HashMap<>();
        for (JsonNode resource : resources) {
            if (!resource.isObject() || !resource.path("resourceType").isTextual()) {
                throw new Unusable(name + " holds an entry that is not a FHIR resource (no resourceType).");
            }
            String type = resource.get("resourceType").asText();
            String id = resource.path("id").asText(null);
            if ("Patient".equals(type)) {
                patients.add(id);
            }
            if (id != null) {
                uuidReferences.put("urn:uuid:" + id, type + "/" + id);
            }
            entries.addObject().set("resource", resource);
        }
        try {
            new FhirVersionCheck(fhirContext).requireR4(bundle, name);
        } catch (HookException e) {
            throw new Unusable(e.getMessage());
        }
        if (patients.isEmpty()) {
            throw new Unusable(name + " has no Patient resource: the record of one patient is needed.");
        }
        if (patients.size() > 1) {
            throw new Unusable(name + " has " + patients.size() + " Patient resources: give the record of one patient.");
        }
        if (patients.get(0) == null || !patients.get(0).matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new Unusable(name + ": the Patient has no valid FHIR id.");
        }
        if (!uuidReferences.isEmpty()) {
            rewriteReferences(bundle, uuidReferences);
        }
        return new PatientRecord(bundle, patients.get(0));
    }

    private static final Set<String> REFERENCE_FIELD = Set.of("reference");

    private static void rewriteReferences(JsonNode node, Map<String, String> references) {
        if (node.isObject()) {
            var fields = ((ObjectNode) node).fields();
            while (fields.hasNext()) {
                var field = fields.next();
                JsonNode value = field.getValue();
                if (REFERENCE_FIELD.contains(field.getKey()) && value.isTextual() && references.containsKey(value.asText())) {
                    field.setValue(TextNode.valueOf(references.get(value.asText())));
                } else if (value.isContainerNode()) {
                    rewriteReferences(value, references);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> rewriteReferences(child, references));
        }
    }

    /** The resources of the record of one type. */
    public List<ObjectNode> resources(String type) {
        List<ObjectNode> found = new ArrayList<>();
        for (JsonNode entry : bundle.path("entry")) {
            if (type.equals(entry.path("resource").path("resourceType").asText())) {
                found.add((ObjectNode) entry.get("resource"));
            }
        }
        return found;
    }

    public int size() {
        return bundle.path("entry").size();
    }

    private static String firstLine(String message) {
        String line = message == null ? "unreadable" : message.lines().findFirst().orElse(message);
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
