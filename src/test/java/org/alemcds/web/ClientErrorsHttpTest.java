package org.alemcds.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every error a client can cause, the container's own included, is an OperationOutcome with CORS headers and a
 * message without internals (class names, library codes). Requests are written byte for byte on a raw socket, so
 * that malformed ones reach the server as sent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientErrorsHttpTest {

    private static final String ORIGIN = "https://sandbox.cds-hooks.org";
    private static final String FEEDBACK = "/cds-services/alemtuzumab-order-sign/feedback";
    private static final String SIGN = "/cds-services/alemtuzumab-order-sign";

    @LocalServerPort
    int port;

    record Answer(int status, String head, String body) {}

    private Answer raw(String requestHead, byte[] body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    all.write(buffer, 0, n);
                }
            } catch (java.net.SocketException e) {
                // reset after the answer: what arrived is the answer
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String answerBody = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, head, answerBody);
        }
    }

    private Answer request(String method, String path, String extraHeaders, String contentType, String body)
            throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nOrigin: " + ORIGIN + "\r\nConnection: close\r\n"
                + extraHeaders
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n")
                + "\r\n";
        return raw(head, bytes);
    }

    private static String nested(int depth) {
        return "{\"feedback\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    private static String bigNumber(int digits) {
        return "{\"feedback\":[{\"card\":\"x\",\"outcome\":\"accepted\",\"n\":" + "9".repeat(digits) + "}]}";
    }

    private static String hookWithPrefetch(String prefetchJson) {
        var request = FhirRecord.male("1985-02-03");
        request.draftAlemtuzumab("2026-12-01", 5);
        var json = request.hookRequest("order-sign");
        return json.toString().replaceFirst("\"prefetch\":\\{", "\"prefetch\":{\"extra\":" + prefetchJson + ",");
    }

    static Stream<Arguments> clientErrors() {
        String big = "x".repeat(10_000);
        String manyHeaders = ("X-Filler: " + "y".repeat(7_000) + "\r\n").repeat(10); // 70 KB: over Tomcat's limit
        return Stream.of(
                Arguments.of("one header over 8 KB", "GET", "/cds-services", "X-Big: " + big + "\r\n", null, null, 431),
                Arguments.of("an Authorization header over 8 KB", "GET", "/cds-services",
                        "Authorization: Bearer " + big + "\r\n", null, null, 401),
                Arguments.of("headers over 64 KB together", "GET", "/cds-services", manyHeaders, null, null, 400),
                Arguments.of("an encoded slash in the path", "GET", "/cds-services%2fx", "", null, null, 400),
                Arguments.of("an encoded NUL in the path", "GET", "/cds-services/%00", "", null, null, 400),
                Arguments.of("an encoded backslash in the path", "GET", "/cds-services/%5c", "", null, null, 400),
                Arguments.of("a negative Content-Length", "POST", FEEDBACK, "Content-Length: -1\r\n", "application/json",
                        null, 400),
                Arguments.of("feedback with a wildcard Content-Type", "POST", FEEDBACK, "", "*/*",
                        "{\"feedback\":[]}", 200),
                Arguments.of("feedback nested 1,000 levels", "POST", FEEDBACK, "", "application/json", nested(1_000), 400),
                Arguments.of("feedback with a 1,001-digit number", "POST", FEEDBACK, "", "application/json",
                        bigNumber(1_001), 400),
                Arguments.of("a hook call nested 1,000 levels", "POST", SIGN, "", "application/json",
                        "{\"hook\":" + "[".repeat(1_000) + "]".repeat(1_000) + "}", 400),
                Arguments.of("a hook call with a 1,001-digit number", "POST", SIGN, "", "application/json",
                        "{\"hook\":" + "9".repeat(1_001) + "}", 400),
                Arguments.of("a prefetch entry whose resource is a string", "POST", SIGN, "", "application/json",
                        hookWithPrefetch("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":\"x\"}]}"),
                        400),
                Arguments.of("a prefetch resource of an unknown type", "POST", SIGN, "", "application/json",
                        hookWithPrefetch("{\"resourceType\":\"Foo\",\"id\":\"1\"}"), 400),
                // a platelet count, which rules read (one no rule reads is skipped unparsed, not refused)
                Arguments.of("a prefetch Observation with a malformed decimal", "POST", SIGN, "", "application/json",
                        hookWithPrefetch("{\"resourceType\":\"Observation\",\"id\":\"1\",\"status\":\"final\","
                                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"777-3\"}]},\"subject\":{\"reference\":\"Patient/p\"},"
                                + "\"valueQuantity\":{\"value\":\"1e\"}}"), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientErrors")
    void answersWithAnOperationOutcomeCarryingCorsAndNoInternals(String what, String method, String path,
            String headers, String contentType, String body, int expected) throws Exception {
        Answer answer = request(method, path, headers, contentType, body);

        assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(expected);
        String head = answer.head().toLowerCase(Locale.ROOT);
        assertThat(head).as(what).contains("access-control-allow-origin: ");
        if (expected >= 400) {
            assertThat(head).as(what).contains("content-type: application/fhir+json");
            assertThat(answer.body()).as(what).contains("\"resourceType\":\"OperationOutcome\"")
                    .doesNotContain("<html")
                    .doesNotContainPattern("[A-Z][A-Za-z]*(Exception|Error)\\b")
                    .doesNotContain("HAPI-");
        }
    }
}
