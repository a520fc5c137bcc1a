package org.alemcds.cards;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A CDS Hooks 2.0 card, named exactly as the specification names its fields. {@code extension} carries
 * {@value #RULES_EXTENSION}: the catalogue rule IDs the card covers (one for a single-rule card, all of them for a
 * combined card).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Card(
        String uuid,
        String summary,
        String detail,
        String indicator,
        Source source,
        List<Suggestion> suggestions,
        String selectionBehavior,
        List<Coding> overrideReasons,
        List<Link> links,
        Map<String, Object> extension) {

    public static final String RULES_EXTENSION = "org.alemcds.rules";

    /** The card as before links and extension existed: no links, its topic's code as its one rule. */
    public Card(String uuid, String summary, String detail, String indicator, Source source,
            List<Suggestion> suggestions, String selectionBehavior, List<Coding> overrideReasons) {
        this(uuid, summary, detail, indicator, source, suggestions, selectionBehavior, overrideReasons, List.of(),
                Map.of(RULES_EXTENSION, List.of(source.topic().code())));
    }

    /** The catalogue rule IDs this card covers, from its extension. */
    public List<String> ruleIds() {
        return extension != null && extension.get(RULES_EXTENSION) instanceof List<?> ids
                ? ids.stream().map(String::valueOf).toList()
                : List.of(source.topic().code());
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Source(String label, String url, Coding topic) {

        public Source(String label, Coding topic) {
            this(label, null, topic);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Coding(String system, String code, String display) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Suggestion(String label, String uuid, List<Action> actions) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Action(String type, String description, JsonNode resource) {}

    /** A link to a document (type {@code absolute}); CDS Hooks 2.0 Link. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Link(String label, String url, String type) {}
}
