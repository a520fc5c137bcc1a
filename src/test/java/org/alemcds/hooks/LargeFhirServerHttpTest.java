package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.LoopbackFhirServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole service against a FHIR server that answers every query with valid 4 MB pages without end (a long-stay
 * patient's record, many times over): hook calls without prefetch are refused (412 over the byte budget, or 503 when
 * the service's fetch slots are taken), while discovery and a call that brings its prefetch keep being answered,
 * during the fetches and after them, and the heap keeps nothing of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LargeFhirServerHttpTest {

    /** Over-budget calls at once: twice the service's bound on concurrent fetches (cds.fhir-client, 4). */
    static final int CALLS = 8;
    /**
     * An upper bound for a loaded 2-core machine (a warm small order-sign takes tens of ms, seconds at a load of 15);
     * that the answers do not wait for the fetches is asserted by their coming while over-budget calls are open.
     */
    static final Duration PROMPT = Duration.ofSeconds(12);

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Discovery, then an order-sign that brings all its prefetch: each 200, and how long the slower one took. */
    private Duration otherRequestsAnswered(String smallOrderSign, String when) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> discovery =
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services")).GET());
        Duration discoveryTook = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        HttpResponse<String> sign = send(post("/cds-services/alemtuzumab-order-sign", smallOrderSign));
        Duration signTook = Duration.ofNanos(System.nanoTime() - start);

        assertThat(discovery.statusCode()).as("discovery " + when).isEqualTo(200);
        assertThat(sign.statusCode()).as("order-sign with prefetch " + when + ": " + sign.body()).isEqualTo(200);
        assertThat(sign.body()).as("order-sign with prefetch " + when).contains("\"cards\"");
        assertThat(discoveryTook).as("discovery " + when).isLessThan(PROMPT);
        assertThat(signTook).as("order-sign with prefetch " + when).isLessThan(PROMPT);
        return discoveryTook.compareTo(signTook) > 0 ? discoveryTook : signTook;
    }

    private static long heapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the least of a few: a collection may run while the pool threads wind down
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    @Test
    void refusesWhatItCannotHoldAndKeepsAnsweringOthersWithABoundedHeap() throws Exception {
        byte[] page = LargeFhirServerTest.observationPage(4 * 1024 * 1024, "Observation?patient=big1&page=2");
        FhirRecord small = FhirRecord.male("1985-02-03");
        small.condition("24700007", "Multiple sclerosis", "2015-01-01");
        small.draftAlemtuzumab("2026-12-01", 5);
        String smallOrderSign = small.hookRequest("order-sign").toString();
        ObjectNode bigView = small.hookRequest("patient-view");
        bigView.remove("prefetch");
        String overBudgetCall;

        try (LoopbackFhirServer fhir = LoopbackFhirServer.start()) {
            LoopbackFhirServer.Handler endless = exchange -> { // 4 MB in 64 KB parts over ~2.5 s: calls stay open
                exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
                exchange.sendResponseHeaders(200, page.length);
                for (int offset = 0; offset < page.length; offset += 64 * 1024) {
                    exchange.getResponseBody().write(page, offset, Math.min(64 * 1024, page.length - offset));
                    Thread.sleep(40);
                }
            };
            fhir.onAny(endless); // every query of every template, whatever its parameters, and every next page
            bigView.put("fhirServer", fhir.baseUrl());
            ((ObjectNode) bigView.get("context")).put("patientId", "big1");
            overBudgetCall = bigView.toString();

            for (int i = 0; i < 3; i++) { // warm: the first calls pay for class loading and compilation
                otherRequestsAnswered(smallOrderSign, "before the fetches");
            }
            long heapBefore = heapAfterGc();
            long started = System.nanoTime();

            ExecutorService clients = Executors.newFixedThreadPool(CALLS);
            List<Duration> during = new ArrayList<>();
            try {
                List<Future<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    calls.add(clients.submit(() -> send(post("/cds-services/alemtuzumab-patient-view", overBudgetCall))));
                }
                Thread.sleep(200); // the fetches under way
                while (calls.stream().anyMatch(call -> !call.isDone()) && during.size() < 5) {
                    Duration took = otherRequestsAnswered(smallOrderSign, "during the over-budget fetches");
                    if (calls.stream().anyMatch(call -> !call.isDone())) {
                        during.add(took); // answered while over-budget calls were still open, not after them
                    }
                }
                int refused = 0;
                for (Future<HttpResponse<String>> call : calls) {
                    HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).as(response.body()).isIn(412, 503);
                    if (response.statusCode() == 412) {
                        // over the byte budget, or (on a loaded machine) not all of it in time: both bounded
                        assertThat(response.body()).containsPattern("this service fetches for one call|within \\d+ s");
                        refused++;
                    } else {
                        assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    }
                }
                assertThat(refused).as("calls that fetched until refused with a 412").isPositive();
            } finally {
                clients.shutdownNow();
            }
            Duration fetchesTook = Duration.ofNanos(System.nanoTime() - started);
            Duration after = otherRequestsAnswered(smallOrderSign, "after the over-budget fetches");
            long retained = heapAfterGc() - heapBefore;
            System.out.printf("large FHIR server over HTTP: %d over-budget calls answered in %d ms; other requests "
                            + "answered during them in %s ms, after in %d ms; heap retained %d MB%n", CALLS,
                    fetchesTook.toMillis(), during.stream().map(Duration::toMillis).toList(), after.toMillis(),
                    retained >> 20);
            assertThat(during).as("other requests answered while over-budget calls were still open").isNotEmpty();
            assertThat(retained).as("heap retained after the calls").isLessThan(64L << 20);
        }
    }
}
