package org.alemcds.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.alemcds.cards.Card;
import org.alemcds.explain.Explanation;

/** The forms of an evaluation's result: a text table, the CDS Hooks response, and a self-contained HTML page. */
public final class Reports {

    /** The CDS Hooks response {@code extension} key (CDS Hooks §Extensions) that carries the explanation. */
    public static final String EXPLANATION_EXTENSION = "org.alemcds.explanation";
    /** The playground's renderer and style, inlined into the HTML page so that it stands alone. */
    static final String RENDERER = "static/playground/cards.js";
    static final String STYLE = "static/playground/cards.css";
    private static final List<String> URGENCY = List.of("critical", "warning", "info");

    private Reports() {}

    /** The CDS Hooks response: {@code cards}, and the explanation as an extension when it was asked for. */
    public static Map<String, Object> response(BundleEvaluator.Result result) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("cards", result.cards());
        if (result.explanation() != null) {
            response.put("extension", Map.of(EXPLANATION_EXTENSION, result.explanation()));
        }
        return response;
    }

    /** What the playground page renders: the service, the notes, the CDS Hooks response. */
    public static Map<String, Object> page(BundleEvaluator.Result result, String patientId) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("serviceId", result.service().id());
        page.put("hook", result.service().hook());
        page.put("patientId", patientId);
        page.put("notes", result.notes());
        page.put("response", response(result));
        return page;
    }

    static String json(BundleEvaluator.Result result, ObjectMapper mapper) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(response(result)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String html(BundleEvaluator.Result result, String patientId, ObjectMapper mapper) {
        String data;
        try {
            // "</" would end the script element early
            data = mapper.writeValueAsString(page(result, patientId)).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <title>Alemtuzumab CDS: %s</title>
                <style>%s</style></head>
                <body class="report"><h1>Alemtuzumab CDS: %s, patient %s</h1>
                <div id="result"></div>
                <script>%s</script>
                <script>AlemCards.renderResult(document.getElementById('result'), %s, {});</script>
                </body></html>
                """.formatted(result.service().hook(), resource(STYLE), result.service().hook(), escape(patientId),
                resource(RENDERER), data);
    }

    static String text(BundleEvaluator.Result result, String patientId) {
        StringBuilder out = new StringBuilder();
        out.append("Patient ").append(patientId).append(": ").append(result.service().hook())
                .append(" (service ").append(result.service().id()).append(")\n");
        result.notes().forEach(note -> out.append(note).append('\n'));
        List<Card> cards = result.cards().stream()
                .sorted((a, b) -> Integer.compare(URGENCY.indexOf(a.indicator()), URGENCY.indexOf(b.indicator())))
                .toList();
        out.append('\n').append(cards.size()).append(cards.size() == 1 ? " card" : " cards");
        if (!cards.isEmpty()) {
            out.append(": ");
            out.append(String.join(", ", URGENCY.stream()
                    .map(i -> cards.stream().filter(c -> i.equals(c.indicator())).count() + " " + i)
                    .toList()));
        }
        out.append('\n');
        for (Card card : cards) {
            out.append(String.format(Locale.ROOT, "  %-8s %-18s %s%n", card.indicator().toUpperCase(Locale.ROOT),
                    ruleId(card), card.summary()));
            if (card.ruleIds().size() > 1) { // a combined card: the rules it covers
                out.append(String.format(Locale.ROOT, "  %-8s %-18s covers %s%n", "", "", String.join(", ", card.ruleIds())));
            }
            if (card.suggestions() != null) {
                card.suggestions().forEach(s -> out.append(String.format(Locale.ROOT, "  %-8s %-18s -> %s%n", "", "",
                        s.label())));
            }
        }
        Explanation explanation = result.explanation();
        if (explanation != null) {
            long fired = explanation.rules().stream().filter(Explanation.RuleOutcome::fired).count();
            out.append('\n').append("Explanation: ").append(explanation.rules().size()).append(" rules, ")
                    .append(fired).append(" fired\n");
            for (Explanation.RuleOutcome rule : explanation.rules()) {
                out.append(String.format(Locale.ROOT, "  %-18s %s%n", rule.ruleId(),
                        rule.fired() ? "FIRED " + rule.indicator() : "silent"));
                // definitions the evaluation did not need (a condition before them already decided) are left out
                for (Explanation.Input input : rule.inputs()) {
                    if (input.value() != null) {
                        out.append("      ").append(input.definition()).append(" = ").append(input.value()).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    static String ruleId(Card card) {
        return card.source() != null && card.source().topic() != null ? card.source().topic().code() : "";
    }

    private static String resource(String path) {
        try (InputStream in = Reports.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
