package org.alemcds.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.alemcds.cards.CardDefinitions;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * End to end over real HTTP: every sample request in {@code fhir-resources/examples/} is posted to the started
 * application, whose clock is fixed at the samples' planning date, and the cards are checked against
 * {@code expected-cards.json}. The manifest speaks of rules: a combined card (e.g. the course checklist) produces
 * each rule listed in its {@code extension} ("org.alemcds.rules").
 *
 * <p><b>Only rule IDs that have a card template in {@code fhir-resources/cards/*.json} are checked</b> (expected
 * cards and absent rule IDs alike): rules are implemented in parallel, and a rule without a template cannot emit a
 * card yet. The test therefore tightens by itself as each rule lands; {@link #reportsWhatIsNotCheckedYet} prints the
 * expectations still waiting for their rule.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleRequestsTest {

    static final Path EXAMPLES = Path.of("fhir-resources", "examples");
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The samples' planning date (the day the orders are signed) from the manifest, as the service clock. */
    @TestConfiguration
    static class PlanningDateClock {
        @Bean
        @Primary
        Clock planningDateClock() {
            LocalDate planningDate = LocalDate.parse(manifest().get("planningDate").asText());
            return Clock.fixed(planningDate.atTime(10, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CardDefinitions cardDefinitions;

    @Autowired
    FhirContext fhirContext;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static JsonNode manifest() {
        return read(EXAMPLES.resolve("expected-cards.json"));
    }

    static JsonNode read(Path path) {
        try {
            return MAPPER.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> requestFiles() {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".order-sign.json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void thereAreEnoughSamples() {
        assertThat(requestFiles()).hasSizeGreaterThanOrEqualTo(8);
    }

    private HttpResponse<String> post(String service, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services/" + service))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Set<String> implementedRules() {
        return cardDefinitions.all().keySet();
    }

    private record Returned(String id, String indicator) {}

    @TestFactory
    Stream<DynamicTest> eachSampleRequestProducesItsExpectedCards() {
        JsonNode requests = manifest().get("requests");
        String service = manifest().get("service").asText();
        return requestFiles().stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            JsonNode expectation = requests.get(file);
            assertThat(expectation).as("manifest entry for " + file).isNotNull();
            var response = post(service, Files.readString(EXAMPLES.resolve(file)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

            List<Returned> returned = new ArrayList<>();
            for (JsonNode card : MAPPER.readTree(response.body()).get("cards")) {
                // a card stands for every rule its extension lists (a combined card: with the card's indicator)
                for (JsonNode rule : card.at("/extension/org.alemcds.rules")) {
                    returned.add(new Returned(rule.asText(), card.get("indicator").asText()));
                }
                assertThat(card.at("/extension/org.alemcds.rules")).as("%s: every card lists its rules", file).isNotEmpty();
            }
            String got = returned.stream().map(r -> r.id() + " (" + r.indicator() + ")").collect(Collectors.joining(", "));
            Set<String> implemented = implementedRules();

            for (JsonNode card : expectation.get("expected")) {
                String id = card.get("id").asText();
                if (implemented.contains(id)) {
                    assertThat(returned)
                            .as("%s must produce %s (%s); got: %s", file, id, card.get("indicator").asText(), got)
                            .contains(new Returned(id, card.get("indicator").asText()));
                }
            }
            for (JsonNode absent : expectation.get("absent")) {
                String id = absent.asText();
                if (implemented.contains(id)) {
                    assertThat(returned).as("%s must not produce %s; got: %s", file, id, got)
                            .noneMatch(r -> r.id().equals(id));
                }
            }
        }));
    }

    @Test
    void everyRequestHasAManifestEntryAndABundle() {
        Set<String> inManifest = new TreeSet<>();
        manifest().get("requests").fieldNames().forEachRemaining(inManifest::add);
        assertThat(inManifest).containsExactlyElementsOf(requestFiles());
        for (String file : requestFiles()) {
            assertThat(EXAMPLES.resolve(file.replace(".order-sign.json", ".bundle.json"))).exists();
        }
    }

    @Test
    void requestsArePrefetchedExactlyLikeTheDiscoveryAsksAndMatchTheirBundles() throws Exception {
        var discovery = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode service = null;
        for (JsonNode s : MAPPER.readTree(discovery.body()).get("services")) {
            if (s.get("id").asText().equals(manifest().get("service").asText())) {
                service = s;
            }
        }
        assertThat(service).isNotNull();
        Set<String> discoveryKeys = new TreeSet<>();
        service.get("prefetch").fieldNames().forEachRemaining(discoveryKeys::add);

        // Strict parsing: unknown elements, bad values or wrong types in a sample fail here, not in the service.
        IParser strict = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        for (String file : requestFiles()) {
            JsonNode request = read(EXAMPLES.resolve(file));
            assertThat(request.get("hook").asText()).isEqualTo("order-sign");
            Set<String> keys = new TreeSet<>();
            request.get("prefetch").fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(file).isEqualTo(discoveryKeys);

            String patientId = request.at("/context/patientId").asText();
            Patient patient = strict.parseResource(Patient.class, request.at("/prefetch/patient").toString());
            assertThat(patient.getIdElement().getIdPart()).isEqualTo(patientId);

            Set<String> prefetched = new HashSet<>();
            prefetched.add("Patient/" + patientId);
            request.get("prefetch").fields().forEachRemaining(field -> {
                if (!field.getKey().equals("patient")) {
                    Bundle bundle = strict.parseResource(Bundle.class, field.getValue().toString());
                    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
                    bundle.getEntry().forEach(e -> prefetched.add(e.getResource().fhirType() + "/" + e.getResource().getIdPart()));
                }
            });
            Bundle drafts = strict.parseResource(Bundle.class, request.at("/context/draftOrders").toString());
            assertThat(drafts.getEntry()).as(file + " draft orders")
                    .anySatisfy(e -> assertThat(e.getResource().getIdPart()).endsWith("-draft-alemtuzumab"))
                    .allSatisfy(e -> assertThat(e.getResource()).hasFieldOrPropertyWithValue("status",
                            org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.DRAFT));

            Bundle record = strict.parseResource(Bundle.class,
                    Files.readString(EXAMPLES.resolve(file.replace(".order-sign.json", ".bundle.json"))));
            assertThat(record.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
            Set<String> inRecord = record.getEntry().stream()
                    .map(e -> e.getResource().fhirType() + "/" + e.getResource().getIdPart())
                    .collect(Collectors.toSet());
            assertThat(prefetched).as(file + ": prefetch = record").isEqualTo(inRecord);
        }
    }

    /** Prints, per sample, the expectations not checked yet because their rule has no card template. */
    @Test
    void reportsWhatIsNotCheckedYet() {
        Set<String> implemented = implementedRules();
        Set<String> pending = new TreeSet<>();
        manifest().get("requests").forEach(expectation -> {
            expectation.get("expected").forEach(c -> pending.add(c.get("id").asText()));
            expectation.get("absent").forEach(a -> pending.add(a.asText()));
        });
        pending.removeAll(implemented);
        System.out.println("[examples] rules checked: " + new TreeSet<>(implemented) + "; waiting for: " + pending);
        assertThat(pending).allMatch(id -> id.matches("[A-Z]+(-[A-Z0-9]+)+"));
    }
}
