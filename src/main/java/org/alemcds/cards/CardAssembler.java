package org.alemcds.cards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.opencds.cqf.cql.engine.runtime.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the card tuples the CQL returns ({@code AlemtuzumabCommon."Card"}) into CDS Hooks cards (catalogue §2.8):
 * summary limit, source label, URL and links from the rule's card template and the source registry, the rule IDs in
 * the card's extension, suggestions as create actions, override reasons on warning and critical cards.
 *
 * <p>A combining assembler ({@link #combining}, the one the service answers with) then merges the cards of rules whose
 * template names a group ({@code fhir-resources/card-groups.json}) into one card per group, when at least two such
 * cards came; critical cards, and cards whose indicator the group does not take, stay separate.
 */
public final class CardAssembler {

    private static final Logger log = LoggerFactory.getLogger(CardAssembler.class);

    public static final String RULE_SYSTEM = "http://alemcds.org/fhir/CodeSystem/rule";
    public static final String CARD_GROUP_SYSTEM = "http://alemcds.org/fhir/CodeSystem/card-group";
    public static final String OVERRIDE_REASON_SYSTEM = "http://alemcds.org/fhir/CodeSystem/override-reason";
    static final int SUMMARY_LIMIT = 140;

    private static final List<Card.Coding> OVERRIDE_REASONS = List.of(
            new Card.Coding(OVERRIDE_REASON_SYSTEM, "benefit-outweighs-risk", "benefit outweighs risk — documented"),
            new Card.Coding(OVERRIDE_REASON_SYSTEM, "data-incorrect", "data in EHR incorrect"),
            new Card.Coding(OVERRIDE_REASON_SYSTEM, "addressed-elsewhere", "already addressed elsewhere"));

    private static final Map<String, Integer> SEVERITY = Map.of("critical", 0, "warning", 1, "info", 2);

    private final CardDefinitions definitions;
    private final ObjectMapper mapper;
    private final boolean combine;

    /** An assembler giving one card per CQL card tuple (what each rule says, as the rule tests check it). */
    public CardAssembler(CardDefinitions definitions, ObjectMapper mapper) {
        this(definitions, mapper, false);
    }

    private CardAssembler(CardDefinitions definitions, ObjectMapper mapper, boolean combine) {
        this.definitions = definitions;
        this.mapper = mapper;
        this.combine = combine;
    }

    /** An assembler that also merges the cards of each group of card-groups.json into one (what a clinician sees). */
    public static CardAssembler combining(CardDefinitions definitions, ObjectMapper mapper) {
        return new CardAssembler(definitions, mapper, true);
    }

    /** The override reasons the service offers on warning and critical cards. */
    public static List<Card.Coding> overrideReasons() {
        return OVERRIDE_REASONS;
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
        if (combine) {
            cards = combined(cards);
        }
        cards.sort(Comparator.comparingInt(c -> SEVERITY.getOrDefault(c.indicator(), 3)));
        return cards;
    }

    private CardDefinitions.Definition definition(String ruleId) {
        return definitions.forRule(ruleId).orElseGet(() -> {
            log.error("No card definition for rule {}", ruleId);
            return new CardDefinitions.Definition(ruleId, List.of());
        });
    }

    private Card toCard(Map<String, Object> tuple, String patientId) {
        String ruleId = (String) tuple.get("ruleId");
        String indicator = (String) tuple.get("indicator");
        String summary = (String) tuple.get("summary");
        String detail = (String) tuple.get("detail");
        var definition = definition(ruleId);

        StringBuilder markdown = new StringBuilder();
        if (summary != null && summary.length() > SUMMARY_LIMIT) {
            markdown.append("**").append(summary).append("**\n\n");
            summary = shortened(summary);
        }
        if (detail != null) {
            markdown.append(detail);
        }

        List<Card.Suggestion> suggestions = new ArrayList<>();
        if (tuple.get("suggestions") instanceof Iterable<?> items) {
            for (Object item : items) {
                if (item instanceof Tuple s) {
                    suggestions.add(toSuggestion(s.getElements(), patientId));
                }
            }
        }
        return card(summary, markdown.toString(), indicator, definition.sources(),
                new Card.Coding(RULE_SYSTEM, ruleId, definition.title()), suggestions, List.of(ruleId));
    }

    /** The summary cut to the limit at a word boundary, with an ellipsis; the full text leads the detail. */
    static String shortened(String summary) {
        int cut = summary.lastIndexOf(' ', SUMMARY_LIMIT - 1);
        String head = (cut > SUMMARY_LIMIT / 2 ? summary.substring(0, cut) : summary.substring(0, SUMMARY_LIMIT - 1));
        return head.replaceAll("[\\s,;:.(–-]+$", "") + "…";
    }

    private Card card(String summary, String detail, String indicator, List<String> sources, Card.Coding topic,
            List<Card.Suggestion> suggestions, List<String> ruleIds) {
        SourceRegistry.Citation citation = definitions.sources().cite(sources);
        boolean needsOverrideReasons = "warning".equals(indicator) || "critical".equals(indicator);
        return new Card(
                UUID.randomUUID().toString(),
                summary,
                detail,
                indicator,
                new Card.Source(citation.label().isEmpty() ? "Alemtuzumab CDS" : citation.label(), citation.url(), topic),
                suggestions,
                suggestions.isEmpty() ? null : "any",
                needsOverrideReasons ? OVERRIDE_REASONS : List.of(),
                citation.links(),
                Map.of(Card.RULES_EXTENSION, List.copyOf(ruleIds)));
    }

    /** The cards with each group's members (two or more, with an indicator the group takes) merged in one card. */
    private List<Card> combined(List<Card> cards) {
        Map<String, List<Card>> members = new LinkedHashMap<>();
        for (Card card : cards) {
            String group = groupOf(card);
            if (group != null) {
                members.computeIfAbsent(group, k -> new ArrayList<>()).add(card);
            }
        }
        List<Card> result = new ArrayList<>();
        for (Card card : cards) {
            String group = groupOf(card);
            List<Card> same = group == null ? List.of() : members.get(group);
            if (same.size() < 2) {
                result.add(card);
            } else if (same.get(0) == card) {
                result.add(combine(group, same));
            }
        }
        return result;
    }

    private String groupOf(Card card) {
        var definition = definitions.forRule(card.source().topic().code()).orElse(null);
        if (definition == null || definition.group() == null) {
            return null;
        }
        var group = definitions.groups().get(definition.group());
        return group.indicators().contains(card.indicator()) ? definition.group() : null;
    }

    private Card combine(String groupId, List<Card> members) {
        CardDefinitions.Group group = definitions.groups().get(groupId);
        List<String> items = new ArrayList<>();
        List<String> ruleIds = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Card.Suggestion> suggestions = new ArrayList<>();
        StringBuilder checklist = new StringBuilder();
        StringBuilder details = new StringBuilder();
        String indicator = "info";
        for (Card member : members) {
            String ruleId = member.source().topic().code();
            var definition = definition(ruleId);
            String item = definition.item() == null ? definition.title() : definition.item();
            if (!items.contains(item)) {
                items.add(item);
            }
            if (!ruleIds.contains(ruleId)) {
                ruleIds.add(ruleId);
                sources.addAll(definition.sources());
            }
            if (SEVERITY.get(member.indicator()) < SEVERITY.get(indicator)) {
                indicator = member.indicator();
            }
            suggestions.addAll(member.suggestions());
            checklist.append("- **").append(capitalised(item)).append(":** ").append(member.summary()).append('\n');
            if (member.detail() != null && !member.detail().isBlank()) {
                details.append("\n#### ").append(definition.title()).append("\n\n").append(member.detail().strip()).append('\n');
            }
        }
        return card(groupSummary(group.summary(), items), (checklist + details.toString()).strip(), indicator, sources,
                new Card.Coding(CARD_GROUP_SYSTEM, groupId, group.title()), suggestions, ruleIds);
    }

    /** "Lead: item, item, item" within the summary limit; items that do not fit are counted ("+2 more"). */
    static String groupSummary(String lead, List<String> items) {
        for (int shown = items.size(); shown > 0; shown--) {
            String text = lead + ": " + String.join(", ", items.subList(0, shown))
                    + (shown < items.size() ? " (+" + (items.size() - shown) + " more)" : "") + ".";
            if (text.length() <= SUMMARY_LIMIT) {
                return text;
            }
        }
        return lead + ": " + items.size() + " items.";
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private Card.Suggestion toSuggestion(Map<String, Object> s, String patientId) {
        String label = (String) s.get("label");
        String resourceType = (String) s.get("resourceType");
        String system = (String) s.get("system");
        String code = (String) s.get("code");
        String display = (String) s.get("display");
        // Optional free text written by the rule (AlemtuzumabCommon."With Instruction"); absent in older tuples.
        String instruction = s.get("instruction") instanceof String text && !text.isBlank() ? text : null;
        // Optional structured dosage of a MedicationRequest (AlemtuzumabCommon."With Dosage").
        Map<String, Object> dosage = s.get("dosage") instanceof Tuple d ? d.getElements() : null;

        ObjectNode resource = mapper.createObjectNode();
        resource.put("resourceType", resourceType);
        resource.put("id", UUID.randomUUID().toString());
        resource.put("status", "draft");
        switch (resourceType) {
            case "MedicationRequest" -> {
                resource.put("intent", "proposal");
                resource.set("medicationCodeableConcept", concept(system, code, display));
                resource.set("subject", reference(patientId));
                if (instruction != null || dosage != null) {
                    dosageInstruction(resource.putArray("dosageInstruction").addObject(), instruction, dosage);
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

    /** A FHIR Dosage: the instruction as text, and dose, route and timing from the rule's structured dosage. */
    private void dosageInstruction(ObjectNode target, String instruction, Map<String, Object> dosage) {
        if (instruction != null) {
            target.put("text", instruction);
        }
        if (dosage == null) {
            return;
        }
        ObjectNode repeat = target.putObject("timing").putObject("repeat");
        if (dosage.get("boundsStart") != null || dosage.get("boundsEnd") != null) {
            ObjectNode bounds = repeat.putObject("boundsPeriod");
            if (dosage.get("boundsStart") != null) {
                bounds.put("start", dosage.get("boundsStart").toString());
            }
            if (dosage.get("boundsEnd") != null) {
                bounds.put("end", dosage.get("boundsEnd").toString());
            }
        }
        if (dosage.get("frequency") instanceof Integer frequency) {
            repeat.put("frequency", frequency).put("period", 1).put("periodUnit", (String) dosage.get("periodUnit"));
        }
        if (dosage.get("routeCode") != null) {
            target.set("route", concept("http://snomed.info/sct", (String) dosage.get("routeCode"),
                    (String) dosage.get("routeDisplay")));
        }
        if (dosage.get("dose") instanceof BigDecimal dose) {
            String unit = (String) dosage.get("doseUnit");
            target.putArray("doseAndRate").addObject().putObject("doseQuantity")
                    .put("value", dose).put("unit", unit).put("system", "http://unitsofmeasure.org").put("code", unit);
        }
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
