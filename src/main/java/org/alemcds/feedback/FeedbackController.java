package org.alemcds.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.alemcds.cards.CardAssembler;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.HookException;
import org.alemcds.operations.OperationsMetrics;
import org.alemcds.security.ClientAuthenticationFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CDS Hooks 2.0 feedback endpoint, {@code POST /cds-services/{id}/feedback} with {@code {"feedback": [...]}}.
 * The request is recorded whole or not at all: 200 once every item is committed (repeated identical items
 * included), 400 with an OperationOutcome naming every problem otherwise (a malformed item, a card this service
 * never issued, or issued to another client, a suggestion not on its card).
 */
@RestController
public class FeedbackController {

    private static final Logger log = LoggerFactory.getLogger(FeedbackController.class);
    static final int MAX_ITEMS = 500;

    private final CdsProperties properties;
    private final FeedbackRepository repository;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final OperationsMetrics metrics;

    public FeedbackController(CdsProperties properties, FeedbackRepository repository, ObjectMapper mapper, Clock clock,
            OperationsMetrics metrics) {
        this.properties = properties;
        this.repository = repository;
        this.mapper = mapper;
        this.clock = clock;
        this.metrics = metrics;
    }

    @PostMapping(path = "/cds-services/{id}/feedback", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Integer> feedback(@PathVariable String id, HttpServletRequest http) throws IOException {
        // the body as bytes whatever the Content-Type says (a wildcard type made Spring's converters fail with a 500)
        byte[] body = http.getInputStream().readAllBytes();
        CdsProperties.Service service = properties.services().stream()
                .filter(s -> s.id().equals(id))
                .findFirst()
                .orElseThrow(() -> HookException.notFound("No CDS service with id '" + id + "'."));
        List<FeedbackItem> items = parse(body);
        FeedbackRepository.Result result = repository.record(
                service.id(), (String) http.getAttribute(ClientAuthenticationFilter.CLIENT_ISSUER), items);
        log.info("feedback service={} items={} recorded={} duplicates={}",
                service.id(), items.size(), result.recorded(), result.duplicates());
        items.stream()
                .collect(Collectors.groupingBy(FeedbackItem::outcome, Collectors.counting()))
                .forEach((outcome, count) -> metrics.feedback(service.id(), outcome.code(), count.intValue()));
        return Map.of("recorded", result.recorded(), "duplicates", result.duplicates());
    }

    private List<FeedbackItem> parse(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw HookException.badRequest("The request body is empty; feedback is a JSON object {\"feedback\": [...]}.");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            // a limit of the JSON reader (nesting depth, number length) has no location
            var at = e.getLocation();
            throw HookException.badRequest("The request body is not valid JSON or exceeds this service's JSON limits"
                    + (at == null ? "." : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."));
        } catch (IOException e) {
            throw HookException.badRequest("The request body is not valid JSON text.");
        }
        JsonNode array = json == null || !json.isObject() ? null : json.get("feedback");
        if (array == null || !array.isArray()) {
            throw HookException.badRequest(
                    "Feedback must be a JSON object with a 'feedback' array (CDS Hooks 2.0), e.g. {\"feedback\": [...]}.");
        }
        if (array.size() > MAX_ITEMS) {
            throw new HookException(HttpStatus.PAYLOAD_TOO_LARGE,
                    "At most " + MAX_ITEMS + " feedback items per request; send the rest in another request.");
        }
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        List<FeedbackItem> items = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            FeedbackItem item = FeedbackItem.from(array.get(i), "feedback[" + i + "]", now, problems);
            if (item != null) {
                items.add(item.withDeclaredDisplay(CardAssembler.overrideReasons()));
            }
        }
        if (!problems.isEmpty()) {
            throw HookException.badRequest("Invalid feedback: " + FeedbackItem.describe(problems) + ".");
        }
        return items;
    }
}
