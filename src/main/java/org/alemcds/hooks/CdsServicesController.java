package org.alemcds.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alemcds.audit.HookAudit;
import org.alemcds.cards.Card;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
    private final ObjectMapper mapper;
    private final HookAudit hookAudit;

    public CdsServicesController(
            CdsProperties properties, HookService hookService, ObjectMapper mapper, HookAudit hookAudit) {
        this.properties = properties;
        this.hookService = hookService;
        this.mapper = mapper;
        this.hookAudit = hookAudit;
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
                    entry.put("prefetch", properties.prefetch());
                    return entry;
                })
                .toList();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("services", services));
    }

    @PostMapping(path = "/cds-services/{id}")
    public ResponseEntity<Map<String, List<Card>>> call(@PathVariable String id, @RequestBody(required = false) String body) {
        HookAudit.Call audit = hookAudit.start(id);
        HookRequest request = null;
        try {
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
        } catch (RuntimeException e) {
            audit.failed(request, e);
            throw e;
        }
    }

    private JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            throw HookException.badRequest("The request body is empty; a CDS Hooks request is a JSON object.");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw HookException.badRequest("The request body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").");
        }
    }
}
