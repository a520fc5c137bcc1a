package org.alemcds.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A FHIR-speaking HTTP server on loopback for tests (JDK {@code com.sun.net.httpserver}): it answers the relative
 * URLs it was given (e.g. {@code Observation?patient=pat-1}) under {@code /fhir/} with FHIR JSON, records every
 * request with its Authorization header, and can be slow, broken or rude on demand. Anything else is a 404
 * OperationOutcome, as a FHIR server would answer.
 */
public final class LoopbackFhirServer implements AutoCloseable {

    /** One request as the server saw it: the part after {@code /fhir/} and the Authorization header. */
    public record Request(String method, String relativeUrl, String authorization) {}

    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-fhir");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Handler fallback;

    private LoopbackFhirServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 500);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    public static LoopbackFhirServer start() {
        try {
            return new LoopbackFhirServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:port/fhir} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /** Answers this relative URL (path and query exactly as sent, e.g. {@code Patient/pat-1}). */
    public LoopbackFhirServer on(String relativeUrl, Handler handler) {
        routes.put(relativeUrl, handler);
        return this;
    }

    /** Answers every relative URL that has no handler of its own with this one (else a 404 OperationOutcome). */
    public LoopbackFhirServer onAny(Handler handler) {
        fallback = handler;
        return this;
    }

    public LoopbackFhirServer onJson(String relativeUrl, String fhirJson) {
        return on(relativeUrl, json(200, fhirJson));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<String> requestedUrls() {
        return requests.stream().map(Request::relativeUrl).toList();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String relative = raw.replaceFirst("^/fhir/?", "") + (query == null ? "" : "?" + query);
            requests.add(new Request(exchange.getRequestMethod(), relative,
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Handler handler = routes.getOrDefault(relative, fallback);
            if (handler == null) {
                json(404, outcome("not-found", "No route for " + relative)).handle(exchange);
            } else {
                handler.handle(exchange);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (e.g. it timed out): nothing to answer
        }
    }

    // ----- answers -----

    public static Handler json(int status, String body) {
        return exchange -> send(exchange, status, "application/fhir+json;charset=utf-8", body);
    }

    public static Handler withContentType(String contentType, String body) {
        return exchange -> send(exchange, 200, contentType, body);
    }

    /** Waits before answering. */
    public static Handler slow(Duration delay, Handler then) {
        return exchange -> {
            Thread.sleep(delay.toMillis());
            then.handle(exchange);
        };
    }

    /** Sends the headers at once, then the body one byte at a time, {@code perByte} apart: never a read timeout. */
    public static Handler trickle(Duration perByte, String body) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(perByte.toMillis());
            }
        };
    }

    public static String outcome(String code, String diagnostics) {
        return "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"" + code
                + "\",\"diagnostics\":\"" + diagnostics.replace("\"", "'") + "\"}]}";
    }

    /** A searchset bundle of these resources' JSON, with a next link when {@code next} is not null. */
    public static String searchset(String next, String... resources) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"");
        if (next != null) {
            json.append(",\"link\":[{\"relation\":\"next\",\"url\":\"").append(next).append("\"}]");
        }
        json.append(",\"entry\":[");
        for (int i = 0; i < resources.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"resource\":").append(resources[i]).append('}');
        }
        return json.append("]}").toString();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** A loopback URL where nothing listens (connection refused). */
    public static String deadServerUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/fhir";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
