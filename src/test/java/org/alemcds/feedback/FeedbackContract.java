package org.alemcds.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.alemcds.audit.HookCallRecord;
import org.alemcds.audit.HookCallRepository;
import org.alemcds.cards.CardAssembler;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Feedback, the record of issued cards, the hook-call audit and the governance read endpoint, over real HTTP
 * against the started application. Run against each supported database by a subclass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
abstract class FeedbackContract {

    static final String SIGN = "alemtuzumab-order-sign";
    static final String SELECT = "alemtuzumab-order-select";
    static final String PATIENT_NAME = "Quartermaine";

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper mapper;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    HookCallRepository hookCalls;

    @Autowired
    FeedbackRepository feedback;

    @Autowired
    org.alemcds.audit.RetentionPurge retentionPurge;

    @Value("${cds.audit.patient-id-secret}")
    String secret;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Value("${cds.security.governance.token}")
    String governanceToken;

    /** A GET as a governance reader (the governance report needs its token). */
    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + governanceToken)
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A hook request whose answer holds a CI-HIV card with an order suggestion (no HIV test on record). */
    static ObjectNode hookRequest() {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.patient().putArray("name").addObject().put("family", PATIENT_NAME).putArray("given").add("Zebulon");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record.hookRequest("order-sign");
    }

    /** Calls the order-sign service and returns its CI-HIV card. */
    JsonNode issueCard() throws Exception {
        var response = post("/cds-services/" + SIGN, hookRequest().toString());
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode card : mapper.readTree(response.body()).get("cards")) {
            if (card.at("/source/topic/code").asText().equals("CI-HIV")) {
                assertThat(card.at("/suggestions/0/uuid").asText()).isNotBlank();
                return card;
            }
        }
        throw new AssertionError("no CI-HIV card in " + response.body());
    }

    /** One issued card per running application, that never receives valid feedback (for the rejection tests). */
    private static final Map<Integer, JsonNode> UNTOUCHED_CARDS = new java.util.concurrent.ConcurrentHashMap<>();

    JsonNode untouchedCard() throws Exception {
        JsonNode card = UNTOUCHED_CARDS.get(port);
        if (card == null) {
            card = issueCard();
            UNTOUCHED_CARDS.put(port, card);
        }
        return card;
    }

    static String body(ObjectNode... items) {
        ObjectNode body = new ObjectMapper().createObjectNode();
        ArrayNode array = body.putArray("feedback");
        for (ObjectNode item : items) {
            array.add(item);
        }
        return body.toString();
    }

    ObjectNode accepted(JsonNode card, String timestamp) {
        ObjectNode item = mapper.createObjectNode();
        item.put("card", card.get("uuid").asText()).put("outcome", "accepted");
        item.putArray("acceptedSuggestions").addObject().put("id", card.at("/suggestions/0/uuid").asText());
        item.put("outcomeTimestamp", timestamp);
        return item;
    }

    ObjectNode overridden(String cardUuid, String timestamp, String code, String comment) {
        ObjectNode item = mapper.createObjectNode();
        item.put("card", cardUuid).put("outcome", "overridden");
        if (code != null || comment != null) {
            ObjectNode reason = item.putObject("overrideReason");
            if (code != null) {
                reason.putObject("reason")
                        .put("system", "http://alemcds.org/fhir/CodeSystem/override-reason")
                        .put("code", code)
                        .put("display", code.replace('-', ' '));
            }
            if (comment != null) {
                reason.put("userComment", comment);
            }
        }
        item.put("outcomeTimestamp", timestamp);
        return item;
    }

    long feedbackRows(String cardUuid) {
        return jdbc.sql("SELECT COUNT(*) FROM feedback WHERE card_uuid = ?").param(cardUuid).query(Long.class).single();
    }

    long totalFeedbackRows() {
        return jdbc.sql("SELECT COUNT(*) FROM feedback").query(Long.class).single();
    }

    // ---------------------------------------------------------------- feedback

    @Test
    void acceptedSuggestionIsRecordedAndARepeatedIdenticalItemIsNotStoredTwice() throws Exception {
        JsonNode card = issueCard();
        String item = body(accepted(card, "2026-11-21T10:05:31Z"));

        var first = post("/cds-services/" + SIGN + "/feedback", item);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(first.body()).get("recorded").asInt()).isEqualTo(1);

        var again = post("/cds-services/" + SIGN + "/feedback", item);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(again.body()).get("recorded").asInt()).isZero();
        assertThat(mapper.readTree(again.body()).get("duplicates").asInt()).isEqualTo(1);

        // the same instant written differently is the same item
        var sameInstant = post("/cds-services/" + SIGN + "/feedback", body(accepted(card, "2026-11-21T11:05:31.000+01:00")));
        assertThat(sameInstant.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(sameInstant.body()).get("duplicates").asInt()).isEqualTo(1);

        assertThat(feedbackRows(card.get("uuid").asText())).isEqualTo(1);
        assertThat(jdbc.sql("""
                        SELECT a.suggestion_uuid FROM accepted_suggestion a JOIN feedback f ON f.id = a.feedback_id
                        WHERE f.card_uuid = ?""")
                .param(card.get("uuid").asText())
                .query(String.class)
                .list())
                .containsExactly(card.at("/suggestions/0/uuid").asText());
    }

    @Test
    void identicalItemsInOneRequestAreStoredOnce() throws Exception {
        JsonNode card = issueCard();
        var response = post("/cds-services/" + SIGN + "/feedback",
                body(accepted(card, "2026-11-21T10:00:00Z"), accepted(card, "2026-11-21T10:00:00Z")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("recorded").asInt()).isEqualTo(1);
        assertThat(mapper.readTree(response.body()).get("duplicates").asInt()).isEqualTo(1);
        assertThat(feedbackRows(card.get("uuid").asText())).isEqualTo(1);
    }

    @Test
    void concurrentIdenticalItemsAreAllAcknowledgedAndStoredOnce() throws Exception {
        JsonNode card = issueCard();
        String item = body(overridden(card.get("uuid").asText(), "2026-11-21T09:00:00Z", "data-incorrect", null));
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return post("/cds-services/" + SIGN + "/feedback", item).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> status : statuses) {
                assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(feedbackRows(card.get("uuid").asText())).isEqualTo(1);
    }

    @Test
    void ahrqClientFeedbackIsStoredAsSentOnceItNamesAnIssuedCard() throws Exception {
        JsonNode card = issueCard();
        String ahrq = new ClassPathResource("foreign/ahrq-feedback.json").getContentAsString(StandardCharsets.UTF_8);
        String adapted = ahrq.replace("4e0a3a1e-3283-4575-ab82-028d55fe2719", card.get("uuid").asText())
                .replace("e56e1945-20b3-4393-8503-a1a20fd73152", card.at("/suggestions/0/uuid").asText());

        var response = post("/cds-services/" + SIGN + "/feedback", adapted);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("recorded").asInt()).isEqualTo(2);
        List<Map<String, Object>> rows = jdbc.sql("""
                        SELECT outcome, reason_system, reason_code, user_comment FROM feedback
                        WHERE card_uuid = ? ORDER BY outcome_at""")
                .param(card.get("uuid").asText())
                .query()
                .listOfRows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).values()).containsExactly(
                "overridden", "https://example.com/cds-hooks/override-reason-system", "d7ecf885",
                "A comment entered by the clinician.");
        assertThat(value(rows.get(1), "outcome")).isEqualTo("accepted");
        Instant overriddenAt = jdbc.sql("SELECT outcome_at FROM feedback WHERE card_uuid = ? AND outcome = 'overridden'")
                .param(card.get("uuid").asText())
                .query(java.time.OffsetDateTime.class)
                .single()
                .toInstant();
        assertThat(overriddenAt).isEqualTo(Instant.parse("2020-12-11T10:10:23Z"));
    }

    @Test
    void ahrqClientFeedbackForCardsNeverIssuedIs400AndStoresNothing() throws Exception {
        long before = totalFeedbackRows();
        String ahrq = new ClassPathResource("foreign/ahrq-feedback.json").getContentAsString(StandardCharsets.UTF_8);

        var response = post("/cds-services/" + SIGN + "/feedback", ahrq);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode outcome = mapper.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/diagnostics").asText())
                .contains("4e0a3a1e-3283-4575-ab82-028d55fe2719")
                .contains("not a card this service");
        assertThat(totalFeedbackRows()).isEqualTo(before);
    }

    @Test
    void feedbackSentToAnotherServiceThanTheCardsIs400() throws Exception {
        JsonNode card = issueCard();
        var response = post("/cds-services/" + SELECT + "/feedback", body(accepted(card, "2026-11-21T10:00:00Z")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(feedbackRows(card.get("uuid").asText())).isZero();
    }

    @Test
    void acceptingASuggestionOfAnotherCardIs400() throws Exception {
        JsonNode card = issueCard();
        JsonNode other = issueCard();
        ObjectNode item = accepted(card, "2026-11-21T10:00:00Z");
        ((ObjectNode) item.at("/acceptedSuggestions/0")).put("id", other.at("/suggestions/0/uuid").asText());

        var response = post("/cds-services/" + SIGN + "/feedback", body(item));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(response.body()).at("/issue/0/diagnostics").asText()).contains("not a suggestion of card");
        assertThat(feedbackRows(card.get("uuid").asText())).isZero();
    }

    static Stream<Arguments> malformedItems() {
        return Stream.of(
                Arguments.of("no card", "{'outcome':'overridden','outcomeTimestamp':'2026-11-21T10:00:00Z'}", "card"),
                Arguments.of("card not a string", "{'card':7,'outcome':'overridden','outcomeTimestamp':'2026-11-21T10:00:00Z'}", "card"),
                Arguments.of("unknown outcome", "{'card':'CARD','outcome':'ignored','outcomeTimestamp':'2026-11-21T10:00:00Z'}", "outcome"),
                Arguments.of("outcome in capitals", "{'card':'CARD','outcome':'OVERRIDDEN','outcomeTimestamp':'2026-11-21T10:00:00Z'}", "outcome"),
                Arguments.of("no timestamp", "{'card':'CARD','outcome':'overridden'}", "outcomeTimestamp"),
                Arguments.of("timestamp without zone", "{'card':'CARD','outcome':'overridden','outcomeTimestamp':'2026-11-21T10:00:00'}", "outcomeTimestamp"),
                Arguments.of("timestamp not a date", "{'card':'CARD','outcome':'overridden','outcomeTimestamp':'yesterday'}", "outcomeTimestamp"),
                Arguments.of("timestamp far in the future", "{'card':'CARD','outcome':'overridden','outcomeTimestamp':'+99999-01-01T00:00:00Z'}", "outcomeTimestamp"),
                Arguments.of("accepted without suggestions", "{'card':'CARD','outcome':'accepted','outcomeTimestamp':'2026-11-21T10:00:00Z'}", "acceptedSuggestions"),
                Arguments.of("accepted with empty suggestions", "{'card':'CARD','outcome':'accepted','acceptedSuggestions':[],'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "acceptedSuggestions"),
                Arguments.of("suggestion without id", "{'card':'CARD','outcome':'accepted','acceptedSuggestions':[{}],'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "id"),
                Arguments.of("suggestions not an array", "{'card':'CARD','outcome':'accepted','acceptedSuggestions':{'id':'SUGGESTION'},'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "acceptedSuggestions"),
                Arguments.of("accepted with an override reason", "{'card':'CARD','outcome':'accepted','acceptedSuggestions':[{'id':'SUGGESTION'}],'overrideReason':{'userComment':'x'},'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "overrideReason"),
                Arguments.of("overridden with accepted suggestions", "{'card':'CARD','outcome':'overridden','acceptedSuggestions':[{'id':'SUGGESTION'}],'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "acceptedSuggestions"),
                Arguments.of("reason without code", "{'card':'CARD','outcome':'overridden','overrideReason':{'reason':{'system':'http://x'}},'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "code"),
                Arguments.of("reason not a Coding", "{'card':'CARD','outcome':'overridden','overrideReason':{'reason':'busy'},'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "reason"),
                Arguments.of("comment not a string", "{'card':'CARD','outcome':'overridden','overrideReason':{'userComment':5},'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "userComment"),
                Arguments.of("comment too long", "{'card':'CARD','outcome':'overridden','overrideReason':{'userComment':'" + "x".repeat(4001) + "'},'outcomeTimestamp':'2026-11-21T10:00:00Z'}", "userComment"),
                Arguments.of("item not an object", "'CARD'", "must be an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedItems")
    void malformedItemIs400AndNothingIsStored(String name, String item, String named) throws Exception {
        JsonNode card = untouchedCard();
        String json = item.replace('\'', '"')
                .replace("CARD", card.get("uuid").asText())
                .replace("SUGGESTION", card.at("/suggestions/0/uuid").asText());
        var response = post("/cds-services/" + SIGN + "/feedback", "{\"feedback\":[" + json + "]}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode outcome = mapper.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/diagnostics").asText()).contains("feedback[0]").contains(named);
        assertThat(feedbackRows(card.get("uuid").asText())).isZero();
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void malformedBodyIs400(String body) throws Exception {
        var response = post("/cds-services/" + SIGN + "/feedback", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(response.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    static Stream<String> malformedBodies() {
        return Stream.of(
                "",
                "{\"feedback\": ",
                "[]",
                "{}",
                "{\"feedback\": {\"card\": \"x\"}}",
                // a single item, not wrapped in the CDS Hooks 2.0 {"feedback": [...]} object
                "{\"card\":\"x\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}");
    }

    @Test
    void oneBadItemRejectsTheWholeRequest() throws Exception {
        JsonNode card = issueCard();
        var response = post("/cds-services/" + SIGN + "/feedback", body(
                accepted(card, "2026-11-21T10:00:00Z"),
                overridden(UUID.randomUUID().toString(), "2026-11-21T10:00:00Z", null, null)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(response.body()).at("/issue/0/diagnostics").asText()).contains("feedback[1]");
        assertThat(feedbackRows(card.get("uuid").asText())).isZero();
    }

    @Test
    void feedbackToAnUnknownServiceIs404() throws Exception {
        var response = post("/cds-services/no-such-service/feedback", "{\"feedback\":[]}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(mapper.readTree(response.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    @Test
    void tooManyItemsIs413() throws Exception {
        ObjectNode[] items = new ObjectNode[FeedbackController.MAX_ITEMS + 1];
        for (int i = 0; i < items.length; i++) {
            items[i] = overridden("c" + i, "2026-11-21T10:00:00Z", null, null);
        }
        var response = post("/cds-services/" + SIGN + "/feedback", body(items));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(mapper.readTree(response.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    @Test
    void emptyFeedbackArrayIsAcknowledged() throws Exception {
        var response = post("/cds-services/" + SIGN + "/feedback", "{\"feedback\":[]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("recorded").asInt()).isZero();
    }

    // ---------------------------------------------------------------- audit

    @Test
    void answeredHookCallIsAuditedWithItsCardsAndAKeyedPatientHashOnly(CapturedOutput output) throws Exception {
        ObjectNode request = hookRequest();
        String hookInstance = request.get("hookInstance").asText();
        var response = post("/cds-services/" + SIGN, request.toString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode cards = mapper.readTree(response.body()).get("cards");

        Map<String, Object> call = jdbc.sql("""
                        SELECT id, service_id, patient_key, http_status, error_class, latency_micros, card_count, called_at
                        FROM hook_call WHERE hook_instance = ?""")
                .param(hookInstance)
                .query()
                .singleRow();
        assertThat(value(call, "service_id")).isEqualTo(SIGN);
        assertThat(((Number) value(call, "http_status")).intValue()).isEqualTo(200);
        assertThat(value(call, "error_class")).isNull();
        assertThat(((Number) value(call, "latency_micros")).longValue()).isPositive();
        assertThat(((Number) value(call, "card_count")).intValue()).isEqualTo(cards.size());
        assertThat(value(call, "patient_key")).isEqualTo(hmac(secret, FhirRecord.PATIENT_ID));

        List<Map<String, Object>> issued = jdbc.sql("""
                        SELECT c.card_uuid, h.service_id, c.rule_id, c.indicator, h.hook_instance, c.issued_at
                        FROM issued_card c JOIN hook_call h ON h.id = c.hook_call_id
                        WHERE c.hook_call_id = ?""")
                .param(value(call, "id"))
                .query()
                .listOfRows();
        assertThat(issued).hasSize(cards.size());
        for (JsonNode card : cards) {
            Map<String, Object> row = issued.stream()
                    .filter(r -> card.get("uuid").asText().equals(value(r, "card_uuid")))
                    .findFirst()
                    .orElseThrow();
            assertThat(value(row, "rule_id")).isEqualTo(card.at("/source/topic/code").asText());
            assertThat(value(row, "indicator")).isEqualTo(card.get("indicator").asText());
            assertThat(value(row, "hook_instance")).isEqualTo(hookInstance);
            assertThat(value(row, "service_id")).isEqualTo(SIGN);
        }

        assertThat(output.getAll())
                .contains("hook-call service=" + SIGN + " hookInstance=" + hookInstance + " status=200")
                .contains("CI-HIV:critical")
                .doesNotContain(PATIENT_NAME)
                .doesNotContain("Zebulon")
                .doesNotContain(FhirRecord.PATIENT_ID);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM hook_call WHERE patient_key = ?")
                .param(FhirRecord.PATIENT_ID).query(Long.class).single()).isZero();
    }

    @Test
    void failedHookCallsAreAuditedToo(CapturedOutput output) throws Exception {
        // 412: no prefetch and no fhirServer
        ObjectNode noData = hookRequest();
        noData.remove("prefetch");
        assertThat(post("/cds-services/" + SIGN, noData.toString()).statusCode()).isEqualTo(412);
        // 404: a valid request for another hook than the service's (the id and hook together name a service)
        ObjectNode wrongHook = hookRequest();
        wrongHook.put("hook", "order-select");
        assertThat(post("/cds-services/" + SIGN, wrongHook.toString()).statusCode()).isEqualTo(404);

        for (var expected : List.of(Map.entry(noData, 412), Map.entry(wrongHook, 404))) {
            Map<String, Object> call = jdbc.sql("""
                            SELECT http_status, error_class, card_count, patient_key FROM hook_call WHERE hook_instance = ?""")
                    .param(expected.getKey().get("hookInstance").asText())
                    .query()
                    .singleRow();
            assertThat(((Number) value(call, "http_status")).intValue()).isEqualTo(expected.getValue());
            assertThat(value(call, "error_class")).isEqualTo("HookException");
            assertThat(((Number) value(call, "card_count")).intValue()).isZero();
            assertThat(value(call, "patient_key")).isEqualTo(hmac(secret, FhirRecord.PATIENT_ID));
        }

        // 400 before anything is known of the request, and 404: audited without hookInstance
        long unreadable = countCalls(SIGN, 400);
        long unknown = countCalls("no-such-service", 404);
        assertThat(post("/cds-services/" + SIGN, "{\"hook\": ").statusCode()).isEqualTo(400);
        assertThat(post("/cds-services/no-such-service", "{}").statusCode()).isEqualTo(404);
        assertThat(countCalls(SIGN, 400)).isEqualTo(unreadable + 1);
        assertThat(countCalls("no-such-service", 404)).isEqualTo(unknown + 1);
        assertThat(output.getAll()).contains("status=412 error=HookException").doesNotContain(PATIENT_NAME);
    }

    long countCalls(String service, int status) {
        return jdbc.sql("SELECT COUNT(*) FROM hook_call WHERE service_id = ? AND http_status = ?")
                .params(service, status)
                .query(Long.class)
                .single();
    }

    /** A column by name whatever case the database reports it in. */
    static Object value(Map<String, Object> row, String column) {
        for (var entry : row.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(column)) {
                return entry.getValue();
            }
        }
        throw new AssertionError("no column " + column + " in " + row.keySet());
    }

    static String hmac(String secret, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void feedbackOnACardIsAcceptedOnlyFromTheClientItWasIssuedTo() {
        String card = UUID.randomUUID().toString();
        hookCalls.save(new HookCallRecord(Instant.now(), SIGN, UUID.randomUUID().toString(), null, 200, null, 1000,
                List.of(new HookCallRecord.IssuedCard(card, "CI-HIV", "critical", List.of())), "https://ehr-a.example.org"));
        var item = new FeedbackItem(card, FeedbackItem.Outcome.OVERRIDDEN,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), List.of(), null, null, null, null);

        for (String otherClient : new String[] {"https://ehr-b.example.org", null}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> feedback.record(SIGN, otherClient, List.of(item)))
                    .isInstanceOf(org.alemcds.hooks.HookException.class)
                    .hasMessageContaining("is not a card this service ('" + SIGN + "') issued to this client");
        }
        assertThat(feedback.record(SIGN, "https://ehr-a.example.org", List.of(item)).recorded()).isEqualTo(1);
    }

    @Test
    void theRetentionPurgeDeletesOldCallsAndCardsWithTheirFeedbackAndKeepsRecentOnes() {
        Instant old = Instant.now().minus(java.time.Duration.ofDays(401)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Instant recent = Instant.now().minus(java.time.Duration.ofDays(399)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        List<String> cards = new java.util.ArrayList<>();
        for (Instant at : List.of(old, recent)) {
            String card = UUID.randomUUID().toString();
            hookCalls.save(new HookCallRecord(at, SIGN, UUID.randomUUID().toString(), null, 200, null, 1000,
                    List.of(new HookCallRecord.IssuedCard(card, "CI-HIV", "critical", List.of()))));
            feedback.record(SIGN, null, List.of(new FeedbackItem(card, FeedbackItem.Outcome.OVERRIDDEN, at,
                    List.of(), null, null, null, null)));
            cards.add(card);
        }

        retentionPurge.purge();

        assertThat(jdbc.sql("SELECT COUNT(*) FROM issued_card WHERE card_uuid = ?").param(cards.get(0)).query(Long.class).single())
                .as("a card older than the retention").isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM feedback WHERE card_uuid = ?").param(cards.get(0)).query(Long.class).single())
                .as("its feedback").isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM hook_call WHERE called_at = ?").param(old.atOffset(java.time.ZoneOffset.UTC))
                .query(Long.class).single()).as("its call").isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM feedback WHERE card_uuid = ?").param(cards.get(1)).query(Long.class).single())
                .as("feedback on a card within the retention").isEqualTo(1);
    }

    // ---------------------------------------------------------------- governance

    /** Records a card as issued by the order-sign service at {@code issuedAt}; returns its uuid and suggestion. */
    String[] issued(String ruleId, String indicator, String issuedAt) {
        String card = UUID.randomUUID().toString();
        String suggestion = UUID.randomUUID().toString();
        hookCalls.save(new HookCallRecord(Instant.parse(issuedAt), SIGN, UUID.randomUUID().toString(), null, 200, null,
                1000, List.of(new HookCallRecord.IssuedCard(card, ruleId, indicator, List.of(suggestion)))));
        return new String[] {card, suggestion};
    }

    /** Records a combined card (topic {@code groupId}) covering {@code rules}; returns its uuid and suggestion. */
    String[] issuedCombined(String groupId, List<String> rules, String issuedAt) {
        String card = UUID.randomUUID().toString();
        String suggestion = UUID.randomUUID().toString();
        hookCalls.save(new HookCallRecord(Instant.parse(issuedAt), SIGN, UUID.randomUUID().toString(), null, 200, null,
                1000, List.of(new HookCallRecord.IssuedCard(card, groupId, "info", List.of(suggestion), rules))));
        return new String[] {card, suggestion};
    }

    ObjectNode acceptedIds(String[] card, String timestamp) {
        ObjectNode item = mapper.createObjectNode();
        item.put("card", card[0]).put("outcome", "accepted");
        item.putArray("acceptedSuggestions").addObject().put("id", card[1]);
        item.put("outcomeTimestamp", timestamp);
        return item;
    }

    @Test
    void overrideRatesPerRuleOverAPeriod() throws Exception {
        String[] a1 = issued("GOV-A", "critical", "2001-01-10T08:00:00Z");
        String[] a2 = issued("GOV-A", "critical", "2001-01-11T08:00:00Z");
        String[] a3 = issued("GOV-A", "warning", "2001-01-31T23:59:59Z");
        issued("GOV-A", "critical", "2001-01-12T08:00:00Z"); // ignored: no feedback
        String[] b1 = issued("GOV-B", "warning", "2001-01-01T00:00:00Z");
        String[] late = issued("GOV-A", "critical", "2001-02-01T00:00:00Z"); // outside [from, to)

        var response = post("/cds-services/" + SIGN + "/feedback", body(
                // a1: overridden, then accepted later: counts as accepted; its reason still counts
                overridden(a1[0], "2001-01-10T09:00:00Z", "data-incorrect", null),
                acceptedIds(a1, "2001-01-10T09:05:00Z"),
                overridden(a2[0], "2001-01-11T09:00:00Z", "benefit-outweighs-risk", null),
                overridden(a3[0], "2001-02-01T09:00:00Z", "benefit-outweighs-risk", "patient Quartermaine declined"),
                overridden(b1[0], "2001-01-01T09:00:00Z", null, null),
                overridden(late[0], "2001-02-01T09:00:00Z", "data-incorrect", null)));
        assertThat(response.statusCode()).isEqualTo(200);

        var rates = get("/governance/override-rates?from=2001-01-01&to=2001-02-01T00:00:00Z");

        assertThat(rates.statusCode()).isEqualTo(200);
        assertThat(rates.body()).doesNotContain("Quartermaine");
        JsonNode json = mapper.readTree(rates.body());
        assertThat(json.get("from").asText()).isEqualTo("2001-01-01T00:00:00Z");
        JsonNode rules = json.get("rules");
        assertThat(rules.findValuesAsText("ruleId")).containsExactly("GOV-A", "GOV-B");
        JsonNode a = rules.get(0);
        assertThat(a.get("issued").asLong()).isEqualTo(4);
        assertThat(a.get("accepted").asLong()).isEqualTo(1);
        assertThat(a.get("overridden").asLong()).isEqualTo(2);
        assertThat(a.get("overrideRate").asDouble()).isEqualTo(0.5);
        JsonNode reasons = a.get("topOverrideReasons");
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0).get("code").asText()).isEqualTo("benefit-outweighs-risk");
        assertThat(reasons.get(0).get("cards").asLong()).isEqualTo(2);
        assertThat(reasons.get(0).get("display").asText()).isEqualTo("benefit outweighs risk");
        assertThat(reasons.get(1).get("code").asText()).isEqualTo("data-incorrect");
        assertThat(reasons.get(1).get("cards").asLong()).isEqualTo(1);
        JsonNode b = rules.get(1);
        assertThat(b.get("issued").asLong()).isEqualTo(1);
        assertThat(b.get("overridden").asLong()).isEqualTo(1);
        assertThat(b.get("overrideRate").asDouble()).isEqualTo(1.0);
        assertThat(b.get("topOverrideReasons")).isEmpty();
    }

    @Test
    void aCombinedCardCountsUnderItsTopicAndOnceForEachRuleItCovers() throws Exception {
        // one on a whole past day (counted from the daily counts), one on the report's partial last day
        String[] whole = issuedCombined("GOV-GROUP", List.of("GOV-C", "GOV-D"), "2001-03-10T08:00:00Z");
        String[] partial = issuedCombined("GOV-GROUP", List.of("GOV-C", "GOV-D"), "2001-03-31T08:00:00Z");
        issued("GOV-C", "warning", "2001-03-11T08:00:00Z");

        var response = post("/cds-services/" + SIGN + "/feedback", body(
                overridden(whole[0], "2001-03-10T09:00:00Z", "data-incorrect", null),
                acceptedIds(partial, "2001-03-31T09:00:00Z")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        JsonNode rules = mapper.readTree(get("/governance/override-rates?from=2001-03-01&to=2001-03-31T12:00:00Z").body())
                .get("rules");

        assertThat(rules.findValuesAsText("ruleId")).containsExactly("GOV-C", "GOV-D", "GOV-GROUP");
        for (int i = 0; i < 3; i++) {
            JsonNode rule = rules.get(i);
            long expectedIssued = i == 0 ? 3 : 2; // GOV-C also has a single-rule card, without feedback
            assertThat(rule.get("issued").asLong()).as(rule.toString()).isEqualTo(expectedIssued);
            assertThat(rule.get("accepted").asLong()).as(rule.toString()).isEqualTo(1);
            assertThat(rule.get("overridden").asLong()).as(rule.toString()).isEqualTo(1);
            assertThat(rule.at("/topOverrideReasons/0/code").asText()).as(rule.toString()).isEqualTo("data-incorrect");
        }
    }

    @ParameterizedTest
    @MethodSource("badPeriods")
    void badPeriodIs400(String query) throws Exception {
        var response = get("/governance/override-rates" + query);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(response.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    static Stream<String> badPeriods() {
        return Stream.of("?from=2001-02-01&to=2001-01-01", "?from=yesterday", "?to=2001-13-01", "?from=2001-01-01T00:00:00",
                "?from=-999999999-01-01T00:00:00Z");
    }

    @Test
    void defaultPeriodIsTheLast30Days() throws Exception {
        var response = get("/governance/override-rates");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode json = mapper.readTree(response.body());
        Instant from = Instant.parse(json.get("from").asText());
        Instant to = Instant.parse(json.get("to").asText());
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofDays(30));
        assertThat(json.get("rules").isArray()).isTrue();
    }

    // ---------------------------------------------------------------- combined cards and declared override reasons

    /** The combined cards of an order-sign for a record with nothing on it but the order. */
    private List<JsonNode> combinedCards() throws Exception {
        FhirRecord record = FhirRecord.male("1985-02-03");
        record.draftAlemtuzumab("2026-12-01", 5);
        var response = post("/cds-services/" + SIGN, record.hookRequest("order-sign").toString());
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> combined = new ArrayList<>();
        for (JsonNode card : mapper.readTree(response.body()).get("cards")) {
            if (card.at("/extension/org.alemcds.rules").size() > 1) {
                combined.add(card);
            }
        }
        assertThat(combined).as(response.body()).isNotEmpty();
        return combined;
    }

    private List<String> rulesOf(JsonNode card) {
        List<String> rules = new ArrayList<>();
        card.at("/extension/org.alemcds.rules").forEach(r -> rules.add(r.asText()));
        return rules;
    }

    private ObjectNode feedback(ObjectNode item) {
        ObjectNode body = mapper.createObjectNode();
        body.putArray("feedback").add(item);
        return body;
    }

    @Test
    void aCombinedCardIsRecordedWithEveryRuleItCoversAndItsFeedbackCountsForEach() throws Exception {
        JsonNode card = combinedCards().stream().filter(c -> c.has("suggestions")).findFirst().orElseThrow();
        String uuid = card.get("uuid").asText();
        assertThat(jdbc.sql("SELECT rule_id FROM issued_card_rule WHERE card_uuid = ?").param(uuid)
                .query(String.class).list()).containsExactlyInAnyOrderElementsOf(rulesOf(card));
        assertThat(jdbc.sql("SELECT rule_id FROM issued_card WHERE card_uuid = ?").param(uuid).query(String.class).single())
                .isEqualTo(card.at("/source/topic/code").asText());

        ObjectNode accepted = mapper.createObjectNode().put("card", uuid).put("outcome", "accepted")
                .put("outcomeTimestamp", "2026-11-21T10:05:00Z");
        accepted.putArray("acceptedSuggestions").addObject().put("id", card.at("/suggestions/0/uuid").asText());
        var response = post("/cds-services/" + SIGN + "/feedback", feedback(accepted).toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("recorded").asInt()).isEqualTo(1);

        // what a per-rule report counts: the accepted card once for each rule it covers
        List<Map<String, Object>> perRule = jdbc.sql("""
                        SELECT r.rule_id, COUNT(*) AS accepted FROM feedback f
                        JOIN issued_card_rule r ON r.card_uuid = f.card_uuid
                        WHERE f.card_uuid = ? AND f.outcome = 'accepted' GROUP BY r.rule_id""")
                .param(uuid).query().listOfRows();
        TreeSet<String> counted = new TreeSet<>();
        perRule.forEach(row -> row.forEach((k, v) -> {
            if (k.equalsIgnoreCase("rule_id")) {
                counted.add((String) v);
            }
        }));
        assertThat(counted).containsExactlyInAnyOrderElementsOf(rulesOf(card));
    }

    @Test
    void anOverrideReasonSentWithItsCodeOnlyIsStoredWithTheDeclaredDisplay() throws Exception {
        JsonNode card = combinedCards().stream().filter(c -> c.has("overrideReasons")).findFirst().orElseThrow();
        var declared = CardAssembler.overrideReasons().get(1);
        assertThat(card.get("overrideReasons").toString()).contains(declared.display());

        ObjectNode codeOnly = mapper.createObjectNode().put("card", card.get("uuid").asText()).put("outcome", "overridden")
                .put("outcomeTimestamp", "2026-11-21T10:06:00Z");
        codeOnly.putObject("overrideReason").putObject("reason").put("code", declared.code());
        ObjectNode unknown = mapper.createObjectNode().put("card", card.get("uuid").asText()).put("outcome", "overridden")
                .put("outcomeTimestamp", "2026-11-21T10:07:00Z");
        unknown.putObject("overrideReason").putObject("reason").put("code", "local-reason");
        ObjectNode body = mapper.createObjectNode();
        body.putArray("feedback").add(codeOnly).add(unknown);
        var response = post("/cds-services/" + SIGN + "/feedback", body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        Map<String, Object> stored = jdbc.sql("""
                        SELECT reason_system, reason_display FROM feedback WHERE card_uuid = ? AND reason_code = ?""")
                .params(card.get("uuid").asText(), declared.code()).query().singleRow();
        assertThat(stored.values()).containsExactlyInAnyOrder(declared.system(), declared.display());
        assertThat(jdbc.sql("""
                        SELECT COUNT(*) FROM feedback
                        WHERE card_uuid = ? AND reason_code = 'local-reason' AND reason_display IS NULL""")
                .params(card.get("uuid").asText()).query(Long.class).single()).as("an undeclared code keeps no display")
                .isEqualTo(1L);
    }
}
