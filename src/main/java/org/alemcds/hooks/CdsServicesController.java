package org.alemcds.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alemcds.cards.Card;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The CDS Hooks endpoints: discovery and service calls. */
@RestController
public class CdsServicesController {

    private final CdsProperties properties;
    private final HookService hookService;
    private final ObjectReader reader;

    public CdsServicesController(CdsProperties properties, HookService hookService, ObjectMapper mapper) {
        this.properties = properties;
        this.hookService = hookService;
        // Read requests the way HAPI reads FHIR JSON: decimals exactly as sent (FHIR decimal precision, no double
        // rounding), and nothing after the JSON value. The FHIR parser then works on this tree directly.
        this.reader = mapper.reader()
                .with(JsonNodeFactory.withExactBigDecimals(true))
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @GetMapping(path = "/cds-services", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> discovery() {
        List<Map<String, Object>> services = properties.services().stream()
                .map(service -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("hook", service.hook());
                    entry.put("title", service.title());
                    entry.put("description", service.description());
                    entry.put("id", service.id());
                    entry.put("prefetch", properties.prefetch());
                    return entry;
                })
                .toList();
        return Map.of("services", services);
    }

    @PostMapping(path = "/cds-services/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, List<Card>> call(@PathVariable String id, @RequestBody(required = false) String body) {
        CdsProperties.Service service = properties.services().stream()
                .filter(s -> s.id().equals(id))
                .findFirst()
                .orElseThrow(() -> HookException.notFound("No CDS service with id '" + id + "'."));
        HookRequest request = HookRequest.from(readJson(body));
        return Map.of("cards", hookService.answer(service, request));
    }

    private JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            throw HookException.badRequest("The request body is empty; a CDS Hooks request is a JSON object.");
        }
        try {
            return reader.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw HookException.badRequest("The request body is not valid JSON"
                    + (location == null ? "." : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")."));
        }
    }
}
