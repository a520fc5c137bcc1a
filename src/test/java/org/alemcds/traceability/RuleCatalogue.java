package org.alemcds.traceability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    /** A catalogue rule ID: one of the catalogue's prefixes, then upper-case parts joined by hyphens. */
    private static final String RULE = "((?:ELIG|CI|RCI|SW|LAB|CRS|PRE|MON|HSR)-[A-Z0-9]+(?:-[A-Z0-9]+)*)";
    private static final Pattern RULE_LITERAL = Pattern.compile("'" + RULE + "'");
    private static final Pattern COMMENT = Pattern.compile("/\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern QUOTED_ID = Pattern.compile("\"([A-Z]{2,5}-[A-Z0-9-]+)\"");
    private static final Pattern RULE_ID = Pattern.compile("\\b" + RULE + "\\b");
    private static final Pattern WHEN = Pattern.compile("\\bWhen\\b");
    /** "Decision:", "Decisions (catalogue silent):", "Departure:", "Counting (decision):" … */
    private static final Pattern DECISION = Pattern.compile(
            "(- )?((Decision|Decisions|Departure)\\b[^:\\n]{0,80}|[A-Z][A-Za-z /-]{0,40} \\((decision|departure)[^)]*\\)):");

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

    /**
     * Rule ID → the CQL definitions whose body names the rule ID as a string literal (a card is built with it,
     * directly or through a card-building function of the library).
     */
    static Map<String, List<Implementation>> implementations() {
        Map<String, List<Implementation>> byRule = new TreeMap<>();
        for (Path file : files(ROOT.resolve("cql"), ".cql")) {
            String text = COMMENT.matcher(read(file)).replaceAll(" ").replaceAll("//[^\n]*", " ");
            String library = file.getFileName().toString().replace(".cql", "");
            Matcher define = DEFINE.matcher(text);
            List<int[]> starts = new ArrayList<>();
            List<String> names = new ArrayList<>();
            while (define.find()) {
                starts.add(new int[] {define.start()});
                names.add(define.group(1));
            }
            for (int i = 0; i < starts.size(); i++) {
                int from = starts.get(i)[0];
                int to = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
                Matcher id = RULE_LITERAL.matcher(text.substring(from, to));
                while (id.find()) {
                    byRule.computeIfAbsent(id.group(1), k -> new ArrayList<>())
                            .add(new Implementation(library, names.get(i)));
                }
            }
        }
        byRule.replaceAll((k, v) -> v.stream().distinct().toList());
        return byRule;
    }

    /**
     * Rule ID → the rule header comments (in any CQL library) that are about it: comments with When and Then whose
     * title, the text before "When", names the rule. A rule named later in a header (e.g. "CI-PREG's definition") is
     * only referred to there.
     */
    static Map<String, List<String>> headerComments() {
        Map<String, List<String>> byRule = new TreeMap<>();
        for (Path file : files(ROOT.resolve("cql"), ".cql")) {
            Matcher comment = COMMENT.matcher(read(file));
            while (comment.find()) {
                String body = comment.group(1);
                for (String id : ownedRuleIds(body)) {
                    byRule.computeIfAbsent(id, k -> new ArrayList<>()).add(body);
                }
            }
        }
        return byRule;
    }

    /** The rules a comment is the header of: none unless it has When and Then; else those its title names. */
    static List<String> ownedRuleIds(String comment) {
        Matcher when = WHEN.matcher(comment);
        if (!when.find() || !comment.contains("Then")) {
            return List.of();
        }
        return ruleIds(comment.substring(0, when.start()));
    }

    /**
     * Rule ID → the decisions recorded for it: the decision paragraphs of its header comments, and those of the
     * library header comments (the comment before {@code library}) of the libraries that implement it, when such a
     * paragraph names no rule; a library paragraph that names rules goes to those rules.
     */
    static Map<String, List<String>> decisionsByRule(Map<String, List<Implementation>> implementations) {
        Map<String, List<String>> byRule = new TreeMap<>();
        headerComments().forEach((id, comments) -> comments.forEach(
                c -> byRule.computeIfAbsent(id, k -> new ArrayList<>()).addAll(decisions(c))));
        for (Path file : files(ROOT.resolve("cql"), ".cql")) {
            String text = read(file);
            Matcher comment = COMMENT.matcher(text);
            int library = text.indexOf("\nlibrary ");
            if (!comment.find() || library < 0 || comment.start() > library || WHEN.matcher(comment.group(1)).find()) {
                continue;
            }
            String libraryName = file.getFileName().toString().replace(".cql", "");
            for (String decision : decisions(comment.group(1))) {
                List<String> named = ruleIds(decision);
                List<String> rules = !named.isEmpty()
                        ? named
                        : implementations.entrySet().stream()
                                .filter(e -> e.getValue().stream().anyMatch(i -> i.library().equals(libraryName)))
                                .map(Map.Entry::getKey)
                                .toList();
                rules.forEach(id -> byRule.computeIfAbsent(id, k -> new ArrayList<>()).add(decision));
            }
        }
        byRule.replaceAll((k, v) -> v.stream().distinct().toList());
        return byRule;
    }

    /**
     * The decision paragraphs of a comment, whole: a line that starts with "Decision", "Decisions" or "Departure"
     * and a colon (also as a list item, "- Decision: …"), with the lines indented under it. List items are kept
     * apart with {@code <br>}.
     */
    static List<String> decisions(String comment) {
        List<String> paragraphs = new ArrayList<>();
        List<String> lines = comment.lines().map(RuleCatalogue::commentText).toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!DECISION.matcher(line.strip()).lookingAt()) {
                continue;
            }
            int indent = indentOf(line);
            StringBuilder paragraph = new StringBuilder(line.strip());
            while (i + 1 < lines.size() && continues(lines.get(i + 1), indent)) {
                String next = lines.get(++i).strip();
                paragraph.append(next.startsWith("- ") ? "<br>" : " ").append(next);
            }
            paragraphs.add(paragraph.toString());
        }
        return paragraphs;
    }

    /**
     * Whether a line continues a paragraph that starts at {@code indent}: it is indented deeper, or at the same
     * indentation it goes on with the sentence (a lower-case word, a number, a bracket) instead of starting a new
     * paragraph ("Source:", "- item", another decision).
     */
    private static boolean continues(String line, int indent) {
        if (line.isBlank()) {
            return false;
        }
        int lineIndent = indentOf(line);
        char first = line.charAt(lineIndent);
        return lineIndent > indent || (lineIndent == indent && first != '-' && !Character.isUpperCase(first));
    }

    /** A comment line without its leading " * ", its own indentation kept; rules (=== or ---) are blank. */
    private static String commentText(String line) {
        String text = line.replaceFirst("^\\s*\\*? ?", "");
        return text.strip().matches("[=\\-]*") ? "" : text;
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static List<String> ruleIds(String text) {
        List<String> ids = new ArrayList<>();
        Matcher id = RULE_ID.matcher(text);
        while (id.find()) {
            if (!ids.contains(id.group(1))) {
                ids.add(id.group(1));
            }
        }
        return ids;
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
