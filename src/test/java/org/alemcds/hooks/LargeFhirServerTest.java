package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.alemcds.testing.LoopbackFhirServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * The fallback fetch against a FHIR server on loopback that answers valid but large search bundles (a long-stay
 * patient's Observations): one byte budget per call, a bound on the fetches running at once, and a deadline that
 * covers parsing as well as fetching.
 */
class LargeFhirServerTest {

    private static final Duration CONNECT = Duration.ofMillis(500);
    private static final Duration READ = Duration.ofSeconds(5);

    private final LoopbackFhirServer fhir = LoopbackFhirServer.start();

    @AfterEach
    void stop() {
        fhir.close();
    }

    /** A valid searchset page of about {@code bytes} of Observations, with a next link when {@code next} is set. */
    static byte[] observationPage(int bytes, String next) {
        StringBuilder json = new StringBuilder(bytes + 1024).append("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"");
        if (next != null) {
            json.append(",\"link\":[{\"relation\":\"next\",\"url\":\"").append(next).append("\"}]");
        }
        json.append(",\"entry\":[");
        for (int i = 0; json.length() < bytes; i++) {
            json.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o").append(i)
                    .append("\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"777-3\"}]},")
                    .append("\"subject\":{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":\"2024-01-0")
                    .append(1 + i % 9).append("T10:00:00Z\",\"valueQuantity\":{\"value\":").append(150 + i % 300)
                    .append(",\"unit\":\"10*9/L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"10*9/L\"}}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static LoopbackFhirServer.Handler bytes(byte[] body) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        };
    }

    private static FhirServerFetcher fetcher(Duration total, DataSize budget, int concurrent, Duration queueWait) {
        return new FhirServerFetcher(FhirContext.forR4Cached(),
                new CdsProperties.FhirClient(CONNECT, READ, total, false, budget, concurrent, queueWait));
    }

    private static Map<String, String> keys(String... types) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (String type : types) {
            queries.put(type.toLowerCase() + "s", type + "?patient=p1");
        }
        return queries;
    }

    @Test
    void oneByteBudgetForAllKeysAndPagesIsA412NamingTheKey() {
        // three keys of endless 4 MB pages: 600 MB if read to the end, far over an 8 MB budget
        byte[] page = observationPage(4 * 1024 * 1024, "Observation?patient=p1&page=2");
        AtomicInteger pagesServed = new AtomicInteger();
        LoopbackFhirServer.Handler endless = exchange -> {
            pagesServed.incrementAndGet();
            bytes(page).handle(exchange);
        };
        fhir.on("Observation?patient=p1", endless).on("Observation?patient=p1&page=2", endless)
                .on("Condition?patient=p1", endless).on("Procedure?patient=p1", endless);
        var fetcher = fetcher(Duration.ofSeconds(20), DataSize.ofMegabytes(8), 4, Duration.ofSeconds(1));

        long start = System.nanoTime();
        HookException refused = catchThrowableOfType(
                () -> fetcher.fetch(fhir.baseUrl(), "t", keys("Observation", "Condition", "Procedure")), HookException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(HttpStatus.PRECONDITION_FAILED);
        assertThat(refused.getMessage()).containsPattern("'(observations|conditions|procedures)' \\(")
                .contains("more data than the 8 MB this service fetches for one call");
        assertThat(took).as("refused as the budget runs out, not at a deadline").isLessThan(Duration.ofSeconds(10));
        assertThat(pagesServed.get()).as("pages requested: the budget stops the reading").isLessThanOrEqualTo(6);
    }

    @Test
    void fetchesBeyondTheServiceWideBoundWaitBrieflyThenGet503WithRetryAfter() throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        fhir.on("Patient/p1", exchange -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                Thread.sleep(1500);
                LoopbackFhirServer.json(200, "{\"resourceType\":\"Patient\",\"id\":\"p1\"}").handle(exchange);
            } finally {
                open.decrementAndGet();
            }
        });
        var fetcher = fetcher(Duration.ofSeconds(5), DataSize.ofMegabytes(8), 2, Duration.ofMillis(200));
        ExecutorService calls = Executors.newFixedThreadPool(6);
        try {
            List<Future<Object>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(calls.submit(() -> {
                    long start = System.nanoTime();
                    try {
                        return fetcher.fetch(fhir.baseUrl(), "t", Map.of("patient", "Patient/p1"));
                    } catch (HookException e) {
                        return new Object[] {e, Duration.ofNanos(System.nanoTime() - start)};
                    }
                }));
            }
            int fetched = 0;
            int busy = 0;
            for (Future<Object> answer : answers) {
                Object result = answer.get();
                if (result instanceof List) {
                    fetched++;
                } else {
                    HookException e = (HookException) ((Object[]) result)[0];
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.retryAfter()).isPositive();
                    assertThat((Duration) ((Object[]) result)[1]).as("refused after a brief wait")
                            .isLessThan(Duration.ofMillis(1200));
                    busy++;
                }
            }
            assertThat(fetched).isEqualTo(2);
            assertThat(busy).isEqualTo(4);
            assertThat(mostOpen.get()).as("requests open at the FHIR server at once").isLessThanOrEqualTo(2);
        } finally {
            calls.shutdownNow();
        }
    }

    @Test
    void theTotalDeadlineCoversParsingAndParsingStopsWithTheCall() throws Exception {
        // three keys, each one valid 24 MB page: reading them is quick on loopback, parsing them is not
        byte[] page = observationPage(24 * 1024 * 1024, null);
        fhir.on("Observation?patient=p1", bytes(page)).on("Condition?patient=p1", bytes(page))
                .on("Procedure?patient=p1", bytes(page));
        Duration total = Duration.ofMillis(1500);
        var fetcher = fetcher(total, DataSize.ofMegabytes(512), 4, Duration.ofSeconds(1));
        var cpu = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        long start = System.nanoTime();
        HookException refused = catchThrowableOfType(
                () -> fetcher.fetch(fhir.baseUrl(), "t", keys("Observation", "Condition", "Procedure")), HookException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Thread.sleep(300); // the parse threads notice at their next entry
        long cpuBefore = cpu.getProcessCpuTime();
        Thread.sleep(1000);
        Duration cpuAfter = Duration.ofNanos(cpu.getProcessCpuTime() - cpuBefore);
        System.out.printf("deadline test: 412 after %d ms (total-timeout %d ms); CPU in the second after: %d ms%n",
                took.toMillis(), total.toMillis(), cpuAfter.toMillis());

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(HttpStatus.PRECONDITION_FAILED);
        assertThat(refused.getMessage()).contains("no complete answer within 1500 ms");
        assertThat(took).as("412 within the total timeout + 0.5 s").isLessThan(total.plusMillis(500));
        assertThat(fetcher.parsing()).as("responses still being parsed").isZero();
        assertThat(cpuAfter).as("CPU used in the second after the 412: parsing has stopped")
                .isLessThan(Duration.ofMillis(400));
    }
}
