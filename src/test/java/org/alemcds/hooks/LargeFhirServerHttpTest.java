package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.alemcds.testing.LoopbackFhirServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole service against a FHIR server that answers every query with valid 4 MB pages without end: hook calls
 * without prefetch are refused (412 over the byte budget, or 503 when the fetch slots are taken), discovery keeps
 * answering during and after, and the heap holds no more than the bounded fetches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LargeFhirServerHttpTest {

    static final int CALLS = 8;

    @LocalServerPort
    int port;

    @Autowired
    CdsProperties properties;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> discovery() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void refusesWhatItCannotHoldAndKeepsAnsweringWithABoundedHeap() throws Exception {
        byte[] page = LargeFhirServerTest.observationPage(4 * 1024 * 1024, "Observation?patient=big1&page=2");
        try (LoopbackFhirServer fhir = LoopbackFhirServer.start()) {
            LoopbackFhirServer.Handler endless = exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
            };
            properties.prefetch().values().forEach(template ->
                    fhir.on(template.replace("{{context.patientId}}", "big1"), endless));
            fhir.on("Observation?patient=big1&page=2", endless);
            String call = "{\"hook\":\"patient-view\",\"hookInstance\":\"h\",\"fhirServer\":\"" + fhir.baseUrl()
                    + "\",\"context\":{\"userId\":\"Practitioner/1\",\"patientId\":\"big1\"}}";
            long heapBefore = heapAfterGc();

            ExecutorService clients = Executors.newFixedThreadPool(CALLS);
            try {
                List<Future<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    calls.add(clients.submit(() -> http.send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/cds-services/alemtuzumab-patient-view"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(call)).build(), HttpResponse.BodyHandlers.ofString())));
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(discovery().statusCode()).as("discovery during the fetches").isEqualTo(200);
                }
                for (Future<HttpResponse<String>> answer : calls) {
                    HttpResponse<String> response = answer.get();
                    assertThat(response.statusCode()).as(response.body()).isIn(412, 503);
                    if (response.statusCode() == 412) {
                        assertThat(response.body()).contains("this service fetches for one call");
                    } else {
                        assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(discovery().statusCode()).as("discovery after the fetches").isEqualTo(200);
            long retained = heapAfterGc() - heapBefore;
            System.out.printf("large FHIR server over HTTP: heap retained after %d calls: %d MB%n", CALLS, retained >> 20);
            assertThat(retained).as("heap retained after the calls").isLessThan(64L << 20);
        }
    }
}
