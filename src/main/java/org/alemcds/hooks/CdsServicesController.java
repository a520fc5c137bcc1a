package org.alemcds.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alemcds.cards.Card;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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

    /**
     * A service call. The body is read as bytes, whatever the Content-Type says: JSON is UTF-8 (Jackson also detects
     * UTF-16/32), and Spring's converters would fail on a wildcard Content-Type with a 500 or rebuild a "form" body
     * from parameters.
     */
    @PostMapping(path = "/cds-services/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, List<Card>> call(@PathVariable String id, HttpServletRequest http) throws IOException {
        byte[] body = http.getInputStream().readAllBytes();
        CdsProperties.Service service = properties.services().stream()
                .filter(s -> s.id().equals(id))
                .findFirst()
                .orElseThrow(() -> HookException.notFound("No CDS service with id '" + id + "'."));
        HookRequest request = HookRequest.from(readJson(body));
        return Map.of("cards", hookService.answer(service, request));
    }

    private JsonNode readJson(byte[] body) {
        if (isBlank(body)) {
            throw HookException.badRequest("The request body is empty; a CDS Hooks request is a JSON object.");
        }
        try {
            return reader.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw HookException.badRequest("The request body is not valid JSON"
                    + (location == null ? "." : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")."));
        } catch (IOException e) {
            throw HookException.badRequest("The request body is not valid JSON text (" + e.getClass().getSimpleName() + ").");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
