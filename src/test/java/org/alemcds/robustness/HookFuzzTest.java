package org.alemcds.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Robustness of the hook endpoints over real HTTP on loopback: at least 10,000 generated malformed and hostile
 * requests (broken JSON, wrong types, deep nesting, huge strings, invalid or odd FHIR in prefetch and draftOrders,
 * wrong hooks, services, methods and media types, hostile ids and FHIR server URLs). None may be answered with a
 * 5xx or hang (per-request timeout); afterwards the service must still answer a valid request exactly as before.
 *
 * <p>Deterministic by default; {@code -Dfuzz.seed=…} replays another sequence, {@code -Dfuzz.requests=…} changes
 * the count. Bodies are small except a handful of multi-megabyte ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level.ca.uhn.fhir.parser.LenientErrorHandler=ERROR") // thousands of expected warnings
class HookFuzzTest {

    static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    static final long SEED = Long.getLong("fuzz.seed", 20261207L);
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final int THREADS = 4;
    static final String[] SERVICES = {"alemtuzumab-order-sign", "alemtuzumab-order-select", "alemtuzumab-patient-view"};

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One generated request. */
    record Case(String kind, String method, String path, String contentType, byte[] body) {
        String describe() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return kind + " " + method + " " + path + " [" + contentType + "] " + (body == null ? 0 : body.length)
                    + " bytes: " + text.replaceAll("\\s+", " ");
        }
    }

    // ---- valid requests the generators start from ------------------------------------------------------------

    /** A woman without an HIV test: the valid answer contains the critical CI-HIV card. */
    static FhirRecord recordWithoutHivTest() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.condition("426373005", "Relapsing remitting multiple sclerosis", "2019-05-01");
        record.observation("731-0", 1.9, "10*3/uL", "2026-11-20");
        record.draftAlemtuzumab("2026-12-07", 5);
        return record;
    }

    static FhirRecord recordWithHivTest() {
        FhirRecord record = recordWithoutHivTest();
        record.observation("56888-1", "negative", "2026-11-10");
        record.statement(FhirRecord.rxnorm("1373478", "dimethyl fumarate"), "completed", "2021-01-01", "2026-10-01");
        record.allergy(FhirRecord.text("penicillin"));
        return record;
    }

    List<ObjectNode> bases() {
        List<ObjectNode> bases = new ArrayList<>();
        bases.add(recordWithoutHivTest().hookRequest("order-sign"));
        bases.add(recordWithHivTest().hookRequest("order-sign"));
        bases.add(recordWithHivTest().hookRequest("order-select"));
        bases.add(recordWithHivTest().hookRequest("patient-view"));
        return bases;
    }

    static String serviceFor(String hook) {
        return "alemtuzumab-" + hook;
    }

    // ---- the test ----------------------------------------------------------------------------------------------

    @Test
    void malformedAndHostileRequestsNeverCause5xxOrHangs() throws Exception {
        List<ObjectNode> bases = bases();
        ObjectNode valid = bases.get(0);
        String before = cardsOf(post(serviceFor("order-sign"), valid.toString()));
        assertThat(before).contains("CI-HIV critical");

        Generator generator = new Generator(new Random(SEED), bases, port);
        List<Case> cases = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            cases.add(generator.next());
        }

        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> kinds = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (Case c : cases) {
            pool.submit(() -> {
                kinds.computeIfAbsent(c.kind(), k -> new AtomicInteger()).incrementAndGet();
                try {
                    HttpResponse<String> response = send(c);
                    statuses.computeIfAbsent(String.valueOf(response.statusCode()), k -> new AtomicInteger())
                            .incrementAndGet();
                    String problem = check(response);
                    if (problem != null) {
                        failures.add(problem + " ← " + c.describe());
                    }
                } catch (HttpTimeoutException e) {
                    failures.add("no answer within " + TIMEOUT.toSeconds() + " s ← " + c.describe());
                } catch (IOException e) {
                    statuses.computeIfAbsent("connection closed", k -> new AtomicInteger()).incrementAndGet();
                    if (!c.kind().startsWith("http-")) {
                        failures.add("I/O error " + e + " ← " + c.describe());
                    }
                } catch (Exception e) {
                    failures.add("client error " + e + " ← " + c.describe());
                }
                int done = sent.incrementAndGet();
                if (done % 2000 == 0) {
                    System.out.printf("[fuzz] %d requests: %.1f s, JVM CPU %.1f s%n", done,
                            (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpuStart) / 1e9);
                }
            });
        }
        pool.shutdown();
        boolean finished = pool.awaitTermination(5, TimeUnit.MINUTES);
        pool.shutdownNow();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[fuzz] seed %d: %d requests in %.1f s (JVM CPU %.1f s, load average %s); statuses %s; kinds %s%n",
                SEED, sent.get(), seconds, (processCpuNanos() - cpuStart) / 1e9, loadAverage(), new TreeMap<>(statuses),
                new TreeMap<>(kinds));

        assertThat(failures).as("failures (first 25): %s", failures.stream().limit(25).toList()).isEmpty();
        assertThat(finished).as("fuzz run finished within 5 minutes").isTrue();
        assertThat(sent.get()).isGreaterThanOrEqualTo(Math.min(REQUESTS, 10_000));

        // The service still answers a valid request, with exactly the same cards.
        assertThat(cardsOf(post(serviceFor("order-sign"), valid.toString()))).isEqualTo(before);
    }

    /** Hostile requests the fuzzing found, each answered precisely (regression tests). */
    @Test
    void knownHostileRequestsGetPreciseAnswers() throws Exception {
        ObjectNode valid = recordWithoutHivTest().hookRequest("order-sign");
        byte[] body = valid.toString().getBytes(StandardCharsets.UTF_8);
        String service = "/cds-services/alemtuzumab-order-sign";

        // Any Content-Type, even a wildcard or a form type, is read as the JSON it is.
        for (String type : new String[] {"*/*", "application/x-www-form-urlencoded", "text/plain; charset=bogus"}) {
            var response = send(new Case("type", "POST", service, type, body));
            assertThat(response.statusCode()).as(type).isEqualTo(200);
        }
        // Spring Boot's error endpoint answers a direct request with a 500: ours is a 404 OperationOutcome.
        for (String method : new String[] {"GET", "POST"}) {
            var error = send(new Case("error", method, "/error", "application/json", body));
            assertThat(error.statusCode()).isEqualTo(404);
            assertThat(error.body()).contains("OperationOutcome");
        }
        // UTF-16 JSON is detected.
        assertThat(send(new Case("utf16", "POST", service, "application/json",
                valid.toString().getBytes(StandardCharsets.UTF_16))).statusCode()).isEqualTo(200);
        // Content after the JSON value.
        assertThat(send(new Case("trailing", "POST", service, "application/json",
                (valid + " {}").getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(400);

        // A bundle entry whose resource is a string (HAPI fails with a NullPointerException).
        ObjectNode stringEntry = valid.deepCopy();
        ((ObjectNode) stringEntry.at("/context/draftOrders/entry/0")).put("resource", "MedicationRequest/1");
        assertThat(send(new Case("entry", "POST", service, "application/json",
                stringEntry.toString().getBytes(StandardCharsets.UTF_8))))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
                .satisfies(r -> assertThat(r.body()).contains("context.draftOrders is not a valid FHIR R4 resource"));

        // A subject given by display only: the patient compartment cannot match it.
        ObjectNode logical = recordWithHivTest().hookRequest("order-sign");
        Generator.observationOf(logical).putObject("subject").put("display", "Jane Doe");
        assertThat(send(new Case("subject", "POST", service, "application/json",
                logical.toString().getBytes(StandardCharsets.UTF_8))))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
                .satisfies(r -> assertThat(r.body()).contains("'subject' has no literal reference"));

        // A Period ending before it starts (FHIR per-1), met by the CQL.
        ObjectNode inverted = recordWithHivTest().hookRequest("order-sign");
        ((ObjectNode) inverted.at("/context/draftOrders/entry/0/resource/dosageInstruction/0/timing/repeat/boundsPeriod"))
                .put("start", "2027-01-01").put("end", "2020-01-01");
        assertThat(send(new Case("period", "POST", service, "application/json",
                inverted.toString().getBytes(StandardCharsets.UTF_8))))
                .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
                .satisfies(r -> assertThat(r.body()).contains("per-1").contains("2020-01-01"));
    }

    /** A problem with the answer, or null when it is acceptable. */
    static String check(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500) {
            return "HTTP " + status + " " + abbreviate(response.body());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        try {
            if (status == 200 && type.startsWith("application/json")) {
                JsonNode body = MAPPER.readTree(response.body());
                if (body.has("cards") && !body.get("cards").isArray()) {
                    return "200 without a cards array";
                }
            } else if (status >= 400 && type.startsWith("application/fhir+json")) {
                JsonNode body = MAPPER.readTree(response.body());
                if (!"OperationOutcome".equals(body.path("resourceType").asText())) {
                    return "error without an OperationOutcome: " + abbreviate(response.body());
                }
            }
        } catch (IOException e) {
            return "HTTP " + status + " with an unreadable body: " + abbreviate(response.body());
        }
        return null;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    HttpResponse<String> send(Case c) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path()))
                .timeout(TIMEOUT);
        if (c.contentType() != null) {
            builder.header("Content-Type", c.contentType());
        }
        HttpRequest.BodyPublisher body = c.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(c.body());
        builder.method(c.method(), body);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String service, String body) throws IOException, InterruptedException {
        return send(new Case("valid", "POST", "/cds-services/" + service, "application/json",
                body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The answer's cards as sorted "ruleId indicator summary" lines (uuids ignored). */
    static String cardsOf(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        for (JsonNode card : MAPPER.readTree(response.body()).get("cards")) {
            lines.add(card.at("/source/topic/code").asText() + " " + card.get("indicator").asText() + " "
                    + card.get("summary").asText());
        }
        lines.sort(null);
        return String.join("\n", lines);
    }

    // ---- request generation ------------------------------------------------------------------------------------

    static final class Generator {
        private final Random random;
        private final List<ObjectNode> bases;
        private final int port;
        private final List<Map.Entry<Integer, Supplier<Case>>> weighted = new ArrayList<>();
        private int totalWeight;
        private int huge;

        Generator(Random random, List<ObjectNode> bases, int port) {
            this.random = random;
            this.bases = bases;
            this.port = port;
            // Weights: about a fifth of the requests are evaluated by the CQL (the costly part, which grows with the
            // rules); the others are refused while being read.
            add(17, this::truncated);
            add(17, this::corrupted);
            add(8, this::randomJson);
            add(22, this::mutatedTree);
            add(6, this::wrongHook);
            add(2, this::deepNesting);
            add(6, this::hostileValues);
            add(8, this::httpLevel);
            add(14, this::oddFhir);
        }

        private void add(int weight, Supplier<Case> generator) {
            totalWeight += weight;
            weighted.add(Map.entry(totalWeight, generator));
        }

        Case next() {
            // A handful of multi-megabyte bodies, spread over the run.
            if (huge < 6 && random.nextInt(1500) == 0) {
                huge++;
                return hugeStrings();
            }
            int pick = random.nextInt(totalWeight);
            for (var entry : weighted) {
                if (pick < entry.getKey()) {
                    return entry.getValue().get();
                }
            }
            throw new IllegalStateException();
        }

        private ObjectNode base() {
            return bases.get(random.nextInt(bases.size())).deepCopy();
        }

        private Case post(String kind, ObjectNode request) {
            String hook = request.path("hook").asText("order-sign");
            boolean known = List.of("order-sign", "order-select", "patient-view").contains(hook);
            String service = !known || random.nextInt(10) == 0 ? SERVICES[random.nextInt(SERVICES.length)] : serviceFor(hook);
            return new Case(kind, "POST", "/cds-services/" + service, "application/json",
                    request.toString().getBytes(StandardCharsets.UTF_8));
        }

        private Case postBytes(String kind, byte[] body) {
            return new Case(kind, "POST", "/cds-services/" + SERVICES[random.nextInt(SERVICES.length)],
                    "application/json", body);
        }

        Case truncated() {
            byte[] body = base().toString().getBytes(StandardCharsets.UTF_8);
            return postBytes("truncated", java.util.Arrays.copyOf(body, random.nextInt(body.length)));
        }

        Case corrupted() {
            byte[] body = base().toString().getBytes(StandardCharsets.UTF_8);
            int changes = 1 + random.nextInt(8);
            byte[] hostile = "{}[]\":,\\\u0000\u001f0-e.tfn".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < changes; i++) {
                int at = random.nextInt(body.length);
                body[at] = random.nextBoolean() ? hostile[random.nextInt(hostile.length)] : (byte) random.nextInt(256);
            }
            return postBytes("corrupted", body);
        }

        Case randomJson() {
            return postBytes("random-json", randomValue(4).toString().getBytes(StandardCharsets.UTF_8));
        }

        JsonNode randomValue(int depth) {
            int kind = random.nextInt(depth <= 0 ? 7 : 9);
            return switch (kind) {
                case 0 -> NODES.nullNode();
                case 1 -> NODES.booleanNode(random.nextBoolean());
                case 2 -> NODES.numberNode(random.nextInt());
                case 3 -> NODES.numberNode(switch (random.nextInt(5)) {
                    case 0 -> Double.MAX_VALUE;
                    case 1 -> -0.0;
                    case 2 -> 1e-300;
                    case 3 -> Long.MIN_VALUE;
                    default -> random.nextDouble() * 1e6;
                });
                case 4 -> NODES.numberNode(new java.math.BigDecimal("1e" + (random.nextInt(400) - 200)));
                case 5 -> NODES.textNode(randomText());
                case 6 -> NODES.textNode(pick("", " ", "Patient/", "2026-13-45", "order-sign", "draft", "null",
                        "{{context.patientId}}", "http://127.0.0.1:1/fhir", "\u0000", "Bundle", "Observation"));
                case 7 -> {
                    ArrayNode array = NODES.arrayNode();
                    int n = random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        array.add(randomValue(depth - 1));
                    }
                    yield array;
                }
                default -> {
                    ObjectNode object = NODES.objectNode();
                    int n = random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        object.set(pick("resourceType", "id", "hook", "context", "prefetch", "entry", "resource",
                                "status", "value", randomText()), randomValue(depth - 1));
                    }
                    yield object;
                }
            };
        }

        String randomText() {
            int length = random.nextInt(24);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(switch (random.nextInt(4)) {
                    case 0 -> 'a' + random.nextInt(26);
                    case 1 -> random.nextInt(0x20);
                    case 2 -> 0x202e + random.nextInt(3);
                    default -> 0x1f600 + random.nextInt(50);
                });
            }
            return text.toString();
        }

        @SafeVarargs
        final <T> T pick(T... options) {
            return options[random.nextInt(options.length)];
        }

        /** Replaces, deletes, duplicates or re-types one random node anywhere in a valid request. */
        Case mutatedTree() {
            ObjectNode request = base();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                List<Slot> slots = new ArrayList<>();
                collect(request, slots);
                Slot slot = slots.get(random.nextInt(slots.size()));
                switch (random.nextInt(5)) {
                    case 0 -> slot.remove();
                    case 1 -> slot.set(randomValue(2));
                    case 2 -> slot.set(NODES.arrayNode().add(slot.get().deepCopy()));
                    case 3 -> slot.set(NODES.textNode(slot.get().toString()));
                    default -> slot.set(randomValue(0));
                }
            }
            return post("mutated-tree", request);
        }

        /** A place in a JSON tree: a field of an object or an element of an array. */
        record Slot(JsonNode parent, String field, int index) {
            JsonNode get() {
                return field != null ? parent.get(field) : parent.get(index);
            }

            void set(JsonNode value) {
                if (field != null) {
                    ((ObjectNode) parent).set(field, value);
                } else {
                    ((ArrayNode) parent).set(index, value);
                }
            }

            void remove() {
                if (field != null) {
                    ((ObjectNode) parent).remove(field);
                } else {
                    ((ArrayNode) parent).remove(index);
                }
            }
        }

        static void collect(JsonNode node, List<Slot> slots) {
            if (node.isObject()) {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    slots.add(new Slot(node, name, -1));
                    collect(node.get(name), slots);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    slots.add(new Slot(node, null, i));
                    collect(node.get(i), slots);
                }
            }
        }

        Case wrongHook() {
            ObjectNode request = base();
            String hook = pick("patient-view", "order-select", "order-sign", "ORDER-SIGN", "order-sign ", "",
                    "medication-prescribe", "encounter-start", "order-sign\u0000", randomText());
            request.put("hook", hook);
            if (random.nextBoolean()) {
                ((ObjectNode) request.get("context")).remove(pick("draftOrders", "selections", "userId"));
            }
            if (random.nextInt(4) == 0) {
                ((ObjectNode) request.get("context")).set("selections", randomValue(2));
            }
            String service = random.nextInt(5) == 0
                    ? pick("unknown", "alemtuzumab", "alemtuzumab-order-sign-x", "..", "%2e%2e", "alemtuzumab-ORDER-SIGN")
                    : SERVICES[random.nextInt(SERVICES.length)];
            return new Case("wrong-hook", "POST", "/cds-services/" + service, "application/json",
                    request.toString().getBytes(StandardCharsets.UTF_8));
        }

        Case deepNesting() {
            int depth = 50 + random.nextInt(random.nextBoolean() ? 450 : 4000);
            switch (random.nextInt(4)) {
                case 0 -> {
                    String body = "[".repeat(depth) + "]".repeat(depth);
                    return postBytes("deep-array", body.getBytes(StandardCharsets.UTF_8));
                }
                case 1 -> {
                    String body = "{\"hook\":".repeat(depth) + "1" + "}".repeat(depth);
                    return postBytes("deep-object", body.getBytes(StandardCharsets.UTF_8));
                }
                case 2 -> {
                    // nested extensions inside an Observation of the prefetch (2 JSON levels per extension)
                    ObjectNode request = bases.get(1).deepCopy();
                    ObjectNode observation = observationOf(request);
                    ObjectNode level = observation;
                    for (int i = 0; i < Math.min(depth, 480); i++) {
                        ObjectNode extension = level.putArray("extension").addObject();
                        extension.put("url", "http://example.org/x" + i);
                        level = extension;
                    }
                    level.put("valueString", "bottom");
                    return post("deep-extension", request);
                }
                default -> {
                    // bundles nested in bundles as draft orders (4 JSON levels per bundle)
                    ObjectNode request = bases.get(0).deepCopy();
                    ObjectNode bundle = NODES.objectNode().put("resourceType", "Bundle").put("type", "collection");
                    ObjectNode inner = bundle;
                    for (int i = 0; i < Math.min(depth, 240); i++) {
                        ObjectNode next = NODES.objectNode().put("resourceType", "Bundle").put("type", "collection");
                        inner.putArray("entry").addObject().set("resource", next);
                        inner = next;
                    }
                    ((ObjectNode) request.get("context")).set("draftOrders", bundle);
                    return post("deep-bundle", request);
                }
            }
        }

        static ObjectNode observationOf(ObjectNode request) {
            for (JsonNode entry : request.at("/prefetch/observations/entry")) {
                return (ObjectNode) entry.get("resource");
            }
            throw new IllegalStateException("no observation in the base request");
        }

        Case hugeStrings() {
            ObjectNode request = bases.get(1).deepCopy();
            String big = "x".repeat((1 + random.nextInt(4)) * 1024 * 1024);
            switch (random.nextInt(4)) {
                case 0 -> request.put("hookInstance", big);
                case 1 -> ((ObjectNode) request.get("context")).put("patientId", big);
                case 2 -> observationOf(request).putObject("code").put("text", big);
                default -> observationOf(request).put("valueString", big).remove("valueCodeableConcept");
            }
            return post("huge-string", request);
        }

        Case hostileValues() {
            ObjectNode request = base();
            ObjectNode context = (ObjectNode) request.get("context");
            switch (random.nextInt(5)) {
                case 0 -> context.put("patientId", pick("../../etc/passwd", "Patient/../../x", "{{context.patientId}}",
                        "a%2F..", "' OR 1=1 --", "<script>alert(1)</script>", "\u202epat-1", "x".repeat(65),
                        "pat-1\u0000", " ", "Patient/", "Patient/Patient/pat-1", "pat-1?_format=xml", "😀"));
                case 1 -> {
                    // a prefetch key left out so that the service wants to fetch, from a hostile or dead server
                    ObjectNode prefetch = (ObjectNode) request.get("prefetch");
                    prefetch.remove(pick("observations", "conditions", "patient", "medicationRequests"));
                    request.put("fhirServer", pick("http://127.0.0.1:1/fhir", "file:///etc/passwd", "ftp://127.0.0.1/",
                            "not a url", "http://[::1]:1/", "http://127.0.0.1:" + port + "/cds-services",
                            "http://127.0.0.1:" + port + "/actuator", "", "jar:file:/x!/", "http://user:pw@127.0.0.1:1/"));
                    if (random.nextBoolean()) {
                        request.putObject("fhirAuthorization").put("access_token", pick("x", "\r\nX-Injected: 1",
                                "a".repeat(9000))).put("token_type", "Bearer").put("expires_in", 300)
                                .put("scope", "patient/*.read").put("subject", "cds");
                    }
                }
                case 2 -> request.set("fhirAuthorization", randomValue(2));
                case 3 -> {
                    // another patient's data in the prefetch
                    ObjectNode observation = observationOf(request);
                    observation.putObject("subject").put("reference", pick("Patient/someone-else", "Patient/", "urn:uuid:x",
                            "http://evil.example/Patient/1", "#", "Group/1"));
                }
                default -> request.set("prefetch", pick(NODES.arrayNode(), NODES.textNode("Patient/1"),
                        NODES.objectNode().set("patient", NODES.arrayNode()),
                        NODES.objectNode().put("patient", "Patient/pat-1")));
            }
            return post("hostile", request);
        }

        Case httpLevel() {
            String service = "/cds-services/" + SERVICES[random.nextInt(SERVICES.length)];
            byte[] valid = base().toString().getBytes(StandardCharsets.UTF_8);
            return switch (random.nextInt(7)) {
                case 0 -> new Case("http-method", pick("GET", "PUT", "DELETE", "PATCH", "OPTIONS"), service,
                        "application/json", valid);
                case 1 -> new Case("http-media-type", "POST", service, pick("text/plain", "application/xml",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=bogus",
                        "application/json; charset=UTF-16", "*/*", "application/fhir+json"), valid);
                case 2 -> new Case("http-no-media-type", "POST", service, null, valid);
                case 3 -> new Case("http-small-body", "POST", service, "application/json",
                        pick("", "null", "[]", "\"str\"", "1", "true", "{}", "\uFEFF{}", " ").getBytes(StandardCharsets.UTF_8));
                case 4 -> new Case("http-path", pick("POST", "GET"), pick("/cds-services/", "/cds-services//x",
                        "/cds-services/alemtuzumab-order-sign/feedback/x", "/cds-services/%2e%2e/%2e%2e/etc/passwd",
                        "/cds-services/a;jsessionid=1", "/cds-services?x=" + "y".repeat(2000), "/error", "/",
                        "/cds-services/" + "a".repeat(6000)), "application/json", valid);
                case 5 -> new Case("http-utf16", "POST", service, "application/json",
                        base().toString().getBytes(StandardCharsets.UTF_16));
                default -> new Case("http-bom", "POST", service, "application/json",
                        ("\uFEFF" + base()).getBytes(StandardCharsets.UTF_8));
            };
        }

        /** Well-formed JSON whose FHIR content is invalid or odd: it reaches the FHIR parser and often the CQL. */
        Case oddFhir() {
            ObjectNode request = base();
            ObjectNode observation = observationOf(request);
            JsonNode drafts = request.at("/context/draftOrders/entry");
            ObjectNode draft = drafts.isArray() && drafts.size() > 0 ? (ObjectNode) drafts.get(0).get("resource") : null;
            ObjectNode patient = (ObjectNode) request.at("/prefetch/patient");
            switch (random.nextInt(24)) {
                case 0 -> observation.put("resourceType", pick("Foo", "", "observation", "Bundle", "OperationOutcome"));
                case 1 -> observation.remove("resourceType");
                case 2 -> observation.put("id", pick("a b", "../x", "", "x".repeat(100), "Observation/1", "#"));
                case 3 -> observation.put("effectiveDateTime", pick("2026-02-30", "2026-13-01", "99999-01-01", "2026",
                        "2026-12", "2026-12-01T25:00:00Z", "0001-01-01", "9999-12-31T23:59:59.999+14:00", "yesterday",
                        "2026-12-01T10:00:00"));
                case 4 -> observation.putObject("valueQuantity").put("value", pick("abc", "1e309", "", "NaN"))
                        .put("unit", "10*3/uL");
                case 5 -> observation.putObject("valueQuantity").put("value", pick(1e308, -1e308, 0.0, -0.0, 1e-300))
                        .put("code", pick("", "%", "10*3/uL", "/mm3", "bogus unit"));
                case 6 -> observation.put("status", pick("bogus", "", "FINAL", "entered-in-error", "preliminary"));
                case 7 -> request.at("/prefetch/observations").path("entry").forEach(e -> ((ObjectNode) e).remove("resource"));
                case 8 -> ((ObjectNode) request.get("prefetch")).set("observations", patient.deepCopy());
                case 9 -> ((ObjectNode) request.get("prefetch")).set("conditions",
                        NODES.objectNode().put("resourceType", "OperationOutcome"));
                case 10 -> patient.put("birthDate", pick("2030-01-01", "1800-01-01", "", "1990-02-31", "1990"));
                case 11 -> patient.put("id", pick("someone-else", "", "pat 1"));
                case 12 -> patient.put("gender", pick("other", "unknown", "", "F"));
                case 13 -> observation.putObject("code").putArray("coding").addObject().put("system", "http://loinc.org")
                        .put("code", pick("56888-1", "731-0", "777-3", "6690-2")).put("display", randomText());
                case 14 -> {
                    if (draft != null) {
                        draft.remove(pick("medicationCodeableConcept", "dosageInstruction", "status", "intent", "subject"));
                    }
                }
                case 15 -> {
                    if (draft != null) {
                        ((ObjectNode) draft.at("/dosageInstruction/0/timing/repeat")).putObject("boundsPeriod")
                                .put("start", pick("2027-01-01", "2026-12-07", "0001-01-01", "9999-12-31", "bad"))
                                .put("end", pick("2020-01-01", "2026-12-11", "bad"));
                    }
                }
                case 16 -> {
                    if (draft != null) {
                        ObjectNode repeat = (ObjectNode) draft.at("/dosageInstruction/0/timing/repeat");
                        repeat.remove("boundsPeriod");
                        repeat.putObject("boundsDuration").put("value", pick(5, -5, 0)).put("unit", "d")
                                .put("system", "http://unitsofmeasure.org").put("code", "d");
                    }
                }
                case 17 -> {
                    if (draft != null) {
                        draft.remove("medicationCodeableConcept");
                        draft.putObject("medicationReference").put("reference", pick("#med", "Medication/missing",
                                "Medication/", "urn:uuid:1"));
                        if (random.nextBoolean()) {
                            draft.putArray("contained").addObject().put("resourceType", "Medication").put("id", "med")
                                    .set("code", FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"));
                        }
                    }
                }
                case 18 -> {
                    if (draft != null) {
                        draft.putArray("dosageInstruction");
                    }
                }
                case 19 -> {
                    // the same resource twice, under two keys and twice in one bundle
                    ArrayNode entries = (ArrayNode) request.at("/prefetch/observations/entry");
                    entries.add(entries.get(0).deepCopy());
                    ((ArrayNode) request.at("/prefetch/conditions/entry")).add(entries.get(0).deepCopy());
                }
                case 20 -> observation.putArray("component").addObject().putObject("code").put("text", "x");
                case 21 -> observation.putArray("extension").addObject().put("valueString", "no url");
                case 22 -> observation.put("valueCodeableConcept", "positive");
                default -> {
                    if (request.at("/prefetch/conditions/entry/0/resource") instanceof ObjectNode condition) {
                        condition.put("onsetDateTime", pick("2030-01-01", "bad", ""));
                        condition.putObject("abatementString").put("x", 1);
                    }
                }
            }
            return post("odd-fhir", request);
        }
    }
}
