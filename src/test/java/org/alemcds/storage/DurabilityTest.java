package org.alemcds.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.alemcds.operations.DataDirectoryInUse;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged feedback item is never lost. The real service runs as a separate JVM on a fresh data directory;
 * writers stream feedback items at it; the process is killed with SIGKILL mid-stream; then every item that was
 * answered 200 must be in the database file (read directly, as found after the crash) and known to the restarted
 * service on the same data directory; a second instance on that directory is refused in one line. Bounded: at most {@value #MAX_ITEMS} items, the kill after
 * {@value #KILL_AFTER_ACKS} acknowledgements or {@value #KILL_AFTER_SECONDS} s, the whole test 15 minutes.
 */
class DurabilityTest {

    static final int MAX_ITEMS = 5_000;
    static final int KILL_AFTER_ACKS = 200;
    static final int KILL_AFTER_SECONDS = 60;
    static final int WRITERS = 4;
    static final Duration STARTUP = Duration.ofSeconds(300);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyAcknowledgedFeedbackItemSurvivesSigkillAndRestart() throws Exception {
        Path dataDir = work.resolve("data"); // does not exist yet: the service creates it on first start
        Path dbFile = dataDir.resolve("alemcds.mv.db");

        // 1. first start on a fresh data directory; issue a card
        int port = ServiceProcess.freePort();
        Process app = start(dataDir, port, work.resolve("first.log"));
        String cardUuid;
        try {
            awaitReady(app, port, work.resolve("first.log"));
            assertThat(dbFile).as("database file created on first start").isRegularFile();
            cardUuid = issueCard(port);
        } catch (Throwable e) {
            app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw e;
        }

        phase("first start");
        // 2. stream feedback writes and SIGKILL the process mid-stream
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failedAfterKill = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Thread writer = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < MAX_ITEMS) {
                    try {
                        var response = post(port, "/cds-services/alemtuzumab-order-sign/feedback",
                                feedback(List.of(item(cardUuid, base, i))));
                        if (response.statusCode() == 200) {
                            acknowledged.add(i);
                        }
                    } catch (IOException e) {
                        failedAfterKill.incrementAndGet();
                        return; // the service is gone
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "feedback-writer-" + w);
            writer.start();
            writers.add(writer);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_AFTER_SECONDS);
        while (acknowledged.size() < KILL_AFTER_ACKS && System.nanoTime() < deadline && next.get() < MAX_ITEMS) {
            Thread.sleep(5);
        }
        ServiceProcess.sigkill(app); // no database close
        for (Thread writer : writers) {
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).isFalse();
        }
        Set<Integer> acked = new HashSet<>(acknowledged);
        assertThat(acked).as("items acknowledged before the kill").hasSizeGreaterThanOrEqualTo(20);
        System.out.printf("DurabilityTest: %d items acknowledged, %d sent, killed mid-stream%n", acked.size(), next.get());
        assertThat(failedAfterKill.get()).as("writers were still writing when the process died").isPositive();

        phase("stream and kill");
        // 3. the database file as the crash left it holds every acknowledged item
        Set<Integer> stored = new HashSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("alemcds"), "sa", "");
                Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT user_comment FROM feedback")) {
            while (rows.next()) {
                stored.add(Integer.parseInt(rows.getString(1).substring("durability ".length())));
            }
        }
        assertThat(stored).as("stored after SIGKILL").containsAll(acked);

        phase("direct check");
        // 4. restart on the same data directory: the service knows every acknowledged item (all are duplicates)
        int port2 = ServiceProcess.freePort();
        Process restarted = start(dataDir, port2, work.resolve("second.log"));
        try {
            awaitReady(restarted, port2, work.resolve("second.log"));
            List<Integer> all = new ArrayList<>(acked);
            for (int from = 0; from < all.size(); from += 500) {
                List<ObjectNode> items = all.subList(from, Math.min(all.size(), from + 500)).stream()
                        .map(i -> item(cardUuid, base, i))
                        .toList();
                var response = post(port2, "/cds-services/alemtuzumab-order-sign/feedback", feedback(items));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode result = mapper.readTree(response.body());
                assertThat(result.get("recorded").asInt()).as("acknowledged items missing after restart").isZero();
                assertThat(result.get("duplicates").asInt()).isEqualTo(items.size());
            }
            phase("restart and check");

            // 5. a second instance on the data directory in use: one clear line, a non-zero exit, no stack trace
            Path thirdLog = work.resolve("third.log");
            Process second = start(dataDir, ServiceProcess.freePort(), thirdLog);
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second instance gives up").isTrue();
            assertThat(second.exitValue()).isEqualTo(DataDirectoryInUse.EXIT_STATUS);
            List<String> output = Files.readAllLines(thirdLog).stream().filter(line -> !line.isBlank()).toList();
            assertThat(output).as(String.join("\n", output)).hasSize(1);
            assertThat(output.get(0)).contains("data directory " + dataDir.toAbsolutePath(), "in use", "--cds.data-dir");
            phase("second instance refused");
        } finally {
            restarted.destroy();
            if (!restarted.waitFor(60, TimeUnit.SECONDS)) {
                restarted.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private long phaseStart = System.nanoTime();

    /** Reports how long each phase took (the test is bounded; the numbers show where the time goes). */
    private void phase(String name) {
        long now = System.nanoTime();
        System.out.printf("DurabilityTest: %s took %d ms%n", name, (now - phaseStart) / 1_000_000);
        phaseStart = now;
    }

    /** The service on loopback with its data directory, warnings and errors only in its output. */
    private static Process start(Path dataDir, int port, Path log) throws IOException {
        return ServiceProcess.start(log, List.of(
                "--server.port=" + port,
                "--cds.data-dir=" + dataDir.toAbsolutePath(),
                "--logging.level.root=WARN"));
    }

    private void awaitReady(Process app, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new AssertionError("the service exited (" + app.exitValue() + "):\n" + ServiceProcess.tail(log));
            }
            try {
                if (get(port, "/cds-services").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the service did not start within " + STARTUP + ":\n" + ServiceProcess.tail(log));
    }

    private String issueCard(int port) throws Exception {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        var response = post(port, "/cds-services/alemtuzumab-order-sign", record.hookRequest("order-sign").toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode cards = mapper.readTree(response.body()).get("cards");
        assertThat(cards).isNotEmpty();
        return cards.get(0).get("uuid").asText();
    }

    private ObjectNode item(String cardUuid, Instant base, int i) {
        ObjectNode item = mapper.createObjectNode();
        item.put("card", cardUuid).put("outcome", "overridden");
        item.putObject("overrideReason").put("userComment", "durability " + i);
        item.put("outcomeTimestamp", base.plusSeconds(i).toString());
        return item;
    }

    private String feedback(List<ObjectNode> items) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode array = body.putArray("feedback");
        items.forEach(array::add);
        return body.toString();
    }

    private HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
