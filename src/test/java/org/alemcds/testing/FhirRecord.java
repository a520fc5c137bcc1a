package org.alemcds.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A patient record for tests, written as FHIR R4 JSON the way an EHR sends it. Each add method returns the
 * resource's JSON node so a test can change any element (status, dates, units, references).
 */
public final class FhirRecord {

    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String PATIENT_ID = "pat-1";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<ObjectNode> resources = new ArrayList<>();
    private final List<ObjectNode> drafts = new ArrayList<>();
    private final ObjectNode patient;
    private String patientId = PATIENT_ID;
    private int next = 1;

    private FhirRecord(String gender, String birthDate) {
        patient = MAPPER.createObjectNode();
        patient.put("resourceType", "Patient").put("id", PATIENT_ID).put("gender", gender).put("birthDate", birthDate);
        resources.add(patient);
    }

    public static FhirRecord female(String birthDate) {
        return new FhirRecord("female", birthDate);
    }

    public static FhirRecord male(String birthDate) {
        return new FhirRecord("male", birthDate);
    }

    public ObjectNode patient() {
        return patient;
    }

    /** Gives the patient another id (before anything else is added), for exports holding several patients. */
    public FhirRecord withPatientId(String id) {
        if (resources.size() > 1 || !drafts.isEmpty()) {
            throw new IllegalStateException("Set the patient id before adding resources");
        }
        patientId = id;
        patient.put("id", id);
        return this;
    }

    public String patientId() {
        return patientId;
    }

    /** Every resource of the record (the Patient first), without draft orders. */
    public List<ObjectNode> resources() {
        return List.copyOf(resources);
    }

    private ObjectNode resource(String type) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("resourceType", type).put("id", type.toLowerCase() + "-" + next++);
        return node;
    }

    private ObjectNode subject(ObjectNode node, String field) {
        node.putObject(field).put("reference", "Patient/" + patientId);
        return node;
    }

    public static ObjectNode concept(String system, String code, String display) {
        ObjectNode concept = MAPPER.createObjectNode();
        ObjectNode coding = concept.putArray("coding").addObject();
        coding.put("system", system).put("code", code);
        if (display != null) {
            coding.put("display", display);
        }
        return concept;
    }

    public static ObjectNode text(String text) {
        return MAPPER.createObjectNode().put("text", text);
    }

    private static ObjectNode status(String system, String code) {
        return concept("http://terminology.hl7.org/CodeSystem/" + system, code, null);
    }

    /** An active, confirmed condition (SNOMED CT) with an onset date. */
    public ObjectNode condition(String snomed, String display, String onset) {
        ObjectNode c = subject(resource("Condition"), "subject");
        c.set("clinicalStatus", status("condition-clinical", "active"));
        c.set("verificationStatus", status("condition-ver-status", "confirmed"));
        c.set("code", concept(SNOMED, snomed, display));
        if (onset != null) {
            c.put("onsetDateTime", onset);
        }
        resources.add(c);
        return c;
    }

    public static ObjectNode clinicalStatus(ObjectNode condition, String code) {
        condition.set("clinicalStatus", status("condition-clinical", code));
        return condition;
    }

    public static ObjectNode verificationStatus(ObjectNode condition, String code) {
        condition.set("verificationStatus", status("condition-ver-status", code));
        return condition;
    }

    /** A final quantitative result. */
    public ObjectNode observation(String loinc, double value, String unit, String date) {
        ObjectNode o = subject(resource("Observation"), "subject");
        o.put("status", "final");
        o.set("code", concept(LOINC, loinc, null));
        o.put("effectiveDateTime", date);
        ObjectNode q = o.putObject("valueQuantity").put("value", value);
        if (unit != null) {
            q.put("unit", unit).put("system", "http://unitsofmeasure.org").put("code", unit);
        }
        resources.add(o);
        return o;
    }

    /** A final qualitative result whose value is a text such as "positive" or "negative". */
    public ObjectNode observation(String loinc, String result, String date) {
        ObjectNode o = subject(resource("Observation"), "subject");
        o.put("status", "final");
        o.set("code", concept(LOINC, loinc, null));
        o.put("effectiveDateTime", date);
        o.set("valueCodeableConcept", text(result));
        resources.add(o);
        return o;
    }

    /** A completed administration of a drug given by its concept (see {@link #rxnorm} and {@link #text}). */
    public ObjectNode administration(ObjectNode medication, String date) {
        ObjectNode a = subject(resource("MedicationAdministration"), "subject");
        a.put("status", "completed");
        a.set("medicationCodeableConcept", medication);
        a.put("effectiveDateTime", date);
        resources.add(a);
        return a;
    }

    public ObjectNode statement(ObjectNode medication, String status, String start, String end) {
        ObjectNode s = subject(resource("MedicationStatement"), "subject");
        s.put("status", status);
        s.set("medicationCodeableConcept", medication);
        ObjectNode period = s.putObject("effectivePeriod");
        if (start != null) {
            period.put("start", start);
        }
        if (end != null) {
            period.put("end", end);
        }
        resources.add(s);
        return s;
    }

    public ObjectNode request(ObjectNode medication, String status, String authoredOn) {
        ObjectNode r = subject(resource("MedicationRequest"), "subject");
        r.put("status", status).put("intent", "order");
        r.set("medicationCodeableConcept", medication);
        if (authoredOn != null) {
            r.put("authoredOn", authoredOn);
        }
        resources.add(r);
        return r;
    }

    public ObjectNode allergy(ObjectNode code) {
        ObjectNode a = subject(resource("AllergyIntolerance"), "patient");
        a.set("clinicalStatus", status("allergyintolerance-clinical", "active"));
        a.set("verificationStatus", status("allergyintolerance-verification", "confirmed"));
        a.set("code", code);
        resources.add(a);
        return a;
    }

    /** An active, confirmed allergy to alemtuzumab (SNOMED 129472003). */
    public ObjectNode alemtuzumabAllergy() {
        return allergy(concept(SNOMED, "129472003", "Alemtuzumab (substance)"));
    }

    /** Adds a reaction to an AllergyIntolerance: its manifestations by text, its severity and onset when given. */
    public static ObjectNode addReaction(ObjectNode allergy, String severity, String onset, String... manifestations) {
        ArrayNode reactions = allergy.has("reaction") ? (ArrayNode) allergy.get("reaction") : allergy.putArray("reaction");
        ObjectNode reaction = reactions.addObject();
        ArrayNode list = reaction.putArray("manifestation");
        for (String manifestation : manifestations) {
            list.add(text(manifestation));
        }
        if (severity != null) {
            reaction.put("severity", severity);
        }
        if (onset != null) {
            reaction.put("onset", onset);
        }
        return reaction;
    }

    public ObjectNode add(ObjectNode resource) {
        if (!resource.has("id")) {
            resource.put("id", resource.get("resourceType").asText().toLowerCase() + "-" + next++);
        }
        resources.add(resource);
        return resource;
    }

    public static ObjectNode rxnorm(String code, String display) {
        return concept(RXNORM, code, display);
    }

    /** A draft alemtuzumab order (12 mg IV daily) whose course starts on startDate, for the given number of days. */
    public ObjectNode draftAlemtuzumab(String startDate, int days) {
        ObjectNode r = subject(resource("MedicationRequest"), "subject");
        r.put("status", "draft").put("intent", "order");
        r.set("medicationCodeableConcept", rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"));
        ObjectNode dosage = r.putArray("dosageInstruction").addObject();
        ObjectNode repeat = dosage.putObject("timing").putObject("repeat");
        repeat.putObject("boundsPeriod").put("start", startDate);
        repeat.put("count", days).put("frequency", 1).put("period", 1).put("periodUnit", "d");
        dosage.putObject("route").set("coding", MAPPER.createArrayNode()
                .add(MAPPER.createObjectNode().put("system", SNOMED).put("code", "47625008").put("display", "Intravenous route")));
        dosage.putArray("doseAndRate").addObject().putObject("doseQuantity")
                .put("value", 12).put("unit", "mg").put("system", "http://unitsofmeasure.org").put("code", "mg");
        drafts.add(r);
        return r;
    }

    public ObjectNode draft(ObjectNode resource) {
        drafts.add(resource);
        return resource;
    }

    public List<ObjectNode> drafts() {
        return drafts;
    }

    /** The record (without draft orders) as a collection Bundle. */
    public ObjectNode recordBundle() {
        return bundle(resources);
    }

    public ObjectNode draftOrdersBundle() {
        return bundle(drafts);
    }

    private static ObjectNode bundle(List<ObjectNode> entries) {
        ObjectNode bundle = MAPPER.createObjectNode();
        bundle.put("resourceType", "Bundle").put("type", "collection");
        ArrayNode array = bundle.putArray("entry");
        for (ObjectNode resource : entries) {
            array.addObject().set("resource", resource.deepCopy());
        }
        return bundle;
    }

    /** A CDS Hooks request carrying this record as prefetch (one key per resource type, as an EHR would). */
    public ObjectNode hookRequest(String hook) {
        ObjectNode request = MAPPER.createObjectNode();
        request.put("hook", hook).put("hookInstance", java.util.UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/prac-1").put("patientId", patientId);
        if (!hook.equals("patient-view")) {
            context.set("draftOrders", draftOrdersBundle());
            if (hook.equals("order-select")) {
                ArrayNode selections = context.putArray("selections");
                drafts.forEach(d -> selections.add(d.get("resourceType").asText() + "/" + d.get("id").asText()));
            }
        }
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.set("patient", patient.deepCopy());
        for (String[] key : PREFETCH_KEYS) {
            List<ObjectNode> ofType = resources.stream().filter(r -> r.get("resourceType").asText().equals(key[1])).toList();
            prefetch.set(key[0], bundle(ofType));
        }
        return request;
    }

    static final String[][] PREFETCH_KEYS = {
        {"conditions", "Condition"}, {"observations", "Observation"}, {"medicationRequests", "MedicationRequest"},
        {"medicationStatements", "MedicationStatement"}, {"medicationAdministrations", "MedicationAdministration"},
        {"medicationDispenses", "MedicationDispense"}, {"allergies", "AllergyIntolerance"}, {"procedures", "Procedure"},
        {"immunizations", "Immunization"}, {"diagnosticReports", "DiagnosticReport"}, {"imagingStudies", "ImagingStudy"},
        {"adverseEvents", "AdverseEvent"}
    };
}
