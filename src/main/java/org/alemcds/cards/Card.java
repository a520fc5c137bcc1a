package org.alemcds.cards;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A CDS Hooks 2.0 card, named exactly as the specification names its fields. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Card(
        String uuid,
        String summary,
        String detail,
        String indicator,
        Source source,
        List<Suggestion> suggestions,
        String selectionBehavior,
        List<Coding> overrideReasons) {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Source(String label, Coding topic) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Coding(String system, String code, String display) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Suggestion(String label, String uuid, List<Action> actions) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Action(String type, String description, JsonNode resource) {}
}
