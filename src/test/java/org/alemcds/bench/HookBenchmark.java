package org.alemcds.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
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
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.alemcds.AlemtuzumabCdsApplication;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.HookRequest;
import org.alemcds.hooks.HookService;
import org.alemcds.hooks.PatientData;
import org.alemcds.hooks.PatientDataAssembler;
import org.alemcds.hooks.ReadFilter;
import org.alemcds.hooks.ServicePrefetch;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Latency and throughput of the order-sign service on a ~300-resource record, against the real HTTP server on
 * loopback (the Spring Boot application started in this JVM on a random port), and of the same call without HTTP
 * (the hook service, the data assembly and the CQL engine alone); then the patient-view service on the same record in
 * the monitoring window, in process and over HTTP.
 *
 * <p>Run with {@code mvn -q -B -Pbench verify} (see README "Performance"); it is not a test and never runs in the
 * test suite. Settings (system properties, pass them with {@code -Dbench.jvmArgs="-Xmx2g -Dbench.requests=5000"}):
 * {@code bench.warmup} (requests before measuring, default 500), {@code bench.requests} (measured sequential requests,
 * 2000), {@code bench.clients} (8), {@code bench.seconds} (duration of the concurrent run, 20),
 * {@code bench.profile} (true: afterwards run {@code bench.profileRequests} in-process evaluations under Java Flight
 * Recorder and print the hottest methods). Results are printed and written to {@code target/bench/results.md}.
 */
public final class HookBenchmark {

    static final String REQUEST = "/bench/Debora709_Mayer370-ms.order-sign.json";
    static final String SERVICE = "alemtuzumab-order-sign";
    /** The same record five months after a first course: patient-view in the monitoring window. */
    static final String PATIENT_VIEW_REQUEST = "/bench/Debora709_Mayer370-ms.patient-view.json";
    static final String PATIENT_VIEW_SERVICE = "alemtuzumab-patient-view";
    /** The planning date of the benchmark record (tools/examples.py). */
    static final LocalDate PLANNING_DATE = LocalDate.of(2026, 12, 1);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Fixes the service clock at the record's planning date, so the cards do not depend on the day of the run. Not
     * annotated: it is registered explicitly as a source, and component scanning of other tests must not find it.
     */
    static class PlanningDateClock {
        @Bean
        @Primary
        Clock benchmarkClock() {
            return Clock.fixed(PLANNING_DATE.atTime(10, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        }
    }

    /**
     * Latencies of one measurement, and the CPU time it cost per request: the calling thread's median for in-process
     * runs, the whole process's (server and client threads) average for HTTP runs. CPU time hardly depends on other
     * load on the machine, wall-clock latency does.
     */
    record Stats(String name, int n, double medianMs, double p90Ms, double p99Ms, double maxMs, double perSecond,
            double cpuMs) {
        static Stats of(String name, long[] nanos, double perSecond, double cpuMs) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Stats(name, sorted.length, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
                    ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), perSecond, cpuMs);
        }

        static long percentile(long[] sorted, double p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        static double ms(long nanos) {
            return nanos / 1_000_000.0;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f |", name, n, medianMs,
                    p90Ms, p99Ms, maxMs, perSecond, cpuMs);
        }
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 500);
        int requests = Integer.getInteger("bench.requests", 2000);
        int clients = Integer.getInteger("bench.clients", 8);
        int seconds = Integer.getInteger("bench.seconds", 20);
        boolean profile = Boolean.getBoolean("bench.profile");
        int profileRequests = Integer.getInteger("bench.profileRequests", 3000);

        String body = readRequest(REQUEST);
        JsonNode requestJson = MAPPER.readTree(body);
        String loadBefore = loadAverage();

        long start = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(
                        AlemtuzumabCdsApplication.class, PlanningDateClock.class)
                .web(WebApplicationType.SERVLET)
                // command-line arguments: they override application.yaml (default properties would not)
                .run("--server.port=0", "--server.address=127.0.0.1", "--logging.level.root=WARN");
        double startupSeconds = (System.nanoTime() - start) / 1e9;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/cds-services/" + SERVICE);

        List<Stats> results = new ArrayList<>();
        Map<String, String> facts = new HashMap<>();
        try {
            HookService hookService = context.getBean(HookService.class);
            PatientDataAssembler assembler = context.getBean(PatientDataAssembler.class);
            CqlRuleEngine engine = context.getBean(CqlRuleEngine.class);
            CdsProperties properties = context.getBean(CdsProperties.class);
            Clock clock = context.getBean(Clock.class);
            CdsProperties.Service service = properties.services().stream()
                    .filter(s -> s.id().equals(SERVICE)).findFirst().orElseThrow();

            // Sanity: the HTTP answer and the in-process answer carry the same cards.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> first = send(http, uri, body);
            if (first.statusCode() != 200) {
                throw new IllegalStateException("order-sign answered " + first.statusCode() + ": " + first.body());
            }
            JsonNode cards = MAPPER.readTree(first.body()).get("cards");
            facts.put("cards", cards.size() + " (" + topics(cards) + ")");
            PatientData data = assembler.atHand(HookRequest.from(requestJson), properties.prefetch());
            facts.put("resources", String.valueOf(data.bundle().getEntry().size()));
            Map<String, String> signTemplates = hookService.prefetchOf(service).required();
            ReadFilter signFilter = hookService.readFilter(service);
            facts.put("parsed", String.valueOf(assembler.atHand(HookRequest.from(requestJson), signTemplates, signFilter)
                    .bundle().getEntry().size()));
            facts.put("bytes", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));

            // 1. Without HTTP: the hook service (JSON tree → FHIR parsing → CQL → cards), then its parts.
            Supplier<Object> inProcess = () -> hookService.answer(service, HookRequest.from(parse(body)));
            Supplier<Object> parseOnly = () -> assembler.atHand(HookRequest.from(parse(body)), signTemplates, signFilter);
            Map<String, Object> parameters = Map.of(
                    "Decided Order Ids", data.decidedOrderIds(),
                    "Hook", "order-sign",
                    "Deployment Profile", properties.profile());
            Supplier<Object> cqlOnly = () -> engine.evaluate(service.library(), List.of("Cards"), data.bundle(),
                    data.patientId(), parameters, ZonedDateTime.now(clock));
            for (int i = 0; i < warmup; i++) {
                inProcess.get();
            }
            results.add(time("In process: hook service (JSON parse + FHIR parse + CQL + cards)", requests, inProcess, true));
            results.add(time("In process: JSON and FHIR parsing, data assembly only", requests, parseOnly, true));
            results.add(time("In process: CQL engine only (PreCourseChecks \"Cards\")", requests, cqlOnly, true));

            // 2. HTTP, one client, sequential requests on a kept-alive connection.
            for (int i = 0; i < warmup; i++) {
                send(http, uri, body);
            }
            results.add(time("**HTTP loopback, 1 client, sequential**", requests, () -> send(http, uri, body), false));
            // The floor under it: the same body to an unknown service id, refused with a 404 once the request-size
            // filter has read it (transport, Tomcat, filters, the failed call's audit row, an error response; no JSON
            // tree, FHIR or CQL).
            URI unknown = URI.create("http://127.0.0.1:" + port + "/cds-services/no-such-service");
            for (int i = 0; i < warmup; i++) {
                send(http, unknown, body, 404);
            }
            results.add(time("HTTP loopback, 1 client, same body to an unknown service id (404)",
                    requests, () -> send(http, unknown, body, 404), false));

            // 3. HTTP, N concurrent clients (one connection each) for a fixed time.
            results.add(concurrent(uri, body, clients, seconds));

            // 4. patient-view in the monitoring window: in process and over HTTP, one client.
            String viewBody = readRequest(PATIENT_VIEW_REQUEST);
            URI viewUri = URI.create("http://127.0.0.1:" + port + "/cds-services/" + PATIENT_VIEW_SERVICE);
            CdsProperties.Service viewService = properties.services().stream()
                    .filter(s -> s.id().equals(PATIENT_VIEW_SERVICE)).findFirst().orElseThrow();
            JsonNode viewCards = MAPPER.readTree(send(http, viewUri, viewBody).body()).get("cards");
            facts.put("patient-view cards", viewCards.size() + " (" + topics(viewCards) + ")");
            Supplier<Object> viewInProcess = () -> hookService.answer(viewService, HookRequest.from(parse(viewBody)));
            for (int i = 0; i < warmup; i++) {
                viewInProcess.get();
            }
            results.add(time("patient-view in process: hook service", requests, viewInProcess, true));
            for (int i = 0; i < warmup; i++) {
                send(http, viewUri, viewBody);
            }
            results.add(time("**patient-view HTTP loopback, 1 client, sequential** (treated, everything sent)", requests,
                    () -> send(http, viewUri, viewBody), false));

            // 5. patient-view of a never-treated patient (the order-sign record before its order), as an EHR
            // following discovery sends it: only the prefetch that decides whether alemtuzumab was ever given.
            ServicePrefetch viewPrefetch = hookService.prefetchOf(viewService);
            String neverTreatedBody = neverTreatedPatientView(requestJson, viewPrefetch.advertised().keySet());
            JsonNode neverTreatedCards = MAPPER.readTree(send(http, viewUri, neverTreatedBody).body()).get("cards");
            if (!neverTreatedCards.isEmpty()) {
                throw new IllegalStateException("patient-view of a never-treated patient gave cards: " + neverTreatedCards);
            }
            for (int i = 0; i < warmup; i++) {
                send(http, viewUri, neverTreatedBody);
            }
            results.add(time("**patient-view HTTP loopback, 1 client, sequential** (never treated, advertised prefetch)",
                    requests, () -> send(http, viewUri, neverTreatedBody), false));

            // What an EHR must produce per hook: every configured query before, the derived templates now.
            facts.put("prefetch volume", prefetchVolume(List.of(
                    new Volume("order-sign", requestJson, properties.prefetch().keySet(),
                            hookService.prefetchOf(service).advertised().keySet()),
                    new Volume("patient-view, treated (the rest fetched from fhirServer)", parse(viewBody),
                            properties.prefetch().keySet(), viewPrefetch.required().keySet()),
                    new Volume("patient-view, never treated", requestJson,
                            properties.prefetch().keySet(), viewPrefetch.advertised().keySet()))));

            if (profile) {
                facts.put("profile", profile(inProcess, profileRequests));
            }
        } finally {
            context.close();
        }
        String report = report(results, facts, startupSeconds, loadBefore, loadAverage(), requests, clients, seconds);
        System.out.println(report);
        Path out = Path.of("target", "bench", "results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** The order-sign request as a patient-view of the same (never treated) patient, with these prefetch keys only. */
    static String neverTreatedPatientView(JsonNode orderSign, java.util.Set<String> keys) {
        var request = (com.fasterxml.jackson.databind.node.ObjectNode) orderSign.deepCopy();
        request.put("hook", "patient-view");
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("context")).remove("draftOrders");
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("prefetch")).retain(keys);
        return request.toString();
    }

    /** One hook's prefetch: the request holding all of the patient's data, and the keys asked before and now. */
    record Volume(String hook, JsonNode request, java.util.Set<String> before, java.util.Set<String> now) {}

    /** Resources and compact JSON bytes of the prefetch values under each set of keys, as a Markdown table. */
    static String prefetchVolume(List<Volume> volumes) {
        StringBuilder out = new StringBuilder("| Prefetch an EHR produces | keys before | resources before | KB before"
                + " | keys now | resources now | KB now |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Volume v : volumes) {
            long[] before = volume(v.request(), v.before());
            long[] now = volume(v.request(), v.now());
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %d | %d | %.0f |%n", v.hook(), v.before().size(),
                    before[0], before[1] / 1024.0, v.now().size(), now[0], now[1] / 1024.0));
        }
        return out.toString();
    }

    private static long[] volume(JsonNode request, java.util.Set<String> keys) {
        long resources = 0;
        long bytes = 0;
        for (String key : keys) {
            JsonNode value = request.path("prefetch").get(key);
            if (value == null || value.isNull()) {
                continue;
            }
            bytes += value.toString().getBytes(StandardCharsets.UTF_8).length;
            resources += value.path("resourceType").asText().equals("Bundle") ? value.path("entry").size() : 1;
        }
        return new long[] {resources, bytes};
    }

    static String readRequest(String name) throws IOException {
        try (InputStream in = HookBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + name + "; run tools/examples.py");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads a request like the service's controller does (exact decimals). */
    static final com.fasterxml.jackson.databind.ObjectReader REQUEST_READER = MAPPER.reader()
            .with(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                    com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static JsonNode parse(String body) {
        try {
            return REQUEST_READER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String topics(JsonNode cards) {
        List<String> ids = new ArrayList<>();
        cards.forEach(c -> ids.add(c.at("/source/topic/code").asText() + " " + c.get("indicator").asText()));
        return String.join(", ", ids);
    }

    static HttpResponse<String> send(HttpClient http, URI uri, String body) {
        return send(http, uri, body, 200);
    }

    static HttpResponse<String> send(HttpClient http, URI uri, String body, int expectedStatus) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Sequential calls; CPU per call is this thread's median when in process, the process's average over HTTP. */
    static Stats time(String name, int n, Supplier<?> call, boolean inProcess) {
        long[] nanos = new long[n];
        long[] cpu = new long[n];
        long begin = System.nanoTime();
        long processCpu = processCpuNanos();
        for (int i = 0; i < n; i++) {
            long c = THREADS.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            call.get();
            nanos[i] = System.nanoTime() - t;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
        }
        double perSecond = n / ((System.nanoTime() - begin) / 1e9);
        Arrays.sort(cpu);
        double cpuMs = inProcess ? Stats.ms(cpu[n / 2]) : (processCpuNanos() - processCpu) / 1e6 / n;
        return Stats.of(name, nanos, perSecond, cpuMs);
    }

    static Stats concurrent(URI uri, String body, int clients, int seconds) throws InterruptedException {
        List<long[]> perClient = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong total = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int c = 0; c < clients; c++) {
            long[] buffer = new long[2_000_000 / clients];
            perClient.add(buffer);
            int index = c;
            Thread thread = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                send(http, uri, body); // open this client's connection
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = window[1];
                int i = 0;
                while (System.nanoTime() < end && i < buffer.length) {
                    long t = System.nanoTime();
                    try {
                        send(http, uri, body);
                        buffer[i++] = System.nanoTime() - t;
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }
                total.addAndGet(i);
                perClient.set(index, Arrays.copyOf(buffer, i));
            }, "bench-client-" + c);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        long processCpu = processCpuNanos();
        window[0] = System.nanoTime();
        window[1] = window[0] + seconds * 1_000_000_000L;
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).toArray();
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " failed requests in the concurrent run");
        }
        return Stats.of("HTTP loopback, " + clients + " concurrent clients, " + seconds + " s", all, total.get() / elapsed,
                (processCpuNanos() - processCpu) / 1e6 / Math.max(1, total.get()));
    }

    /** Runs the in-process call under Java Flight Recorder (method sampling every 1 ms) and aggregates the samples. */
    static String profile(Supplier<Object> call, int n) throws Exception {
        Path file = Path.of("target", "bench", "profile.jfr");
        Files.createDirectories(file.getParent());
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            for (int i = 0; i < n; i++) {
                call.get();
            }
            recording.stop();
            recording.dump(file);
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> area = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty() || frames.stream().noneMatch(f -> name(f).startsWith("org.alemcds"))) {
                continue; // samples of other threads (Tomcat idle, GC helpers …)
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            frames.stream().map(HookBenchmark::name).distinct().forEach(m -> inclusive.merge(m, 1, Integer::sum));
            area.merge(areaOf(frames), 1, Integer::sum);
        }
        int total = samples;
        StringBuilder out = new StringBuilder();
        out.append("JFR execution samples of ").append(n).append(" in-process order-sign evaluations: ")
                .append(total).append(" samples (").append(file).append(")\n\n");
        out.append("Where the time goes (first matching frame from the top of each stack):\n\n");
        out.append(top(area, total, 12));
        out.append("\nHottest methods, self time:\n\n").append(top(self, total, 15));
        out.append("\nHottest methods, inclusive (on the stack), outside java.*/jdk.*/sun.*:\n\n")
                .append(top(inclusive.entrySet().stream()
                        .filter(e -> !e.getKey().matches("(java|jdk|sun|kotlin)\\..*"))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), total, 25));
        return out.toString();
    }

    static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** A coarse attribution of one stack: the innermost frame that belongs to a known component. */
    static String areaOf(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("ca.uhn.fhir.parser") || type.startsWith("ca.uhn.fhir.context")) {
                return "HAPI FHIR parsing/model (ca.uhn.fhir.parser, .context)";
            }
            if (type.startsWith("com.fasterxml.jackson")) {
                return "Jackson JSON (request tree, re-serialisation for HAPI)";
            }
            if (type.startsWith("org.opencds.cqf.fhir.utility.repository")) {
                return "In-memory FHIR repository (cqf-fhir-utility)";
            }
            if (type.startsWith("org.opencds.cqf.fhir.cql.engine.retrieve")) {
                return "CQL retrieve (cqf-fhir-cql retrieve provider)";
            }
            if (type.startsWith("org.opencds.cqf.cql.engine.fhir")) {
                return "CQL FHIR model resolver (engine-fhir)";
            }
            if (type.startsWith("org.opencds.cqf.cql.engine")) {
                return "CQL engine (evaluation of ELM)";
            }
            if (type.startsWith("org.cqframework")) {
                return "CQL library manager / ELM (cqframework)";
            }
            if (type.startsWith("org.alemcds")) {
                return "Service code (org.alemcds)";
            }
        }
        return "Other";
    }

    static String top(Map<String, Integer> counts, int total, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .map(e -> String.format(Locale.ROOT, "| %5.1f %% | `%s` |", 100.0 * e.getValue() / total, e.getKey()))
                .collect(Collectors.joining("\n", "| share | method |\n|---:|---|\n", "\n"));
    }

    static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    static String machine() {
        String cpu = "unknown";
        String memory = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse(memory);
        } catch (IOException | RuntimeException e) {
            // not Linux: leave unknown
        }
        var runtime = ManagementFactory.getRuntimeMXBean();
        return "nproc " + Runtime.getRuntime().availableProcessors() + ", CPU " + cpu + ", memory " + memory
                + ", " + runtime.getVmName() + " " + runtime.getVmVersion() + ", heap max "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, JVM args " + runtime.getInputArguments();
    }

    static String report(List<Stats> results, Map<String, String> facts, double startupSeconds, String loadBefore,
            String loadAfter, int requests, int clients, int seconds) {
        StringBuilder out = new StringBuilder();
        out.append("Order-sign on the benchmark record (").append(REQUEST).append("): ")
                .append(facts.get("resources")).append(" resources (prefetch + draft orders), ")
                .append(facts.get("bytes")).append(" bytes, of which ").append(facts.get("parsed"))
                .append(" are parsed (read by some rule); answer: ").append(facts.get("cards")).append(" cards.\n")
                .append("Patient-view on the same record in the monitoring window (").append(PATIENT_VIEW_REQUEST)
                .append("): ").append(facts.get("patient-view cards")).append(" cards.\n\n");
        out.append("Commit: ").append(commit()).append(". Machine: ").append(machine()).append(".\n");
        out.append("Load average before / after: ").append(loadBefore).append(" / ").append(loadAfter)
                .append(". Application start (incl. CQL translation and warm-up): ")
                .append(String.format(Locale.ROOT, "%.1f s", startupSeconds)).append(".\n\n");
        out.append("| Measurement | n | median ms | p90 ms | p99 ms | max ms | requests/s | CPU ms/request |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        results.forEach(r -> out.append(r.row()).append('\n'));
        out.append('\n').append(facts.get("prefetch volume"));
        if (facts.containsKey("profile")) {
            out.append('\n').append(facts.get("profile"));
        }
        return out.toString();
    }
}
