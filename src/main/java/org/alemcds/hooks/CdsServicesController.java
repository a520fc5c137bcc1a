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
import org.alemcds.audit.HookAudit;
import org.alemcds.cards.Card;
import org.alemcds.security.ClientAuthenticationFilter;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The CDS Hooks endpoints: discovery and service calls. */
@RestController
public class CdsServicesController {

    private final CdsProperties properties;
    private final HookService hookService;
    private final HookAudit hookAudit;
    private final ObjectReader reader;

    public CdsServicesController(
            CdsProperties properties, HookService hookService, ObjectMapper mapper, HookAudit hookAudit) {
        this.properties = properties;
        this.hookService = hookService;
        this.hookAudit = hookAudit;
        // Read requests the way HAPI reads FHIR JSON: decimals exactly as sent (FHIR decimal precision, no double
        // rounding), and nothing after the JSON value. The FHIR parser then works on this tree directly.
        this.reader = mapper.reader()
                .with(JsonNodeFactory.withExactBigDecimals(true))
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    // Always JSON, whatever the Accept header says: clients send application/fhir+json, */* or nothing.
    @GetMapping(path = "/cds-services")
    public ResponseEntity<Map<String, Object>> discovery() {
        List<Map<String, Object>> services = properties.services().stream()
                .map(service -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("hook", service.hook());
                    entry.put("title", service.title());
                    entry.put("description", service.description());
                    entry.put("id", service.id());
                    entry.put("prefetch", new java.util.TreeMap<>(hookService.prefetchOf(service).advertised()));
                    return entry;
                })
                .toList();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("services", services));
    }

    /**
     * A service call. The body is read as bytes, whatever the Content-Type says: JSON is UTF-8 (Jackson also detects
     * UTF-16/32), and Spring's converters would fail on a wildcard Content-Type with a 500 or rebuild a "form" body
     * from parameters.
     */
    @PostMapping(path = "/cds-services/{id}")
    public ResponseEntity<Map<String, List<Card>>> call(@PathVariable String id, HttpServletRequest http) throws IOException {
        HookAudit.Call audit = hookAudit.start(id, (String) http.getAttribute(ClientAuthenticationFilter.CLIENT_ISSUER));
        HookRequest request = null;
        try {
            byte[] body = http.getInputStream().readAllBytes();
            List<CdsProperties.Service> withId = properties.services().stream().filter(s -> s.id().equals(id)).toList();
            if (withId.isEmpty()) {
                throw HookException.notFound("No CDS service with id '" + id + "'.");
            }
            request = HookRequest.from(readJson(body));
            String hook = request.hook();
            // one id may be offered for several hooks (CDS Hooks §Update stale guidance): the pair names the service
            CdsProperties.Service service = withId.stream()
                    .filter(s -> s.hook().equals(hook))
                    .findFirst()
                    .orElseThrow(() -> HookException.notFound(
                            "The CDS service '" + id + "' does not answer the hook '" + hook + "'."));
            List<Card> cards = hookService.answer(service, request);
            audit.answered(request, cards);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("cards", cards));
        } catch (RuntimeException | IOException e) {
            audit.failed(request, e instanceof RuntimeException r ? r : new IllegalStateException(e));
            throw e;
        }
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
            throw HookException.badRequest("The request body is not valid JSON text.");
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
