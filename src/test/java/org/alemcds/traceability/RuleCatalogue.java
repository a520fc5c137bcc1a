package org.alemcds.traceability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the traceability facts from the repository: the catalogue's rule index (Appendix A), the CQL definitions
 * that emit each rule's cards, the card templates (titles and sources), the tests that name each rule, and the
 * decisions written in the CQL header comments.
 */
final class RuleCatalogue {

    record IndexEntry(String id, String category, String highestIndicator) {}

    record Implementation(String library, String definition) {}

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path APPENDIX_COPY = ROOT.resolve("docs/catalogue-appendix-a.md");
    static final Path SHARED_CATALOGUE = ROOT.resolve("../shared/clinical-rules.md");

    private static final Pattern INDEX_ROW = Pattern.compile("^\\| ([A-Z][A-Z0-9-]+) \\| ([^|]+) \\| ([a-z]+) \\|$");
    private static final Pattern DEFINE = Pattern.compile("define\\s+(?:function\\s+)?\"([^\"]+)\"");
    private static final Pattern CARD_CALL = Pattern.compile("Common\\.\"Card\"\\(\\s*'([A-Z][A-Z0-9-]+)'");
    private static final Pattern COMMENT = Pattern.compile("/\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern QUOTED_ID = Pattern.compile("\"([A-Z]{2,5}-[A-Z0-9-]+)\"");

    static List<IndexEntry> appendixA(Path markdown) {
        List<IndexEntry> entries = new ArrayList<>();
        for (String line : read(markdown).lines().toList()) {
            Matcher m = INDEX_ROW.matcher(line.trim());
            if (m.matches() && !m.group(1).equals("ID")) {
                entries.add(new IndexEntry(m.group(1), m.group(2).trim(), m.group(3)));
            }
        }
        return entries;
    }

    static String appendixSection(Path catalogue) {
        String text = read(catalogue);
        return text.substring(text.indexOf("## Appendix A: Rule index")).strip();
    }

    /** Rule ID → the CQL definitions whose body emits a card with that ID. */
    static Map<String, List<Implementation>> implementations() {
        Map<String, List<Implementation>> byRule = new TreeMap<>();
        for (Path file : files(ROOT.resolve("cql"), ".cql")) {
            String text = read(file);
            String library = file.getFileName().toString().replace(".cql", "");
            Matcher card = CARD_CALL.matcher(text);
            while (card.find()) {
                String definition = null;
                Matcher define = DEFINE.matcher(text.substring(0, card.start()));
                while (define.find()) {
                    definition = define.group(1);
                }
                byRule.computeIfAbsent(card.group(1), k -> new ArrayList<>())
                        .add(new Implementation(library, definition));
            }
        }
        byRule.replaceAll((k, v) -> v.stream().distinct().toList());
        return byRule;
    }

    /** Rule ID → the header comments (in any CQL library) that name it together with When/Then. */
    static Map<String, List<String>> headerComments() {
        Map<String, List<String>> byRule = new TreeMap<>();
        for (Path file : files(ROOT.resolve("cql"), ".cql")) {
            Matcher comment = COMMENT.matcher(read(file));
            while (comment.find()) {
                String body = comment.group(1);
                if (!(body.contains("When") && body.contains("Then"))) {
                    continue;
                }
                Matcher id = Pattern.compile("\\b([A-Z]{2,5}-[A-Z0-9]+(?:-[A-Z0-9]+)*)\\b").matcher(body);
                while (id.find()) {
                    byRule.computeIfAbsent(id.group(1), k -> new ArrayList<>()).add(body);
                }
            }
        }
        return byRule;
    }

    /** Rule ID → test classes that name the rule ID as a string literal. */
    static Map<String, TreeSet<String>> tests() {
        Map<String, TreeSet<String>> byRule = new TreeMap<>();
        for (Path file : files(ROOT.resolve("src/test/java"), "Test.java")) {
            if (file.toString().contains("/traceability/")) {
                continue; // the coverage test names every rule; it is not a test of any
            }
            Matcher id = QUOTED_ID.matcher(read(file));
            String testClass = file.getFileName().toString().replace(".java", "");
            while (id.find()) {
                byRule.computeIfAbsent(id.group(1), k -> new TreeSet<>()).add(testClass);
            }
        }
        return byRule;
    }

    /** Rule ID → sources listed in its card template. */
    static Map<String, List<String>> cardSources() {
        Map<String, List<String>> byRule = new TreeMap<>();
        var mapper = new ObjectMapper();
        for (Path file : files(ROOT.resolve("fhir-resources/cards"), ".json")) {
            try {
                JsonNode root = mapper.readTree(file.toFile());
                root.fields().forEachRemaining(e -> {
                    List<String> sources = new ArrayList<>();
                    e.getValue().path("sources").forEach(s -> sources.add(s.asText()));
                    byRule.put(e.getKey(), sources);
                });
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return byRule;
    }

    /** Sentences of the header comments that record a decision, a DEFAULT or a departure. */
    static List<String> decisions(List<String> comments) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (String comment : comments) {
            String flat = comment.replaceAll("\\s*\\n\\s*\\*?\\s*", " ").replaceAll("\\s+", " ").trim();
            Matcher m = Pattern.compile("(Decision[s]?:|Departure:|DEFAULT)[^.]*\\.").matcher(flat);
            while (m.find()) {
                seen.put(m.group().trim(), true);
            }
        }
        return List.copyOf(seen.keySet());
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
