package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.alemcds.operations.OperationsMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the prefetch queries a client did not supply from its {@code fhirServer} (CDS Hooks 2.0 §FHIR Resource
 * Access): the {@code fhirAuthorization.access_token} goes as a Bearer token, search bundles are followed through
 * their {@code next} links, and the missing keys are fetched in parallel.
 *
 * <p>Time is bounded: a connect timeout, a timeout per HTTP response (headers and body) and a total deadline for the
 * whole fetch, parsing included. Work is bounded too: while the pages come in they are only scanned for their next
 * link; they are parsed into resources on the calling thread once every key is in within the call's byte budget, so
 * a call refused over its budget or its deadline has parsed nothing, and no fetch parses on a shared pool
 * (the HTTP client's completions otherwise run on the common fork-join pool, one thread on two cores). Anything short of complete FHIR R4 data — the server down, slow, answering garbage, an error status,
 * an OperationOutcome — is a 412 naming each key that could not be had and why. The token is never sent anywhere but
 * the client's FHIR server: redirects are not followed and {@code next} links to another origin are refused.
 */
public class FhirServerFetcher {

    private static final Logger log = LoggerFactory.getLogger(FhirServerFetcher.class);
    static final int MAX_PAGES = 50;

    private final FhirContext fhirContext;
    private final CdsProperties.FhirClient settings;
    private final HttpClient http;
    private final OperationsMetrics metrics;
    private final ObjectReader json;
    /** Fallback fetches running service-wide: each may hold its byte budget of JSON and the resources parsed from it. */
    private final Semaphore slots;
    private final AtomicInteger parsing = new AtomicInteger();
    /** The HTTP client's threads, which also scan each page for its next link (never parse it). */
    private final ExecutorService exchanges = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fhir-fetch");
        thread.setDaemon(true);
        return thread;
    });

    public FhirServerFetcher(FhirContext fhirContext, CdsProperties.FhirClient settings) {
        this(fhirContext, settings, OperationsMetrics.unregistered(new CdsProperties(null, null, null, settings)));
    }

    public FhirServerFetcher(FhirContext fhirContext, CdsProperties.FhirClient settings, OperationsMetrics metrics) {
        this.fhirContext = fhirContext;
        this.settings = settings;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(exchanges)
                .build();
        // read like HAPI reads FHIR JSON (decimals exact), so that the tree can be handed to HAPI entry by entry
        this.json = new ObjectMapper().reader()
                .with(JsonNodeFactory.withExactBigDecimals(true))
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.slots = new Semaphore(settings.maxConcurrentFetches(), true);
    }

    /**
     * Runs the relative queries (prefetch key → e.g. {@code Observation?patient=123} or {@code Patient/123}) against
     * the FHIR server and returns all their resources; throws a 412 {@link HookException} naming every key whose data
     * could not be had, or a 503 when the service is already running as many fetches as it allows.
     */
    public List<IBaseResource> fetch(String fhirServer, String accessToken, Map<String, String> queries) {
        long started = System.nanoTime();
        boolean succeeded = false;
        try {
            List<IBaseResource> resources = fetchAll(fhirServer, accessToken, queries);
            succeeded = true;
            return resources;
        } finally {
            metrics.fhirFetch(System.nanoTime() - started, succeeded);
        }
    }

    private List<IBaseResource> fetchAll(String fhirServer, String accessToken, Map<String, String> queries) {
        URI base = baseOf(fhirServer, queries);
        long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        acquireSlot(deadline);
        Run run = new Run(base, accessToken, deadline, settings.maxBytesPerRequest().toBytes());
        try {
            return fetch(run, queries);
        } finally {
            run.abandon(); // nothing of this call outlives it: open exchanges aborted, parsing stopped
            slots.release();
        }
    }

    private void acquireSlot(long deadline) {
        long wait = Math.min(settings.queueWait().toNanos(), Math.max(0, deadline - System.nanoTime()));
        try {
            if (slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.warn("FHIR server fetch refused: {} fetches already running", settings.maxConcurrentFetches());
        throw HookException.busy("The service is fetching data for as many calls as it can; try again shortly or send"
                + " the prefetch data with the request.", Duration.ofSeconds(1));
    }

    private List<IBaseResource> fetch(Run run, Map<String, String> queries) {
        Map<String, CompletableFuture<List<byte[]>>> running = new LinkedHashMap<>();
        queries.forEach((key, query) -> running.put(key, urlOf(run.base, query)
                .thenCompose(url -> fetchPages(run, url, new ArrayList<>(), 1))));

        Map<String, List<byte[]>> pages = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (var entry : running.entrySet()) {
            String key = entry.getKey();
            try {
                long remaining = Math.max(0, run.deadline - System.nanoTime());
                pages.put(key, entry.getValue().get(remaining, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                failures.put(key, "no complete answer within " + seconds(settings.totalTimeout()));
            } catch (ExecutionException | CompletionException | CancellationException e) {
                failures.put(key, reason(e.getCause() == null ? e : e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.put(key, "interrupted");
            }
        }
        List<IBaseResource> resources = new ArrayList<>();
        if (failures.isEmpty()) {
            // every key is in, within the budget: parse on this thread, entry by entry, up to the deadline
            pages.forEach((key, bodies) -> {
                try {
                    for (byte[] body : bodies) {
                        resources.addAll(parse(run, body));
                    }
                } catch (FetchFailure e) {
                    failures.put(key, e.getMessage());
                }
            });
        }
        if (!failures.isEmpty()) {
            run.abandon();
            // the queries name the patient: the log names the keys only
            log.warn("FHIR server fetch failed for {} of {} prefetch keys: {}", failures.size(), queries.size(),
                    failures.entrySet().stream().map(f -> f.getKey() + ": " + f.getValue()).toList());
            List<String> described = new ArrayList<>();
            failures.forEach((key, reason) -> described.add(describe(key, queries.get(key), reason)));
            throw HookException.dataUnavailable("Prefetch data was missing and could not be fetched from the FHIR server "
                    + run.base + ": " + String.join("; ", described) + ".");
        }
        return resources;
    }

    /** Hook calls' fetches parsing a response right now (a test sees parsing stop when a call is given up). */
    int parsing() {
        return parsing.get();
    }

    /**
     * One fetch: its server, token, deadline, the bytes it may still read and its open exchanges, which are aborted
     * when the fetch is given up.
     */
    private final class Run {
        final URI base;
        final String accessToken;
        final long deadline;
        final long budget;
        final AtomicLong bytesLeft;
        final Queue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
        volatile boolean abandoned;

        Run(URI base, String accessToken, long deadline, long budget) {
            this.base = base;
            this.accessToken = accessToken;
            this.deadline = deadline;
            this.budget = budget;
            this.bytesLeft = new AtomicLong(budget);
        }

        void abandon() {
            abandoned = true;
            inFlight.forEach(f -> f.cancel(true));
        }

        /** Throws when the fetch has been given up or its deadline has passed: the work in hand stops. */
        void check() {
            if (abandoned) {
                throw new FetchFailure("cancelled");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new FetchFailure("no complete answer within " + seconds(settings.totalTimeout()));
            }
        }

        /** Counts {@code n} more bytes read; false once the call's budget is spent. */
        boolean charge(long n) {
            return bytesLeft.addAndGet(-n) >= 0;
        }

        String overBudget() {
            return "more data than the " + megabytes(budget) + " this service fetches for one call";
        }
    }

    /** A page as read: its FHIR JSON, parsed once every key is in, and the link to the next page, if any. */
    private record Page(byte[] body, String next) {}

    private CompletableFuture<List<byte[]>> fetchPages(Run run, URI url, List<byte[]> collected, int page) {
        if (run.abandoned) {
            return CompletableFuture.failedFuture(new CancellationException());
        }
        return get(run, url).thenCompose(answer -> {
            collected.add(answer.body());
            if (answer.next() == null || answer.next().isBlank()) {
                return CompletableFuture.completedFuture(collected);
            }
            if (page >= MAX_PAGES) {
                throw new FetchFailure("more than " + MAX_PAGES + " pages");
            }
            URI nextUrl = resolve(url, answer.next());
            if (!sameOrigin(run.base, nextUrl)) {
                throw new FetchFailure("a next link leaves the FHIR server");
            }
            return fetchPages(run, nextUrl, collected, page + 1);
        });
    }

    private CompletableFuture<Page> get(Run run, URI url) {
        String accessToken = run.accessToken;
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(settings.readTimeout())
                .header("Accept", "application/fhir+json")
                .GET();
        if (accessToken != null && !accessToken.isBlank()) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request.build(), info -> new BudgetedBody(info, run));
        run.inFlight.add(exchange);
        // the request timeout ends when the headers arrive: bound the body as well, and abort the exchange on failure
        return exchange.copy()
                .orTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        exchange.cancel(true);
                    }
                })
                .thenApplyAsync(response -> scan(run, response), exchanges);
    }

    /**
     * Checks a response is an R4 FHIR resource other than an OperationOutcome and finds its next link, reading the
     * JSON's tokens without building anything (cheap next to parsing).
     */
    private Page scan(Run run, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new FetchFailure("HTTP " + response.statusCode());
        }
        String fhirVersion = response.headers().firstValue("Content-Type")
                .map(FhirServerFetcher::fhirVersionParameter)
                .orElse(null);
        if (fhirVersion != null && !fhirVersion.startsWith("4.0")) {
            throw new FetchFailure("the server sent FHIR " + fhirVersion + ", not R4 (4.0)");
        }
        try (JsonParser parser = json.getFactory().createParser(new CheckedInput(response.body(), run))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new FetchFailure("the response is not FHIR JSON");
            }
            String type = null;
            String next = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("resourceType") && value == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else if (name.equals("link") && value == JsonToken.START_ARRAY) {
                    next = nextLink(parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (type == null) {
                throw new FetchFailure("the response is not FHIR JSON");
            }
            if (type.equals("OperationOutcome")) {
                throw new FetchFailure("the server answered with an OperationOutcome");
            }
            return new Page(response.body(), type.equals("Bundle") ? next : null);
        } catch (IOException e) {
            throw new FetchFailure("the response is not FHIR R4 JSON");
        }
    }

    /** The url of the {@code next} entry of a Bundle's {@code link} array, the parser on its start. */
    private static String nextLink(JsonParser parser) throws IOException {
        String next = null;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String relation = null;
            String url = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("relation") && value == JsonToken.VALUE_STRING) {
                    relation = parser.getText();
                } else if (name.equals("url") && value == JsonToken.VALUE_STRING) {
                    url = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (Bundle.LINK_NEXT.equals(relation) && url != null) {
                next = url;
            }
        }
        return next;
    }

    /** The resources of a page scanned before, entry by entry, so that the deadline stops parsing at the next entry. */
    private List<IBaseResource> parse(Run run, byte[] body) {
        parsing.incrementAndGet();
        try {
            JsonNode tree = json.readTree(new CheckedInput(body, run));
            if (!(tree instanceof ObjectNode object) || !tree.path("resourceType").isTextual()) {
                throw new FetchFailure("the response is not FHIR JSON");
            }
            if (!object.get("resourceType").asText().equals("Bundle")) {
                return List.of(JsonTreeParser.parse(fhirContext, object));
            }
            List<IBaseResource> resources = new ArrayList<>();
            for (JsonNode entry : object.path("entry")) {
                run.check();
                JsonNode resource = entry.get("resource");
                if (resource == null || resource.isNull()) {
                    continue;
                }
                if (!(resource instanceof ObjectNode entryObject)) {
                    throw new FetchFailure("the response is not FHIR R4 JSON");
                }
                if (!"OperationOutcome".equals(resource.path("resourceType").asText())) { // search.mode outcome: warnings
                    resources.add(JsonTreeParser.parse(fhirContext, entryObject));
                }
            }
            return resources;
        } catch (IOException | DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw new FetchFailure("the response is not FHIR R4 JSON");
        } finally {
            parsing.decrementAndGet();
        }
    }

    /** A response body read by the JSON parser, which stops reading when the call is given up or out of time. */
    private static final class CheckedInput extends ByteArrayInputStream {
        private static final int CHUNK = 64 * 1024;
        private final Run run;

        CheckedInput(byte[] body, Run run) {
            super(body);
            this.run = run;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            run.check();
            return super.read(b, off, Math.min(len, CHUNK));
        }
    }

    private static String fhirVersionParameter(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("fhirversion=")) {
                return p.substring("fhirversion=".length()).replace("\"", "").trim();
            }
        }
        return null;
    }

    private URI baseOf(String fhirServer, Map<String, String> queries) {
        boolean requireHttps = settings.requireHttps();
        try {
            URI base = URI.create(fhirServer.trim().replaceAll("/+$", ""));
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("http") && requireHttps) {
                throw HookException.dataUnavailable("Prefetch data is missing (" + String.join(", ", queries.keySet())
                        + ") and fhirServer is not an https URL; this service sends access tokens over https only.");
            }
            if ((scheme.equals("http") || scheme.equals("https")) && base.getHost() != null) {
                return base;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw HookException.dataUnavailable("Prefetch data is missing (" + String.join(", ", queries.keySet())
                + ") and fhirServer is not an http(s) URL to fetch it from.");
    }

    /**
     * The URL of a relative query ({@code Observation?patient=1}) on the server, or of an absolute next-page link a
     * client left in a paginated prefetch bundle, which must be on the server.
     */
    private static CompletableFuture<URI> urlOf(URI base, String query) {
        try {
            URI url = URI.create(escape(query));
            if (url.isAbsolute()) {
                return sameOrigin(base, url)
                        ? CompletableFuture.completedFuture(url)
                        : CompletableFuture.failedFuture(new FetchFailure("the next link is not on the FHIR server"));
            }
            return CompletableFuture.completedFuture(URI.create(base + "/" + escape(query).replaceAll("^/+", "")));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new FetchFailure("not a valid URL"));
        }
    }

    private static URI resolve(URI current, String link) {
        try {
            return current.resolve(escape(link));
        } catch (IllegalArgumentException e) {
            throw new FetchFailure("a next link is not a URL");
        }
    }

    private static String escape(String url) {
        return url.trim().replace("|", "%7C").replace(" ", "%20").replace("\"", "%22");
    }

    private static boolean sameOrigin(URI base, URI url) {
        return url.getScheme() != null && url.getHost() != null
                && base.getScheme().equalsIgnoreCase(url.getScheme())
                && base.getHost().equalsIgnoreCase(url.getHost())
                && port(base) == port(url);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private String reason(Throwable e) {
        if (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof FetchFailure failure) {
            return failure.getMessage();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within " + seconds(settings.connectTimeout());
        }
        if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
            return "no answer within " + seconds(settings.readTimeout());
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof IOException) {
            return "network error";
        }
        if (e instanceof CancellationException) {
            return "cancelled";
        }
        log.warn("Unexpected FHIR fetch failure ({})", e.getClass().getName()); // no message: it may hold a query
        return "unexpected failure";
    }

    private static String describe(String key, String query, String reason) {
        return "'" + key + "' (" + query + "): " + reason;
    }

    private static String megabytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** A fetched answer that is not usable FHIR data; its message is safe to show the client. */
    static final class FetchFailure extends RuntimeException {
        FetchFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Collects a response body, charging every chunk to the call's byte budget: reading stops (and the exchange is
     * cancelled) as soon as the budget is spent or the call is given up. An error status is not read at all.
     */
    private static final class BudgetedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> buffers = new ArrayList<>();
        private final int status;
        private final long declaredLength;
        private final Run run;
        private Flow.Subscription subscription;
        private long size;

        BudgetedBody(HttpResponse.ResponseInfo info, Run run) {
            this.status = info.statusCode();
            this.declaredLength = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            this.run = run;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (status != 200) {
                subscription.cancel();
                result.complete(new byte[0]);
                return;
            }
            if (declaredLength > run.bytesLeft.get()) { // what is left only shrinks: refused before reading a byte
                run.charge(declaredLength);
                stop(new FetchFailure(run.overBudget()));
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            long n = 0;
            for (ByteBuffer item : items) {
                n += item.remaining();
            }
            if (run.abandoned) {
                stop(new FetchFailure("cancelled"));
                return;
            }
            if (!run.charge(n)) {
                stop(new FetchFailure(run.overBudget()));
                return;
            }
            size += n;
            buffers.addAll(items);
            subscription.request(1);
        }

        private void stop(FetchFailure failure) {
            subscription.cancel();
            buffers.clear();
            result.completeExceptionally(failure);
        }

        @Override
        public void onError(Throwable throwable) {
            buffers.clear();
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] bytes = new byte[(int) size]; // size <= the budget, an int
            int offset = 0;
            for (ByteBuffer buffer : buffers) {
                int n = buffer.remaining();
                buffer.get(bytes, offset, n);
                offset += n;
            }
            buffers.clear();
            result.complete(bytes);
        }
    }
}
