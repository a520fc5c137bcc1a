package org.alemcds.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Load soak: 16 concurrent clients send a mix of real requests (the sample patients, the ~300-resource benchmark
 * record, order-select and patient-view calls) for 60 seconds over loopback HTTP. Every answer must be a 200 whose
 * cards (rule ID, indicator and summary; uuids ignored) are identical to the answer a single client got for the same
 * request before the run, and no request may fail.
 *
 * <p>An integration test ({@code *IT}): Maven's failsafe plugin runs it once in {@code mvn verify} (the CI command);
 * {@code mvn test} does not. {@code -Dsoak.seconds=…} and {@code -Dsoak.clients=…} change duration and concurrency,
 * e.g. {@code mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ConcurrentLoadIT
 * -Dsoak.seconds=10}.
 */
@Tag("soak")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentLoadIT {

    static final int SECONDS = Integer.getInteger("soak.seconds", 60);
    static final int CLIENTS = Integer.getInteger("soak.clients", 16);
    static final Path EXAMPLES = Path.of("fhir-resources", "examples");
    static final LocalDate PLANNING_DATE = LocalDate.of(2026, 12, 1);
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TestConfiguration
    static class PlanningDateClock {
        @Bean
        @Primary
        Clock soakClock() {
            return Clock.fixed(PLANNING_DATE.atTime(10, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        }
    }

    @LocalServerPort
    int port;

    record Call(String name, String service, String body) {}

    /** The requests of the mix: every sample, the benchmark record, and small calls of the three hooks. */
    static List<Call> calls() throws IOException {
        List<Call> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".order-sign.json")).sorted().toList()) {
                calls.add(new Call(file.getFileName().toString(), "alemtuzumab-order-sign", Files.readString(file)));
            }
        }
        try (InputStream in = ConcurrentLoadIT.class.getResourceAsStream("/bench/Debora709_Mayer370-ms.order-sign.json")) {
            calls.add(new Call("synthea-ms", "alemtuzumab-order-sign", new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.condition("426373005", "Relapsing remitting multiple sclerosis", "2019-05-01");
        record.draftAlemtuzumab("2026-12-07", 5);
        calls.add(new Call("small order-select", "alemtuzumab-order-select", record.hookRequest("order-select").toString()));
        record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2026-01-12");
        calls.add(new Call("small patient-view", "alemtuzumab-patient-view", record.hookRequest("patient-view").toString()));
        return calls;
    }

    HttpResponse<String> send(HttpClient http, Call call) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cds-services/" + call.service()))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(call.body()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's cards without uuids: one "ruleId | indicator | summary" line per card, sorted. */
    static String cardSet(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode();
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode card : MAPPER.readTree(response.body()).get("cards")) {
            lines.add(card.at("/source/topic/code").asText() + " | " + card.get("indicator").asText() + " | "
                    + card.get("summary").asText());
        }
        lines.sort(null);
        return String.join("\n", lines);
    }

    @Test
    void sixteenConcurrentClientsGetExactlyTheSingleClientAnswersWithoutErrors() throws Exception {
        List<Call> calls = calls();
        HttpClient single = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, String> baseline = new LinkedHashMap<>();
        for (Call call : calls) {
            HttpResponse<String> response = send(single, call);
            assertThat(response.statusCode()).as(call.name() + ": " + response.body()).isEqualTo(200);
            baseline.put(call.name(), cardSet(response));
        }

        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong requests = new AtomicLong();
        long[][] latencies = new long[CLIENTS][];
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1]; // set before the start signal; the latch publishes it
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long[] mine = new long[1 << 16];
                int n = 0;
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = client; System.nanoTime() < deadline[0] && n < mine.length; i++) {
                    Call call = calls.get(i % calls.size());
                    long start = System.nanoTime();
                    try {
                        String cards = cardSet(send(http, call));
                        mine[n++] = System.nanoTime() - start;
                        if (!cards.equals(baseline.get(call.name()))) {
                            errors.add(call.name() + " differs from the single-client answer:\n" + cards);
                        }
                    } catch (Exception e) {
                        errors.add(call.name() + ": " + e);
                    }
                    requests.incrementAndGet();
                }
                latencies[client] = Arrays.copyOf(mine, n);
            }, "soak-client-" + c);
            threads.add(thread);
            thread.start();
        }
        long start = System.nanoTime();
        deadline[0] = start + Duration.ofSeconds(SECONDS).toNanos();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(latencies).filter(a -> a != null).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("[soak] %d clients, %.1f s: %d requests (%.1f/s), %d errors; latency median %.1f ms, p99 %.1f ms%n",
                CLIENTS, seconds, requests.get(), requests.get() / seconds, errors.size(),
                all.length == 0 ? 0 : all[all.length / 2] / 1e6,
                all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6);

        assertThat(errors).as("errors (first 10): %s", errors.stream().limit(10).toList()).isEmpty();
        assertThat(requests.get()).as("requests sent").isGreaterThanOrEqualTo(CLIENTS);
        for (Call call : calls) {
            assertThat(cardSet(send(single, call))).as(call.name() + " after the run").isEqualTo(baseline.get(call.name()));
        }
    }
}
