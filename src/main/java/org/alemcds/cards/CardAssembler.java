package org.alemcds.cards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.opencds.cqf.cql.engine.runtime.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the card tuples the CQL returns ({@code AlemtuzumabCommon."Card"}) into CDS Hooks cards (catalogue §2.8):
 * summary limit, source label and topic from the rule's card template, suggestions as create actions, override
 * reasons on warning and critical cards.
 */
public final class CardAssembler {

    private static final Logger log = LoggerFactory.getLogger(CardAssembler.class);

    public static final String RULE_SYSTEM = "http://alemcds.org/fhir/CodeSystem/rule";
    public static final String OVERRIDE_REASON_SYSTEM = "http://alemcds.org/fhir/CodeSystem/override-reason";
    static final int SUMMARY_LIMIT = 140;

    private static final List<Card.Coding> OVERRIDE_REASONS = List.of(
            new Card.Coding(OVERRIDE_REASON_SYSTEM, "benefit-outweighs-risk", "benefit outweighs risk — documented"),
            new Card.Coding(OVERRIDE_REASON_SYSTEM, "data-incorrect", "data in EHR incorrect"),
            new Card.Coding(OVERRIDE_REASON_SYSTEM, "addressed-elsewhere", "already addressed elsewhere"));

    private static final Map<String, Integer> SEVERITY = Map.of("critical", 0, "warning", 1, "info", 2);

    private final CardDefinitions definitions;
    private final ObjectMapper mapper;

    public CardAssembler(CardDefinitions definitions, ObjectMapper mapper) {
        this.definitions = definitions;
        this.mapper = mapper;
    }

    /** Cards for the CQL result, most severe first; patientId is the subject of suggested resources. */
    public List<Card> assemble(Object cqlCards, String patientId) {
        List<Card> cards = new ArrayList<>();
        if (cqlCards instanceof Iterable<?> tuples) {
            for (Object tuple : tuples) {
                if (tuple instanceof Tuple t) {
                    cards.add(toCard(t.getElements(), patientId));
                }
            }
        }
        cards.sort(Comparator.comparingInt(c -> SEVERITY.getOrDefault(c.indicator(), 3)));
        return cards;
    }

    private Card toCard(Map<String, Object> tuple, String patientId) {
        String ruleId = (String) tuple.get("ruleId");
        String indicator = (String) tuple.get("indicator");
        String summary = (String) tuple.get("summary");
        String detail = (String) tuple.get("detail");

        var definition = definitions.forRule(ruleId).orElseGet(() -> {
            log.error("No card definition for rule {}", ruleId);
            return new CardDefinitions.Definition(ruleId, List.of());
        });
        String sources = String.join("; ", definition.sources());

        StringBuilder markdown = new StringBuilder();
        if (summary != null && summary.length() > SUMMARY_LIMIT) {
            markdown.append("**").append(summary).append("**\n\n");
            summary = summary.substring(0, SUMMARY_LIMIT - 1) + "…";
        }
        if (detail != null) {
            markdown.append(detail);
        }
        if (!sources.isEmpty()) {
            markdown.append("\n\n**Source:** ").append(sources).append(" (rule ").append(ruleId).append(')');
        }

        List<Card.Suggestion> suggestions = new ArrayList<>();
        if (tuple.get("suggestions") instanceof Iterable<?> items) {
            for (Object item : items) {
                if (item instanceof Tuple s) {
                    suggestions.add(toSuggestion(s.getElements(), patientId));
                }
            }
        }
        boolean needsOverrideReasons = "warning".equals(indicator) || "critical".equals(indicator);
        return new Card(
                UUID.randomUUID().toString(),
                summary,
                markdown.toString(),
                indicator,
                new Card.Source(
                        sources.isEmpty() ? "Alemtuzumab CDS" : "Alemtuzumab CDS: " + sources,
                        new Card.Coding(RULE_SYSTEM, ruleId, definition.title())),
                suggestions,
                suggestions.isEmpty() ? null : "any",
                needsOverrideReasons ? OVERRIDE_REASONS : List.of());
    }

    private Card.Suggestion toSuggestion(Map<String, Object> s, String patientId) {
        String label = (String) s.get("label");
        String resourceType = (String) s.get("resourceType");
        String system = (String) s.get("system");
        String code = (String) s.get("code");
        String display = (String) s.get("display");
        // Optional free text written by the rule (AlemtuzumabCommon."With Instruction"); absent in older tuples.
        String instruction = s.get("instruction") instanceof String text && !text.isBlank() ? text : null;

        ObjectNode resource = mapper.createObjectNode();
        resource.put("resourceType", resourceType);
        resource.put("id", UUID.randomUUID().toString());
        resource.put("status", "draft");
        switch (resourceType) {
            case "MedicationRequest" -> {
                resource.put("intent", "proposal");
                resource.set("medicationCodeableConcept", concept(system, code, display));
                resource.set("subject", reference(patientId));
                if (instruction != null) {
                    resource.putArray("dosageInstruction").addObject().put("text", instruction);
                }
            }
            case "Task" -> {
                resource.put("intent", "proposal");
                resource.put("description", display);
                resource.set("for", reference(patientId));
            }
            default -> {
                resource.put("intent", "proposal");
                resource.set("code", concept(system, code, display));
                resource.set("subject", reference(patientId));
                if (instruction != null) {
                    resource.putArray("note").addObject().put("text", instruction);
                }
            }
        }
        return new Card.Suggestion(
                label, UUID.randomUUID().toString(), List.of(new Card.Action("create", label, resource)));
    }

    private JsonNode concept(String system, String code, String display) {
        ObjectNode concept = mapper.createObjectNode();
        if (code != null) {
            ObjectNode coding = concept.putArray("coding").addObject();
            coding.put("system", system);
            coding.put("code", code);
            if (display != null) {
                coding.put("display", display);
            }
        }
        concept.put("text", display);
        return concept;
    }

    private JsonNode reference(String patientId) {
        return mapper.createObjectNode().put("reference", "Patient/" + patientId);
    }
}
