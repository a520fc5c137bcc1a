package org.alemcds.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The governance report over a million issued cards in 30 days up to now (generated here with batched
 * INSERT … SELECT on the embedded H2 database), over real HTTP: each report, two at once included, within 1 s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GovernanceAtScaleTest {

    /** A database of its own (under target/): the other tests share one and issue real cards in the same 30 days. */
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")).toAbsolutePath(), "governance-scale");
        registry.add("cds.data-dir", dir::toString);
    }

    static final int CARDS = 1_000_000;
    static final int CARDS_PER_CALL = 100;
    static final int BATCH = 100_000;
    static final int RULES = 40;
    /** Every 50th card has feedback: overridden when its number is odd, else accepted. */
    static final int FEEDBACK_EVERY = 50;
    static final Duration BOUND = Duration.ofSeconds(1);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    /** The governance report needs its own token (src/test/resources/config/application.yaml). */
    @Value("${cds.security.governance.token}")
    String governanceToken;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    /** Cards spread evenly over [start, start + 30 days), one call per 100 cards. */
    private void generate(Instant start) {
        var at = start.atOffset(ZoneOffset.UTC);
        long stepMicros = Duration.ofDays(30).toNanos() / 1000 / CARDS;
        jdbc.sql("""
                        INSERT INTO hook_call (id, called_at, service_id, hook_instance, patient_key, http_status,
                                               error_class, latency_micros, card_count)
                        SELECT 1000000 + X, DATEADD('MICROSECOND', X * ? * ?, CAST(? AS TIMESTAMP WITH TIME ZONE)),
                               'alemtuzumab-order-sign', NULL, NULL, 200, NULL, 1000, ?
                        FROM SYSTEM_RANGE(0, ?)""")
                .params(CARDS_PER_CALL, stepMicros, at, CARDS_PER_CALL, CARDS / CARDS_PER_CALL - 1)
                .update();
        for (int from = 0; from < CARDS; from += BATCH) {
            jdbc.sql("""
                            INSERT INTO issued_card (card_uuid, hook_call_id, rule_id, indicator, issued_at)
                            SELECT 'gen-' || LPAD(CAST(X AS VARCHAR), 12, '0'), 1000000 + X / ?, 'RULE-' || MOD(X, ?),
                                   'warning', DATEADD('MICROSECOND', X * ?, CAST(? AS TIMESTAMP WITH TIME ZONE))
                            FROM SYSTEM_RANGE(?, ?)""")
                    .params(CARDS_PER_CALL, RULES, stepMicros, at, from, from + BATCH - 1)
                    .update();
        }
        jdbc.sql("""
                        INSERT INTO feedback (item_key, card_uuid, outcome, outcome_at, reason_system, reason_code,
                                              received_at, rule_id, card_issued_at)
                        SELECT 'gen-' || X, c.card_uuid, CASE WHEN MOD(X / ?, 2) = 1 THEN 'overridden' ELSE 'accepted' END,
                               c.issued_at, CASE WHEN MOD(X / ?, 2) = 1 THEN 'http://example.org/reasons' END,
                               CASE WHEN MOD(X / ?, 2) = 1 THEN 'not-applicable' END, c.issued_at, c.rule_id, c.issued_at
                        FROM SYSTEM_RANGE(0, ?) JOIN issued_card c ON c.card_uuid = 'gen-' || LPAD(CAST(X AS VARCHAR), 12, '0')
                        WHERE MOD(X, ?) = 0""")
                .params(FEEDBACK_EVERY, FEEDBACK_EVERY, FEEDBACK_EVERY, CARDS - 1, FEEDBACK_EVERY)
                .update();
    }

    private record Report(JsonNode body, Duration took) {}

    /** The 30-day report [from, from + 30 days). */
    private Report report(Instant from) throws Exception {
        String query = "?from=" + from + "&to=" + from.plus(30, ChronoUnit.DAYS);
        long start = System.nanoTime();
        var response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/governance/override-rates" + query))
                        .header("Authorization", "Bearer " + governanceToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).isEqualTo(200);
        return new Report(mapper.readTree(response.body()), took);
    }

    private static long total(JsonNode body, String field) {
        long sum = 0;
        for (JsonNode rule : body.get("rules")) {
            sum += rule.get(field).asLong();
        }
        return sum;
    }

    @Test
    void aThirtyDayReportOverAMillionCardsTakesAtMostOneSecondTwoAtOnceIncluded() throws Exception {
        // the cards fill the 30 days up to now (today is counted from the cards, the days before from day counts)
        Instant start = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        long generating = System.nanoTime();
        generate(start);
        System.out.printf("governance at scale: %d cards generated in %d ms%n",
                CARDS, (System.nanoTime() - generating) / 1_000_000);

        Report first = report(start); // counts each whole past day once
        List<Duration> timings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            timings.add(report(start).took());
        }
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<Report>> together = List.of(two.submit(() -> report(start)), two.submit(() -> report(start)));
            for (Future<Report> report : together) {
                timings.add(report.get().took());
                assertThat(total(report.get().body(), "issued")).isEqualTo(total(first.body(), "issued"));
            }
        } finally {
            two.shutdownNow();
        }
        System.out.printf("governance at scale: first report %d ms (counts the past days), then %s ms%n",
                first.took().toMillis(), timings.stream().map(Duration::toMillis).toList());

        long issued = total(first.body(), "issued");
        assertThat(issued).as("cards in the 30 days").isEqualTo(CARDS);
        assertThat(total(first.body(), "overridden") + total(first.body(), "accepted")).isEqualTo(CARDS / FEEDBACK_EVERY);
        assertThat(first.body().get("rules")).hasSize(RULES);
        assertThat(timings).allSatisfy(took -> assertThat(took).isLessThanOrEqualTo(BOUND));
    }
}
