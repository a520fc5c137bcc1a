package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.alemcds.operations.OperationsMetrics;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the prefetch queries a client did not supply from its {@code fhirServer} (CDS Hooks 2.0 §FHIR Resource
 * Access): the {@code fhirAuthorization.access_token} goes as a Bearer token, search bundles are followed through
 * their {@code next} links, and the missing keys are fetched in parallel.
 *
 * <p>Time is bounded: a connect timeout, a timeout per HTTP response (headers and body) and a total deadline for the
 * whole fetch. Anything short of complete FHIR R4 data — the server down, slow, answering garbage, an error status,
 * an OperationOutcome — is a 412 naming each key that could not be had and why. The token is never sent anywhere but
 * the client's FHIR server: redirects are not followed and {@code next} links to another origin are refused.
 */
public class FhirServerFetcher {

    private static final Logger log = LoggerFactory.getLogger(FhirServerFetcher.class);
    static final int MAX_PAGES = 50;
    static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

    private final FhirContext fhirContext;
    private final CdsProperties.FhirClient settings;
    private final HttpClient http;
    private final OperationsMetrics metrics;

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
                .build();
    }

    /**
     * Runs the relative queries (prefetch key → e.g. {@code Observation?patient=123} or {@code Patient/123}) against
     * the FHIR server and returns all their resources; throws a 412 {@link HookException} naming every key whose data
     * could not be had.
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
        Run run = new Run(base, accessToken);
        Map<String, CompletableFuture<List<IBaseResource>>> running = new LinkedHashMap<>();
        queries.forEach((key, query) -> running.put(key, urlOf(base, query)
                .thenCompose(url -> fetchPages(run, url, new ArrayList<>(), 1))));

        List<IBaseResource> resources = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (var entry : running.entrySet()) {
            String key = entry.getKey();
            try {
                long remaining = Math.max(0, deadline - System.nanoTime());
                resources.addAll(entry.getValue().get(remaining, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                failures.add(describe(key, queries.get(key), "no complete answer within " + seconds(settings.totalTimeout())));
            } catch (ExecutionException | CompletionException | CancellationException e) {
                failures.add(describe(key, queries.get(key), reason(e.getCause() == null ? e : e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(describe(key, queries.get(key), "interrupted"));
            }
        }
        if (!failures.isEmpty()) {
            run.abandon();
            log.warn("FHIR server fetch failed for {} of {} prefetch keys: {}", failures.size(), queries.size(), failures);
            throw HookException.dataUnavailable("Prefetch data was missing and could not be fetched from the FHIR server "
                    + base + ": " + String.join("; ", failures) + ".");
        }
        return resources;
    }

    /** One fetch: its server, token and open exchanges, which are aborted when the fetch is given up. */
    private static final class Run {
        final URI base;
        final String accessToken;
        final Queue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
        volatile boolean abandoned;

        Run(URI base, String accessToken) {
            this.base = base;
            this.accessToken = accessToken;
        }

        void abandon() {
            abandoned = true;
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    private CompletableFuture<List<IBaseResource>> fetchPages(Run run, URI url, List<IBaseResource> collected, int page) {
        if (run.abandoned) {
            return CompletableFuture.failedFuture(new CancellationException());
        }
        return get(run, url).thenCompose(resource -> {
            if (resource instanceof OperationOutcome) {
                throw new FetchFailure("the server answered with an OperationOutcome");
            }
            if (!(resource instanceof Bundle bundle)) {
                collected.add(resource);
                return CompletableFuture.completedFuture(collected);
            }
            bundle.getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(r -> r != null && !(r instanceof OperationOutcome)) // search.mode = outcome: warnings
                    .forEach(collected::add);
            Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
            if (next == null || next.getUrl() == null || next.getUrl().isBlank()) {
                return CompletableFuture.completedFuture(collected);
            }
            if (page >= MAX_PAGES) {
                throw new FetchFailure("more than " + MAX_PAGES + " pages");
            }
            URI nextUrl = resolve(url, next.getUrl());
            if (!sameOrigin(run.base, nextUrl)) {
                throw new FetchFailure("a next link leaves the FHIR server");
            }
            return fetchPages(run, nextUrl, collected, page + 1);
        });
    }

    private CompletableFuture<IBaseResource> get(Run run, URI url) {
        String accessToken = run.accessToken;
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(settings.readTimeout())
                .header("Accept", "application/fhir+json")
                .GET();
        if (accessToken != null && !accessToken.isBlank()) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        CompletableFuture<HttpResponse<String>> exchange =
                http.sendAsync(request.build(), info -> new LimitedBody(info.statusCode(), MAX_RESPONSE_BYTES));
        run.inFlight.add(exchange);
        // the request timeout ends when the headers arrive: bound the body as well, and abort the exchange on failure
        return exchange.copy()
                .orTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        exchange.cancel(true);
                    }
                })
                .thenApply(this::parse);
    }

    private IBaseResource parse(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new FetchFailure("HTTP " + response.statusCode());
        }
        String fhirVersion = response.headers().firstValue("Content-Type")
                .map(FhirServerFetcher::fhirVersionParameter)
                .orElse(null);
        if (fhirVersion != null && !fhirVersion.startsWith("4.0")) {
            throw new FetchFailure("the server sent FHIR " + fhirVersion + ", not R4 (4.0)");
        }
        try {
            IBaseResource resource = fhirContext.newJsonParser().parseResource(response.body());
            if (resource == null) {
                throw new FetchFailure("the response is not FHIR JSON");
            }
            return resource;
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw new FetchFailure("the response is not FHIR R4 JSON");
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
            return "network error (" + e.getClass().getSimpleName() + ")";
        }
        if (e instanceof CancellationException) {
            return "cancelled";
        }
        log.warn("Unexpected FHIR fetch failure", e);
        return "unexpected failure";
    }

    private static String describe(String key, String query, String reason) {
        return "'" + key + "' (" + query + "): " + reason;
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

    /** Collects a response body as UTF-8 text up to a size limit; an error status is not read at all. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final List<ByteBuffer> buffers = new ArrayList<>();
        private final int status;
        private final int limit;
        private Flow.Subscription subscription;
        private int size;

        LimitedBody(int status, int limit) {
            this.status = status;
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (status != 200) {
                subscription.cancel();
                result.complete("");
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                size += item.remaining();
                buffers.add(item);
            }
            if (size > limit) {
                subscription.cancel();
                buffers.clear();
                result.completeExceptionally(new FetchFailure("the response is larger than " + limit / (1024 * 1024) + " MB"));
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            byte[] bytes = new byte[size];
            int offset = 0;
            for (ByteBuffer buffer : buffers) {
                int n = buffer.remaining();
                buffer.get(bytes, offset, n);
                offset += n;
            }
            result.complete(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
