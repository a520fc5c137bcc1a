package org.alemcds.cards;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.alemcds.testing.RuleHarness;

/**
 * The cards of the sample patients ({@code fhir-resources/examples/*.order-sign.json}) on their planning date and
 * profile (from {@code expected-cards.json}): each rule's own cards and the cards as the service answers them.
 * Evaluated once per test JVM.
 */
final class SampleCards {

    static final Path EXAMPLES = Path.of("fhir-resources", "examples");

    record Sample(String file, String title, List<Card> perRule, List<Card> answered) {}

    private static List<Sample> samples;

    private SampleCards() {}

    static synchronized List<Sample> all() {
        if (samples == null) {
            JsonNode manifest = read(EXAMPLES.resolve("expected-cards.json"));
            String today = manifest.get("planningDate").asText();
            String profile = manifest.get("profile").asText();
            List<Sample> list = new ArrayList<>();
            try (Stream<Path> files = Files.list(EXAMPLES)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".order-sign.json")).sorted().toList()) {
                    String name = file.getFileName().toString();
                    JsonNode request = read(file);
                    list.add(new Sample(name, manifest.at("/requests/" + name + "/title").asText(),
                            RuleHarness.call("order-sign", request, today, profile),
                            RuleHarness.answered("order-sign", request, today, profile)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            samples = List.copyOf(list);
        }
        return samples;
    }

    static JsonNode read(Path path) {
        try {
            return RuleHarness.MAPPER.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
