package org.alemcds.cards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/**
 * docs/cards.md: every card of the sample patients as the service answers order-sign (summary, indicator, detail,
 * suggestions, sources), so a clinician can review the cards without running anything. Regenerate with
 * {@code mvn -q test -Dtest=CardGalleryTest -Dcards.write=true}.
 */
class CardGalleryTest {

    private static final Path GALLERY = Path.of("docs", "cards.md");

    @Test
    void galleryIsCurrent() throws IOException {
        String generated = render();
        if (Boolean.getBoolean("cards.write")) {
            Files.writeString(GALLERY, generated);
        }
        assertThat(Files.exists(GALLERY)).as("docs/cards.md exists (generate with -Dcards.write=true)").isTrue();
        assertThat(Files.readString(GALLERY))
                .as("docs/cards.md is current: regenerate with mvn -q test -Dtest=CardGalleryTest -Dcards.write=true")
                .isEqualTo(generated);
    }

    static String render() {
        JsonNode manifest = SampleCards.read(SampleCards.EXAMPLES.resolve("expected-cards.json"));
        StringBuilder out = new StringBuilder();
        out.append("# Card gallery\n\n")
                .append("Generated from the sample patients in `fhir-resources/examples/` by `CardGalleryTest`\n")
                .append("(`mvn -q test -Dtest=CardGalleryTest -Dcards.write=true`); the test fails when this file is stale.\n")
                .append("Each sample's cards are shown as the service answers `").append(manifest.get("service").asText())
                .append("` on the planning date ").append(manifest.get("planningDate").asText()).append(" (profile ")
                .append(manifest.get("profile").asText()).append("), most severe first. A combined card (course checklist,\n")
                .append("missing work-up) covers the rules listed after \"Rules\" (its `extension` \"org.alemcds.rules\");\n")
                .append("the groups are configured in `fhir-resources/card-groups.json`, the sources in `fhir-resources/sources.json`.\n\n")
                .append("How the cards are assembled (decisions of issue 14; departures from catalogue §2.8):\n\n")
                .append("- `source.label` names the cited documents (at most three, then \"and N more\"), `source.url` is the\n")
                .append("  first with an address, `links` (type `absolute`) point to every cited document that has one; the\n")
                .append("  detail no longer ends with the source tags. S0, S3 and L-AU-CMI have no address on record.\n")
                .append("- Every card's `extension` lists its rules (\"org.alemcds.rules\"); `source.topic` is the rule, or the\n")
                .append("  group of a combined card (system `").append(CardAssembler.CARD_GROUP_SYSTEM).append("`).\n")
                .append("- Two or more cards of one group's member rules, with an indicator the group takes, become one card:\n")
                .append("  its indicator is the most severe member's, its summary lists the members' items, its detail lists\n")
                .append("  their summaries and then their details, its suggestions are all of theirs. A single member card\n")
                .append("  stays as it is; critical cards are never combined.\n");
        RuleHarness.DEFINITIONS.groups().forEach((id, group) -> {
            out.append("- ").append(id).append(" (").append(String.join(", ", group.indicators())).append(" cards of ");
            out.append(RuleHarness.DEFINITIONS.all().entrySet().stream()
                    .filter(e -> id.equals(e.getValue().group()))
                    .map(java.util.Map.Entry::getKey).sorted().collect(Collectors.joining(", ")));
            out.append("): ").append(group.title()).append(".\n");
        });
        out.append("- A summary over 140 characters is cut at a word with \"…\"; the full text leads the detail.\n\n")
                .append("| Sample | Cards answered | Rule cards before combining |\n|---|---|---|\n");
        for (var sample : SampleCards.all()) {
            out.append("| [").append(name(sample.file())).append("](#").append(name(sample.file())).append(") | ")
                    .append(sample.answered().size()).append(" | ").append(sample.perRule().size()).append(" |\n");
        }
        for (var sample : SampleCards.all()) {
            out.append("\n## ").append(name(sample.file())).append("\n\n").append(sample.title()).append("\n");
            int n = 0;
            for (Card card : sample.answered()) {
                out.append("\n### ").append(++n).append(". ").append(card.indicator()).append(": ")
                        .append(card.summary()).append("\n\n");
                out.append("Rules: ").append(String.join(", ", card.ruleIds())).append(". Source: ");
                out.append(card.links().isEmpty()
                        ? card.source().label()
                        : card.source().label() + " (" + card.links().stream()
                                .map(l -> "[" + l.label() + "](" + l.url() + ")")
                                .collect(Collectors.joining(", ")) + ")");
                out.append(".\n\n");
                if (card.detail() != null && !card.detail().isBlank()) {
                    card.detail().strip().lines().forEach(line -> out.append(line.isEmpty() ? ">" : "> " + line).append('\n'));
                }
                if (!card.suggestions().isEmpty()) {
                    out.append("\nSuggestions:\n\n");
                    for (Card.Suggestion suggestion : card.suggestions()) {
                        out.append("- ").append(suggestion.label());
                        for (Card.Action action : suggestion.actions()) {
                            out.append(" (").append(action.type()).append(' ').append(describe(action.resource())).append(')');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String name(String file) {
        return file.replace(".order-sign.json", "");
    }

    /** A suggested resource in one line: type, code, and any dosage or note text. */
    private static String describe(JsonNode resource) {
        StringBuilder text = new StringBuilder(resource.path("resourceType").asText());
        JsonNode concept = resource.has("medicationCodeableConcept") ? resource.get("medicationCodeableConcept")
                : resource.path("code");
        JsonNode coding = concept.path("coding").path(0);
        if (coding.has("code")) {
            text.append(' ').append(coding.path("system").asText()).append('|').append(coding.path("code").asText());
        } else if (resource.has("code") || resource.has("medicationCodeableConcept")) {
            text.append(", no code");
        }
        if (resource.has("description")) {
            text.append(": ").append(resource.get("description").asText());
        }
        resource.path("dosageInstruction").forEach(d -> text.append("; dosage: ").append(d.path("text").asText()));
        resource.path("note").forEach(d -> text.append("; note: ").append(d.path("text").asText()));
        return text.toString();
    }
}
