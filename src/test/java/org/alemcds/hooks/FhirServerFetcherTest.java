package org.alemcds.hooks;

import static org.alemcds.testing.LoopbackFhirServer.json;
import static org.alemcds.testing.LoopbackFhirServer.outcome;
import static org.alemcds.testing.LoopbackFhirServer.searchset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alemcds.testing.LoopbackFhirServer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** The FHIR server fallback against a real HTTP server on loopback: paging, the token, and every way to fail. */
class FhirServerFetcherTest {

    private static final Duration CONNECT = Duration.ofMillis(500);
    private static final Duration READ = Duration.ofMillis(1000);
    private static final Duration TOTAL = Duration.ofMillis(2500);

    private final LoopbackFhirServer fhir = LoopbackFhirServer.start();
    private final FhirServerFetcher fetcher = new FhirServerFetcher(
            FhirContext.forR4Cached(), new CdsProperties.FhirClient(CONNECT, READ, TOTAL, false));

    /** The first HTTP exchange and FHIR parse of a JVM take a second or more; the timing tests measure warm calls. */
    @BeforeAll
    static void warmUp() {
        FhirContext.forR4Cached().newJsonParser().parseResource(searchset(null, observation("w")));
        try (LoopbackFhirServer warm = LoopbackFhirServer.start()) {
            warm.onJson("Observation", searchset(null, observation("w")));
            new FhirServerFetcher(FhirContext.forR4Cached(),
                    new CdsProperties.FhirClient(null, Duration.ofSeconds(60), Duration.ofSeconds(60), false))
                    .fetch(warm.baseUrl(), "t", Map.of("w", "Observation"));
        } catch (HookException e) {
            // a warm-up only
        }
    }

    @AfterEach
    void stop() {
        fhir.close();
    }

    private static String observation(String id) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/p1\"}}";
    }

    private static List<String> ids(List<IBaseResource> resources) {
        return resources.stream().map(r -> r.getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }

    private List<IBaseResource> fetch(String key, String query) {
        return fetcher.fetch(fhir.baseUrl(), "tok-123", Map.of(key, query));
    }

    /** Runs a fetch that must fail with a 412 and returns its message, asserting it came back in bounded time. */
    private String fails412Within(Duration bound, Runnable fetch) {
        long start = System.nanoTime();
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(fetch::run, HookException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown).as("a 412 HookException").isNotNull();
        assertThat(thrown.status()).isEqualTo(HttpStatus.PRECONDITION_FAILED);
        assertThat(took).as("time to fail").isLessThan(bound);
        return thrown.getMessage();
    }

    @Test
    void readsOneResourceWithTheBearerToken() {
        fhir.onJson("Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\"}");

        assertThat(ids(fetch("patient", "Patient/p1"))).containsExactly("Patient/p1");
        assertThat(fhir.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.authorization()).isEqualTo("Bearer tok-123");
        });
    }

    @Test
    void noTokenMeansNoAuthorizationHeader() {
        fhir.onJson("Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}");
        fetcher.fetch(fhir.baseUrl(), null, Map.of("patient", "Patient/p1"));
        assertThat(fhir.requests().get(0).authorization()).isNull();
    }

    @Test
    void followsNextLinksAcrossPagesWithTheTokenOnEveryPage() {
        String page2 = fhir.baseUrl() + "?_getpages=abc&_offset=2";
        String page3 = fhir.baseUrl() + "?_getpages=abc&_offset=4";
        fhir.onJson("Observation?patient=p1", searchset(page2, observation("o1"), observation("o2")))
                .onJson("?_getpages=abc&_offset=2", searchset(page3, observation("o3"), observation("o4")))
                .onJson("?_getpages=abc&_offset=4", searchset(null, observation("o5")));

        assertThat(ids(fetch("observations", "Observation?patient=p1")))
                .containsExactly("Observation/o1", "Observation/o2", "Observation/o3", "Observation/o4", "Observation/o5");
        assertThat(fhir.requests()).hasSize(3).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer tok-123"));
    }

    @Test
    void relativeNextLinksResolveAgainstThePage() {
        fhir.onJson("Observation?patient=p1", searchset("Observation?patient=p1&page=2", observation("o1")))
                .onJson("Observation?patient=p1&page=2", searchset(null, observation("o2")));
        assertThat(ids(fetch("observations", "Observation?patient=p1"))).containsExactly("Observation/o1", "Observation/o2");
    }

    @Test
    void aNextLinkToAnotherOriginIsRefusedAndGetsNoToken() {
        try (LoopbackFhirServer elsewhere = LoopbackFhirServer.start()) {
            elsewhere.onJson("steal", searchset(null, observation("o9")));
            fhir.onJson("Observation?patient=p1", searchset(elsewhere.baseUrl() + "/steal", observation("o1")));

            String message = fails412Within(Duration.ofSeconds(2), () -> fetch("observations", "Observation?patient=p1"));
            assertThat(message).contains("observations").contains("next link leaves the FHIR server");
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void searchOutcomeEntriesAreWarningsNotData() {
        fhir.onJson("Observation?patient=p1", searchset(null, observation("o1"), outcome("informational", "partial")));
        assertThat(ids(fetch("observations", "Observation?patient=p1"))).containsExactly("Observation/o1");
    }

    @Test
    void fetchesSeveralKeysInParallelWithinOneDeadline() {
        var patient = new FhirServerFetcher(FhirContext.forR4Cached(),
                new CdsProperties.FhirClient(CONNECT, Duration.ofSeconds(10), Duration.ofSeconds(20), false));
        var slow = Duration.ofMillis(1500);
        fhir.on("Patient/p1", LoopbackFhirServer.slow(slow, json(200, "{\"resourceType\":\"Patient\",\"id\":\"p1\"}")))
                .on("Observation?patient=p1", LoopbackFhirServer.slow(slow, json(200, searchset(null, observation("o1")))))
                .on("Condition?patient=p1", LoopbackFhirServer.slow(slow, json(200, searchset(null))));
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("patient", "Patient/p1");
        queries.put("observations", "Observation?patient=p1");
        queries.put("conditions", "Condition?patient=p1");

        long start = System.nanoTime();
        var resources = patient.fetch(fhir.baseUrl(), "tok-123", queries);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(ids(resources)).containsExactlyInAnyOrder("Patient/p1", "Observation/o1");
        assertThat(tookMs).as("three 1.5 s answers fetched in parallel, not one after the other").isLessThan(4000);
    }

    @Test
    void serverDownIs412Quickly() {
        String message = fails412Within(Duration.ofSeconds(2),
                () -> fetcher.fetch(LoopbackFhirServer.deadServerUrl(), "tok", Map.of("patient", "Patient/p1")));
        assertThat(message).contains("'patient' (Patient/p1)").contains("connection refused");
    }

    @Test
    void aServerSlowerThanTheReadTimeoutIs412WithinTheTimeout() {
        fhir.on("Patient/p1", LoopbackFhirServer.slow(Duration.ofSeconds(10), json(200, "{\"resourceType\":\"Patient\"}")));
        String message = fails412Within(READ.plusMillis(3000), () -> fetch("patient", "Patient/p1"));
        assertThat(message).contains("'patient'").contains("no answer within 1 s");
    }

    @Test
    void aBodyTrickledSlowerThanTheReadTimeoutIs412WithinTheTimeout() {
        // headers at once, then one byte every 100 ms: each read is quick, the whole answer is not
        fhir.on("Patient/p1", LoopbackFhirServer.trickle(Duration.ofMillis(100),
                "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\"}"));
        fails412Within(READ.plusMillis(3000), () -> fetch("patient", "Patient/p1"));
    }

    @Test
    void endlessPagingStopsAtTheTotalDeadline() {
        // every page points to another page that answers after 300 ms: only the total deadline stops it
        for (int i = 0; i < 20; i++) {
            fhir.on(i == 0 ? "Observation?patient=p1" : "Observation?patient=p1&page=" + i, LoopbackFhirServer.slow(
                    Duration.ofMillis(300), json(200, searchset("Observation?patient=p1&page=" + (i + 1), observation("o" + i)))));
        }
        String message = fails412Within(TOTAL.plusMillis(3000), () -> fetch("observations", "Observation?patient=p1"));
        assertThat(message).contains("no complete answer within 2500 ms");
    }

    @Test
    void garbageIs412() {
        fhir.on("Patient/p1", LoopbackFhirServer.withContentType("text/html", "<html><body>Login</body></html>"));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("patient", "Patient/p1")))
                .contains("not FHIR R4 JSON");
    }

    @Test
    void truncatedJsonIs412() {
        fhir.onJson("Observation?patient=p1", searchset(null, observation("o1")).substring(0, 60));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("observations", "Observation?patient=p1")))
                .contains("not FHIR R4 JSON");
    }

    @Test
    void serverErrorIs412() {
        fhir.on("Patient/p1", json(500, outcome("exception", "database down")));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("patient", "Patient/p1"))).contains("HTTP 500");
    }

    @Test
    void aRefusedTokenIs412() {
        fhir.on("Patient/p1", json(401, outcome("security", "expired token")));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("patient", "Patient/p1"))).contains("HTTP 401");
    }

    @Test
    void anOperationOutcomeInsteadOfDataIs412() {
        fhir.onJson("Observation?patient=p1", outcome("too-costly", "query too broad"));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("observations", "Observation?patient=p1")))
                .contains("OperationOutcome");
    }

    @Test
    void redirectsAreNotFollowed() {
        fhir.on("Patient/p1", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://example.org/steal");
            exchange.sendResponseHeaders(302, -1);
        });
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("patient", "Patient/p1"))).contains("HTTP 302");
    }

    @Test
    void anotherFhirVersionIs412() {
        fhir.on("Patient/p1", LoopbackFhirServer.withContentType("application/fhir+json; fhirVersion=3.0",
                "{\"resourceType\":\"Patient\",\"id\":\"p1\"}"));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("patient", "Patient/p1"))).contains("FHIR 3.0");
    }

    @Test
    void aDstu2ResourceTypeIs412() {
        fhir.onJson("MedicationOrder?patient=p1", searchset(null, "{\"resourceType\":\"MedicationOrder\",\"id\":\"m1\"}"));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("orders", "MedicationOrder?patient=p1")))
                .contains("not FHIR R4 JSON");
    }

    @Test
    void everyFailedKeyIsNamed() {
        fhir.onJson("Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}")
                .on("Observation?patient=p1", json(503, ""));
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("patient", "Patient/p1");
        queries.put("observations", "Observation?patient=p1");
        queries.put("conditions", "Condition?patient=p1");
        String message = fails412Within(Duration.ofSeconds(2), () -> fetcher.fetch(fhir.baseUrl(), "t", queries));
        assertThat(message).doesNotContain("'patient'")
                .contains("'observations' (Observation?patient=p1): HTTP 503")
                .contains("'conditions' (Condition?patient=p1): HTTP 404");
    }

    @Test
    void theTokenNeverAppearsInTheMessage() {
        fhir.on("Patient/p1", json(500, ""));
        assertThat(fails412Within(Duration.ofSeconds(2), () -> fetch("patient", "Patient/p1"))).doesNotContain("tok-123");
    }

    @Test
    void aFhirServerThatIsNotHttpIs412() {
        assertThatThrownBy(() -> fetcher.fetch("file:///etc", "t", Map.of("patient", "Patient/p1")))
                .isInstanceOf(HookException.class).hasMessageContaining("not an http(s) URL");
    }

    @Test
    void httpsCanBeRequired() {
        var strict = new FhirServerFetcher(FhirContext.forR4Cached(), new CdsProperties.FhirClient(CONNECT, READ, TOTAL, true));
        assertThatThrownBy(() -> strict.fetch(fhir.baseUrl(), "t", Map.of("patient", "Patient/p1")))
                .isInstanceOf(HookException.class).hasMessageContaining("https");
        assertThat(fhir.requests()).isEmpty();
    }

    @Test
    void aClientNextLinkMustBeOnTheFhirServer() {
        fhir.onJson("Observation?patient=p1&page=2", searchset(null, observation("o2")));
        assertThat(ids(fetch("observations", fhir.baseUrl() + "/Observation?patient=p1&page=2")))
                .containsExactly("Observation/o2");
        assertThat(fails412Within(Duration.ofSeconds(2),
                () -> fetch("observations", "http://example.org/fhir/Observation?patient=p1&page=2")))
                .contains("not on the FHIR server");
    }
}
