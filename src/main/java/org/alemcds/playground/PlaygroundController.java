package org.alemcds.playground;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.alemcds.audit.HookAudit;
import org.alemcds.cli.BundleEvaluator;
import org.alemcds.cli.PatientRecord;
import org.alemcds.cli.Reports;
import org.alemcds.hooks.HookException;
import org.alemcds.hooks.HookRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The playground's JSON API (the page itself is static, under {@code /playground/}): the sample patients, and the
 * evaluation of a pasted or picked record for a hook, explained. Cards are recorded as issued, like those of a hook
 * call, so that the page can send feedback on them to the service's real feedback endpoint.
 */
@RestController
public class PlaygroundController {

    /**
     * The page's request.
     *
     * @param record the patient's record as text (a FHIR R4 Bundle or NDJSON); or null with {@code sample}
     * @param sample the name of a sample patient
     */
    public record EvaluateRequest(String record, String sample, String hook, String start, Integer course, String profile,
            Boolean premedication) {}

    private final BundleEvaluator evaluator;
    private final SamplePatients samples;
    private final HookAudit audit;
    private final FhirContext fhirContext;
    private final ObjectMapper mapper;

    public PlaygroundController(BundleEvaluator evaluator, SamplePatients samples, HookAudit audit, FhirContext fhirContext,
            ObjectMapper mapper) {
        this.evaluator = evaluator;
        this.samples = samples;
        this.audit = audit;
        this.fhirContext = fhirContext;
        this.mapper = mapper;
    }

    @GetMapping(path = "/playground/samples", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, String>> samples() {
        return samples.all().stream().map(s -> Map.of("name", s.name(), "label", s.label())).toList();
    }

    @GetMapping(path = "/playground/samples/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    public JsonNode sample(@PathVariable String name) {
        SamplePatients.Sample sample = samples.get(name);
        if (sample == null) {
            throw HookException.notFound("No sample patient '" + name + "'.");
        }
        return sample.bundle();
    }

    @PostMapping(path = "/playground/evaluate", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> evaluate(@RequestBody EvaluateRequest request) throws IOException {
        if (request == null || request.hook() == null) {
            throw HookException.badRequest("'hook' is required.");
        }
        BundleEvaluator.Options options;
        try {
            options = new BundleEvaluator.Options(request.hook(), date(request.start()),
                    request.course() == null ? 1 : request.course(), blankToNull(request.profile()),
                    request.premedication() == null || request.premedication(), true);
        } catch (IllegalArgumentException e) {
            throw HookException.badRequest(e.getMessage());
        }
        byte[] text = recordText(request);
        BundleEvaluator.Result result;
        PatientRecord record;
        try {
            record = PatientRecord.read(new ByteArrayInputStream(text), "The record", fhirContext);
            result = evaluator.evaluate(record, options);
        } catch (PatientRecord.Unusable e) {
            throw HookException.badRequest(e.getMessage());
        }
        HookAudit.Call call = audit.start(result.service().id());
        call.answered(HookRequest.from(result.request()), result.cards());
        return ResponseEntity.ok(Reports.page(result, record.patientId()));
    }

    private byte[] recordText(EvaluateRequest request) throws IOException {
        if (request.record() != null && !request.record().isBlank()) {
            return request.record().getBytes(StandardCharsets.UTF_8);
        }
        if (request.sample() != null) {
            SamplePatients.Sample sample = samples.get(request.sample());
            if (sample == null) {
                throw HookException.badRequest("No sample patient '" + request.sample() + "'.");
            }
            return mapper.writeValueAsBytes(sample.bundle());
        }
        throw HookException.badRequest("Paste or upload a record, or pick a sample patient.");
    }

    private static LocalDate date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw HookException.badRequest("'start' must be a date YYYY-MM-DD.");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
