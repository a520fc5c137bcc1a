package org.alemcds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.cql.DataRequirements;
import org.alemcds.cql.ValueSetIndex;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * Which resources of a request a service's rules read, decided on the request's JSON before HAPI parses anything: a
 * resource type no retrieve reads is skipped; a type read only by coded retrieves ({@code [DiagnosticReport: "MRI
 * Neuraxis"]}) keeps the resources whose code is in one of their value sets, by the same terminology test the
 * retrieve applies ({@link ValueSetIndex}: codes, and listed names in displays and texts). The rules read from the
 * parsed resources exactly what they read before; HAPI only parses fewer of them.
 *
 * <p>When in doubt a resource is kept: an element of an unexpected JSON shape, a code with surrounding blanks, a
 * medication by reference. A kept resource that is not valid FHIR is then refused (400) by the parser as before; a
 * skipped one never is, whatever it holds.
 */
public final class ReadFilter {

    /** Keeps everything: every resource is parsed. */
    public static final ReadFilter EVERYTHING = new ReadFilter(null, null);

    private final DataRequirements requirements;
    private final ValueSetIndex terminology;

    public ReadFilter(DataRequirements requirements, ValueSetIndex terminology) {
        this.requirements = requirements;
        this.terminology = terminology;
    }

    /** The count of resources a {@link #retain} call left out. */
    static final class Skipped {
        int count;
    }

    /**
     * The JSON to parse: the resource itself when a rule reads it, else null; for a Bundle a shallow copy whose entries
     * are those with a resource some rule reads (the request's tree is not changed).
     */
    ObjectNode retain(ObjectNode json, Skipped skipped) {
        if (requirements == null) {
            return json;
        }
        if ("Bundle".equals(json.path("resourceType").asText(null)) && json.get("entry") instanceof ArrayNode entries) {
            ArrayNode kept = entries.arrayNode(entries.size());
            for (JsonNode entry : entries) {
                if (entry.get("resource") instanceof ObjectNode resource && !reads(resource)) {
                    skipped.count++;
                } else {
                    kept.add(entry);
                }
            }
            if (kept.size() == entries.size()) {
                return json;
            }
            ObjectNode copy = json.objectNode();
            json.fields().forEachRemaining(f -> copy.set(f.getKey(), f.getKey().equals("entry") ? kept : f.getValue()));
            return copy;
        }
        if (reads(json)) {
            return json;
        }
        skipped.count++;
        return null;
    }

    /** Whether some retrieve of the rules may return this resource. */
    boolean reads(ObjectNode resource) {
        if (requirements == null) {
            return true;
        }
        JsonNode typeNode = resource.get("resourceType");
        if (typeNode == null || !typeNode.isTextual()) {
            return true; // not a resource: the parser says what is wrong with it
        }
        String type = typeNode.asText();
        if (type.equals("Bundle") || type.equals("OperationOutcome") || type.equals("Patient")) {
            return true; // what holds the data, a client's report that it has none, and the patient of the context
        }
        DataRequirements.TypeRequirement requirement = requirements.of(type);
        if (requirement == null) {
            return false;
        }
        if (requirement.everything()) {
            return true;
        }
        for (String path : requirement.codePaths()) {
            if (codeMayMatch(resource, path, requirement)) {
                return true;
            }
        }
        return false;
    }

    private boolean codeMayMatch(ObjectNode resource, String path, DataRequirements.TypeRequirement requirement) {
        if (path == null) {
            return true;
        }
        int dot = path.indexOf('.');
        if (dot >= 0) { // e.g. component.code: the code of any component
            JsonNode outer = resource.get(path.substring(0, dot));
            if (outer == null) {
                return false;
            }
            for (JsonNode each : outer.isArray() ? outer : java.util.List.of(outer)) {
                if (!(each instanceof ObjectNode element) || codeMayMatch(element, path.substring(dot + 1), requirement)) {
                    return true; // unexpected shape (the parser judges it) or a match
                }
            }
            return false;
        }
        var fields = resource.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String name = field.getKey();
            // the element itself, or a choice type's variant (medication → medicationCodeableConcept / …Reference)
            boolean element = name.equals(path)
                    || (name.startsWith(path) && name.length() > path.length()
                            && Character.isUpperCase(name.charAt(path.length())));
            if (!element) {
                continue;
            }
            if (name.endsWith("Reference")) {
                return true; // the code is on the referenced resource
            }
            JsonNode value = field.getValue();
            for (JsonNode concept : value.isArray() ? value : java.util.List.of(value)) {
                CodeableConcept parsed = conceptOf(concept);
                if (parsed == null || matches(parsed, requirement)) {
                    return true; // unexpected shape (the parser judges it) or a match
                }
            }
        }
        return false;
    }

    private boolean matches(CodeableConcept concept, DataRequirements.TypeRequirement requirement) {
        ValueSetIndex.Terms terms = ValueSetIndex.Terms.of(concept);
        for (String url : requirement.valueSets()) {
            if (terminology.in(terms, new ValueSetInfo().withId(url))) {
                return true;
            }
        }
        for (String wanted : requirement.codes()) {
            String code = wanted.substring(wanted.indexOf('|') + 1);
            for (String key : terms.keys()) {
                if (wanted.startsWith("null|") ? key.endsWith("|" + code) : key.equals(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A CodeableConcept (or a Coding, as a concept of one coding) with the fields the terminology test reads, built
     * from its JSON without parsing the resource; null when the JSON has a shape the parser may read differently.
     */
    private static CodeableConcept conceptOf(JsonNode json) {
        if (!(json instanceof ObjectNode object)) {
            return null;
        }
        CodeableConcept concept = new CodeableConcept();
        if (object.has("system") || object.has("code") || object.has("display")) {
            Coding coding = codingOf(object);
            return coding == null ? null : concept.addCoding(coding);
        }
        JsonNode codings = object.get("coding");
        if (codings != null) {
            if (!codings.isArray()) {
                return null;
            }
            for (JsonNode each : codings) {
                Coding coding = each instanceof ObjectNode c ? codingOf(c) : null;
                if (coding == null) {
                    return null;
                }
                concept.addCoding(coding);
            }
        }
        JsonNode text = object.get("text");
        if (text != null) {
            if (!isPlainText(text)) {
                return null;
            }
            concept.setText(text.asText());
        }
        return concept;
    }

    private static Coding codingOf(ObjectNode json) {
        JsonNode system = json.get("system");
        JsonNode code = json.get("code");
        JsonNode display = json.get("display");
        if ((system != null && !isPlainText(system)) || (code != null && !isPlainText(code))
                || (display != null && !isPlainText(display))) {
            return null;
        }
        return new Coding(system == null ? null : system.asText(), code == null ? null : code.asText(),
                display == null ? null : display.asText());
    }

    /** A JSON string the parser takes as it is (no surrounding blanks it might trim, not empty). */
    private static boolean isPlainText(JsonNode node) {
        if (!node.isTextual()) {
            return false;
        }
        String text = node.asText();
        return !text.isEmpty() && text.equals(text.strip());
    }
}
