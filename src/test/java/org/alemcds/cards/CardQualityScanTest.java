package org.alemcds.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scans every card of the sample patients (each rule's own cards and the answered, combined ones), of two sparse
 * records, and of every rule test that ran before it in this JVM (it runs last: {@link ClassOrderer.OrderAnnotation}
 * in junit-platform.properties), for what makes a card unreadable in five seconds (issue 14): {@link Check}.
 *
 * <p>The test fails on any violation. Each run writes the violations, check by check and rule by rule with up to
 * three examples, to {@code target/card-quality-report.md}.
 */
@Order(Integer.MAX_VALUE)
class CardQualityScanTest {

    /** What the scan looks for. */
    enum Check {
        /** Parameter names (P_…), "DEFAULT", raw UCUM annotations such as {index} and powers such as 10*9/L. */
        INTERNAL_NAME,
        /** Catalogue source tags in the text (S1, L-US-ISI, …): the source belongs in source.label and links. */
        SOURCE_TAG_IN_TEXT,
        /**
         * A "?" standing for a missing value ("Order: ? × ? mg", "? mg"). A "?" before a word (four letters, or an
         * abbreviation and a word) is the record's own shorthand for a query diagnosis ("? HIV infection",
         * "? stroke"), quoted as written, not a placeholder; a unit after it ("? mg", "? IU") is.
         */
        PLACEHOLDER,
        /** The source given again in the detail, or a link repeated. */
        SOURCE_REPEATED,
        /** A summary over 140 characters, which assembly had to cut (it ends with "…"). */
        SUMMARY_CUT,
        /** A warning or critical card with no link to its source document. */
        NO_SOURCE_LINK,
        /** A card whose summary asks for an action but that offers no suggestion. */
        ACTION_WITHOUT_SUGGESTION
    }

    private static final Pattern INTERNAL = Pattern.compile("\\bP_[A-Z][A-Z0-9_]*\\b|\\bDEFAULT\\b|\\{[A-Za-z][^{}]*}|\\b10\\*[0-9]");
    private static final Pattern SOURCE_TAG = Pattern.compile("\\b(S[0-4]|L-(?:US|EU|AU)(?:-[A-Za-z0-9]+)*)\\b");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?<![\\p{L}\\p{N})])\\?(?! ?(?:\\p{L}{4}|\\p{Lu}{2,} \\p{L}))");
    private static final Pattern SOURCE_LINE = Pattern.compile("(?i)\\*\\*sources?:\\*\\*|^sources?:", Pattern.MULTILINE);
    private static final Pattern ACTION = Pattern.compile("(?i)(?:^|[:;.]\\s+)(order|add|start|schedule|document|measure"
            + "|vaccinate|repeat|refer|check|give|stop|counsel|consider|exclude|postpone|treat|review|obtain|test|wait"
            + "|confirm|discontinue|delay|defer|draw|record|arrange)\\b");

    record Violation(Check check, String rule, String example) {}

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Order: ? × ? mg | true", "Dose ? mg daily | true", "Value ? on 2025-01-01 | true", "? IU/L | true",
            "HIV diagnosis on record: ? HIV infection | false", "Condition: ? stroke (onset 2020) | false",
            "Is it due? Yes | false"})
    void aQuestionMarkIsAPlaceholderUnlessAWordFollowsIt(String text, boolean placeholder) {
        assertThat(PLACEHOLDER.matcher(text).find()).isEqualTo(placeholder);
    }

    @Test
    void everyCardReadsInFiveSeconds() throws IOException {
        Map<String, Card> cards = new LinkedHashMap<>();
        for (var sample : SampleCards.all()) {
            sample.perRule().forEach(c -> cards.put(c.uuid(), c));
            sample.answered().forEach(c -> cards.put(c.uuid(), c));
        }
        for (FhirRecord sparse : List.of(FhirRecord.female("1990-01-01"), FhirRecord.male("1960-01-01"))) {
            sparse.draftAlemtuzumab("2026-12-01", 5);
            RuleHarness.answered("order-sign", sparse, "2026-11-21", "UNION").forEach(c -> cards.put(c.uuid(), c));
        }
        RuleHarness.issuedSoFar().forEach(c -> cards.put(c.uuid(), c));

        List<Violation> violations = new ArrayList<>();
        Set<String> scannedRules = new TreeSet<>();
        for (Card card : cards.values()) {
            scannedRules.add(card.source().topic().code());
            violations.addAll(scan(card));
        }
        // Run with only some tests, the scan misses cards of some rules (their rule tests did not run).
        Set<String> missing = new TreeSet<>(RuleHarness.DEFINITIONS.all().keySet());
        missing.removeAll(scannedRules);
        System.out.println("[card-quality] " + cards.size() + " cards scanned; rules without a scanned card: " + missing);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "card-quality-report.md"), report(violations, cards.size()));

        Map<Check, Set<String>> found = new TreeMap<>();
        violations.forEach(v -> found.computeIfAbsent(v.check(), k -> new TreeSet<>()).add(v.rule()));
        assertThat(cards).as("cards scanned").hasSizeGreaterThan(20);
        assertThat(found).as("card quality violations by check and rule (see target/card-quality-report.md)").isEmpty();
    }

    static List<Violation> scan(Card card) {
        String rule = card.source().topic().code();
        boolean combined = card.ruleIds().size() > 1;
        String detail = card.detail() == null ? "" : card.detail();
        List<String> texts = new ArrayList<>();
        texts.add(card.summary());
        texts.add(detail);
        card.suggestions().forEach(s -> texts.add(s.label()));
        Map<Check, String> found = new LinkedHashMap<>();
        for (String text : texts) {
            find(INTERNAL, text).ifPresent(e -> found.putIfAbsent(Check.INTERNAL_NAME, e));
            find(SOURCE_TAG, text).ifPresent(e -> found.putIfAbsent(Check.SOURCE_TAG_IN_TEXT, e));
            find(PLACEHOLDER, text).ifPresent(e -> found.putIfAbsent(Check.PLACEHOLDER, e));
        }
        find(SOURCE_LINE, detail).ifPresent(e -> found.putIfAbsent(Check.SOURCE_REPEATED, e));
        if (card.links().stream().map(Card.Link::url).distinct().count() < card.links().size()) {
            found.putIfAbsent(Check.SOURCE_REPEATED, "a link repeated");
        }
        if (card.summary().length() > CardAssembler.SUMMARY_LIMIT || card.summary().endsWith("…")) {
            found.put(Check.SUMMARY_CUT, card.summary());
        }
        if ((card.indicator().equals("warning") || card.indicator().equals("critical")) && card.links().isEmpty()) {
            found.put(Check.NO_SOURCE_LINK, card.indicator() + "; source: " + card.source().label());
        }
        // a combined card's action items are checked on its members' own cards
        if (!combined && card.suggestions().isEmpty() && ACTION.matcher(card.summary()).find()) {
            found.put(Check.ACTION_WITHOUT_SUGGESTION, card.summary());
        }
        List<Violation> violations = new ArrayList<>();
        found.forEach((check, example) -> violations.add(new Violation(check, rule, example)));
        return violations;
    }

    /** The first match of the pattern in the text, with up to 50 characters around it. */
    private static Optional<String> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        int from = Math.max(0, m.start() - 50);
        int to = Math.min(text.length(), m.end() + 50);
        return Optional.of(text.substring(from, to).replace('\n', ' '));
    }

    /** Distinct examples the report shows per rule and check. */
    private static final int REPORTED_EXAMPLES = 3;

    private static String report(List<Violation> violations, int scanned) {
        StringBuilder out = new StringBuilder("# Card quality scan\n\n").append(scanned).append(" cards scanned.\n");
        Map<Check, Map<String, Set<String>>> byCheck = new TreeMap<>();
        violations.forEach(v -> {
            Set<String> examples = byCheck.computeIfAbsent(v.check(), k -> new TreeMap<>())
                    .computeIfAbsent(v.rule(), k -> new LinkedHashSet<>());
            if (examples.size() < REPORTED_EXAMPLES) {
                examples.add(v.example());
            }
        });
        byCheck.forEach((check, rules) -> {
            out.append("\n## ").append(check).append(" (").append(rules.size()).append(" rules)\n\n");
            rules.forEach((rule, examples) -> examples.forEach(example -> out.append("- ").append(rule).append(": `")
                    .append(example.replace('`', '\'')).append("`\n")));
        });
        return out.toString();
    }
}
