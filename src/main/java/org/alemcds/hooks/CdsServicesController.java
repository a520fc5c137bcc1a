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
        HookAudit.Call audit = hookAudit.start(id);
        HookRequest request = null;
        try {
            CdsProperties.Service service = properties.services().stream()
                    .filter(s -> s.id().equals(id))
                    .findFirst()
                    .orElseThrow(() -> HookException.notFound("No CDS service with id '" + id + "'."));
            request = HookRequest.from(readJson(body));
            List<Card> cards = hookService.answer(service, request);
            audit.answered(request, cards);
            return Map.of("cards", cards);
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
