package org.alemcds.cards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documents the card templates cite ({@code fhir-resources/sources.json}): each source tag of the catalogue
 * (S0–S4, L-US-ISI, L-EU-A20, …) with its human-readable label, full citation, edition and URL or DOI link. A
 * template cites "tag" or "tag section" (e.g. "S1 Table 1"); the section is kept for the link's label.
 */
public final class SourceRegistry {

    /** One cited document. {@code url} is null where no public address is recorded for it. */
    public record Document(String label, String citation, String edition, String url) {}

    /** What a card shows of its sources: one label, the first document's URL, and a link per linked document. */
    public record Citation(String label, String url, List<Card.Link> links) {}

    /** Documents named in a card's source label; the links list every linked document. */
    static final int LABELLED_DOCUMENTS = 3;

    private final Map<String, Document> byTag;

    SourceRegistry(Map<String, Document> byTag) {
        this.byTag = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byTag));
    }

    public Map<String, Document> all() {
        return byTag;
    }

    /** The registered tag a template source starts with (longest match: "S1 Table 1" → "S1"). */
    public Optional<String> tagOf(String source) {
        String best = null;
        for (String tag : byTag.keySet()) {
            boolean matches = source.equals(tag) || source.startsWith(tag + " ");
            if (matches && (best == null || tag.length() > best.length())) {
                best = tag;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The citation of a template's sources, each document once, in the template's order. */
    public Citation cite(List<String> sources) {
        Map<String, List<String>> sectionsByTag = new LinkedHashMap<>();
        for (String source : sources) {
            String tag = tagOf(source).orElseThrow(() -> new IllegalArgumentException("Unknown source tag: " + source));
            List<String> sections = sectionsByTag.computeIfAbsent(tag, k -> new ArrayList<>());
            String section = source.substring(tag.length()).trim();
            if (!section.isEmpty() && !sections.contains(section)) {
                sections.add(section);
            }
        }
        List<String> labels = new ArrayList<>();
        List<Card.Link> links = new ArrayList<>();
        String url = null;
        for (var entry : sectionsByTag.entrySet()) {
            Document document = byTag.get(entry.getKey());
            if (!labels.contains(document.label())) {
                labels.add(document.label());
            }
            if (document.url() != null) {
                url = url == null ? document.url() : url;
                String sections = String.join(", ", entry.getValue());
                String label = sections.isEmpty() ? document.label() : document.label() + " — " + sections;
                if (links.stream().noneMatch(l -> l.url().equals(document.url()))) {
                    links.add(new Card.Link(label, document.url(), "absolute"));
                }
            }
        }
        String label = labels.size() <= LABELLED_DOCUMENTS
                ? String.join("; ", labels)
                : String.join("; ", labels.subList(0, LABELLED_DOCUMENTS)) + " and "
                        + (labels.size() - LABELLED_DOCUMENTS) + " more";
        return new Citation(label, url, links);
    }
}
