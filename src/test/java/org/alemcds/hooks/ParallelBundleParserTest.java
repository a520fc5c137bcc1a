package org.alemcds.hooks;

import static org.alemcds.hooks.JsonTreeParserTest.FHIR;
import static org.alemcds.hooks.JsonTreeParserTest.REQUEST_READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelBundleParser} gives what HAPI gives from the whole text, whatever the number of threads: same
 * resources in the same order, same ids, and a malformed entry fails the parse with the first failure in entry order.
 */
class ParallelBundleParserTest {

    private static List<ObjectNode> realRequestResources() throws IOException {
        List<ObjectNode> trees = new ArrayList<>();
        for (String json : JsonTreeParserTest.resourcesOfRealRequests()) {
            trees.add((ObjectNode) REQUEST_READER.readTree(json));
        }
        return trees;
    }

    private static String encoded(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    private static ObjectNode observations(int count, int malformedAt) throws IOException {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String type = i == malformedAt ? "NoSuchType" + i : "Observation";
            entries.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"urn:uuid:00000000-0000-0000-0000-")
                    .append(String.format("%012d", i)).append("\",\"resource\":{\"resourceType\":\"").append(type)
                    .append("\",\"status\":\"final\",\"code\":{\"text\":\"o").append(i).append("\"}}}");
        }
        return (ObjectNode) REQUEST_READER.readTree(
                "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":" + count + ",\"entry\":[" + entries + "]}");
    }

    @Test
    void realRequestsParseAsHapiParsesTheirTextWithAnyNumberOfThreads() throws IOException {
        List<ObjectNode> trees = realRequestResources();
        assertThat(trees.stream().mapToInt(t -> t.path("entry").size()).max().orElse(0))
                .as("a bundle big enough to be parsed in parts")
                .isGreaterThan(4 * ParallelBundleParser.MIN_ENTRIES_PER_PART);
        for (int threads : new int[] {1, 2, 4}) {
            try (var parser = new ParallelBundleParser(FHIR, threads)) {
                List<Supplier<IBaseResource>> parsed = parser.parseAll(trees);
                for (int i = 0; i < trees.size(); i++) {
                    IBaseResource expected = FHIR.newJsonParser().parseResource(trees.get(i).toString());
                    IBaseResource actual = parsed.get(i).get();
                    assertThat(encoded(actual)).as("threads %d, resource %d", threads, i).isEqualTo(encoded(expected));
                    if (expected instanceof Bundle bundle) {
                        assertThat(((Bundle) actual).getEntry()).extracting(e -> e.getResource().getIdElement().getValue())
                                .containsExactlyElementsOf(
                                        bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getValue()).toList());
                    }
                }
            }
        }
    }

    @Test
    void partsAreSlicesOfTheEntriesInOrderWithTheBundlesOtherElements() throws IOException {
        ObjectNode bundle = observations(10, -1);
        List<ObjectNode> parts = ParallelBundleParser.split(bundle, 3);
        assertThat(parts).hasSize(4);
        List<Object> entries = new ArrayList<>();
        for (ObjectNode part : parts) {
            assertThat(part.fieldNames()).toIterable().containsExactly("resourceType", "type", "total", "entry");
            assertThat(part.get("total").asInt()).isEqualTo(10);
            assertThat(part.get("entry").size()).isBetween(2, 3);
            ((ArrayNode) part.get("entry")).forEach(entries::add);
        }
        assertThat(entries).containsExactlyElementsOf(bundle.get("entry"));
        assertThat(ParallelBundleParser.split(bundle, 10)).containsExactly(bundle);
    }

    @Test
    void aMalformedEntryFailsTheParseWithTheFirstFailureInEntryOrder() throws IOException {
        try (var parser = new ParallelBundleParser(FHIR, 4)) {
            ObjectNode late = observations(200, 190);
            assertThatThrownBy(() -> parser.parse(late)).isInstanceOf(DataFormatException.class);
            ObjectNode twoBad = observations(200, 10);
            ((ObjectNode) twoBad.get("entry").get(190).get("resource")).put("resourceType", "NoSuchType190");
            var sequential = new ParallelBundleParser(FHIR, 1);
            String firstFailure = catchMessage(() -> sequential.parse(twoBad));
            assertThat(catchMessage(() -> parser.parse(twoBad))).isEqualTo(firstFailure).contains("NoSuchType10");
        }
    }

    @Test
    void eachTreeHasItsOwnResultAndFailure() throws IOException {
        try (var parser = new ParallelBundleParser(FHIR, 2)) {
            List<Supplier<IBaseResource>> parsed = parser.parseAll(List.of(observations(100, -1), observations(100, 50)));
            assertThat(((Bundle) parsed.get(0).get()).getEntry()).hasSize(100);
            assertThatThrownBy(() -> parsed.get(1).get()).isInstanceOf(DataFormatException.class);
        }
    }

    @Test
    void concurrentCallsShareTheThreadsAndGetTheirOwnResults() throws Exception {
        ObjectNode bundle = observations(300, -1);
        String expected = encoded(FHIR.newJsonParser().parseResource(bundle.toString()));
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try (var parser = new ParallelBundleParser(FHIR, 2)) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                results.add(callers.submit(() -> encoded(parser.parse(bundle))));
            }
            for (Future<String> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static String catchMessage(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no failure");
    }
}
