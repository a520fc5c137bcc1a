package org.alemcds.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.alemcds.cards.Card;
import org.alemcds.cards.CardAssembler;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.explain.Explainer;
import org.alemcds.explain.Explanation;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.HookException;
import org.alemcds.hooks.HookRequest;
import org.alemcds.hooks.HookService;
import org.alemcds.hooks.PatientDataAssembler;

/**
 * Evaluates one patient's record for a hook without the web server: builds the CDS Hooks request an EHR would send
 * (the record as prefetch, the alemtuzumab draft order written when the record has none) and answers it with the same
 * {@link HookService} as the HTTP endpoint, optionally explained. Used by the {@code evaluate} command and the
 * playground; thread-safe.
 */
public final class BundleEvaluator {

    /**
     * What to evaluate.
     *
     * @param hook order-sign, order-select or patient-view
     * @param start planned start of the course for a written order (null: today)
     * @param course course number of a written order (its infusion days: fhir-resources/orders)
     * @param profile deployment profile UNION, US or EU (null: the configured one)
     * @param premedication whether a written order comes with the standard premedication
     * @param explain whether to explain every rule of the hook
     */
    public record Options(String hook, LocalDate start, int course, String profile, boolean premedication, boolean explain) {
        public Options {
            if (course < 1 || course > 9) {
                throw new IllegalArgumentException("course must be between 1 and 9");
            }
        }
    }

    /**
     * @param service the CDS service that answered
     * @param cards the CDS Hooks cards
     * @param explanation per rule, fired or silent and why; null unless asked for
     * @param notes what was done to the record to make the call (e.g. the order written)
     * @param request the CDS Hooks request that was answered
     */
    public record Result(CdsProperties.Service service, List<Card> cards, Explanation explanation, List<String> notes,
            ObjectNode request) {

        public boolean hasCritical() {
            return cards.stream().anyMatch(c -> "critical".equals(c.indicator()));
        }
    }

    public static final List<String> PROFILES = List.of("UNION", "US", "EU");
    private static final String USER = "Practitioner/cds-evaluate";

    private final CdsProperties properties;
    private final PatientDataAssembler assembler;
    private final CqlRuleEngine engine;
    private final CardAssembler cardAssembler;
    private final Clock clock;
    private final DraftOrders draftOrders;
    private final Explainer explainer;
    private final Map<String, HookService> servicesByProfile = new ConcurrentHashMap<>();

    public BundleEvaluator(CdsProperties properties, PatientDataAssembler assembler, CqlRuleEngine engine,
            CardAssembler cardAssembler, Clock clock, DraftOrders draftOrders, Explainer explainer) {
        this.properties = properties;
        this.assembler = assembler;
        this.engine = engine;
        this.cardAssembler = cardAssembler;
        this.clock = clock;
        this.draftOrders = draftOrders;
        this.explainer = explainer;
    }

    /** @throws PatientRecord.Unusable when the hook is unknown or the service refuses the data (its 400/412 message) */
    public Result evaluate(PatientRecord record, Options options) {
        CdsProperties.Service service = service(options.hook());
        String profile = options.profile() == null ? properties.profile() : options.profile().toUpperCase();
        if (!PROFILES.contains(profile)) {
            throw new PatientRecord.Unusable("Unknown profile '" + options.profile() + "'; profiles: " + String.join(", ", PROFILES) + ".");
        }
        List<String> notes = new ArrayList<>();
        ObjectNode request = request(record, options, notes);
        HookService hookService = servicesByProfile.computeIfAbsent(profile, p -> new HookService(
                new CdsProperties(p, properties.prefetch(), properties.services(), properties.fhirClient()),
                assembler, engine, cardAssembler, clock));
        Explainer.Trace trace = options.explain() ? explainer.trace() : null;
        List<Card> cards;
        try {
            cards = hookService.answer(service, HookRequest.from(request), trace);
        } catch (HookException e) {
            throw new PatientRecord.Unusable(e.getMessage());
        }
        Explanation explanation = trace == null ? null : trace.explain(service.library(), cards);
        return new Result(service, cards, explanation, List.copyOf(notes), request);
    }

    /** The service that answers a hook. */
    public CdsProperties.Service service(String hook) {
        return properties.services().stream()
                .filter(s -> s.hook().equals(hook))
                .findFirst()
                .orElseThrow(() -> new PatientRecord.Unusable("No service answers the hook '" + hook + "'; hooks: "
                        + String.join(", ", properties.services().stream().map(CdsProperties.Service::hook).distinct().toList())
                        + "."));
    }

    /** The CDS Hooks request for the record: all of it under one prefetch key, every other key satisfied empty. */
    private ObjectNode request(PatientRecord record, Options options, List<String> notes) {
        var json = JsonNodeFactory.instance;
        ObjectNode request = json.objectNode();
        request.put("hook", options.hook());
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", USER);
        context.put("patientId", record.patientId());
        if (options.hook().startsWith("order-")) {
            List<JsonNode> drafts = new ArrayList<>(record.resources("MedicationRequest").stream()
                    .filter(r -> "draft".equals(r.path("status").asText()))
                    .toList());
            List<JsonNode> alemtuzumab = drafts.stream().filter(draftOrders::isAlemtuzumabDraft).toList();
            if (alemtuzumab.isEmpty()) {
                LocalDate start = options.start() == null ? LocalDate.now(clock) : options.start();
                var written = draftOrders.write(record.patientId(), start, options.course(), options.premedication());
                drafts.addAll(written);
                notes.add("Wrote an alemtuzumab draft order (course " + options.course() + ", "
                        + written.get(0).at("/dosageInstruction/0/timing/repeat/count").asInt() + " infusions from " + start + ")"
                        + (options.premedication()
                                ? " with the standard premedication (" + (written.size() - 1) + " orders)." : ", no premedication."));
            } else {
                notes.add("Used the record's alemtuzumab draft order; --start, --course and --premedication do not change it.");
            }
            ObjectNode draftBundle = context.putObject("draftOrders");
            draftBundle.put("resourceType", "Bundle");
            draftBundle.put("type", "collection");
            var entries = draftBundle.putArray("entry");
            drafts.forEach(d -> entries.addObject().set("resource", d));
            if (options.hook().equals("order-select")) {
                var selections = context.putArray("selections");
                drafts.stream().filter(draftOrders::isAlemtuzumabDraft)
                        .forEach(d -> selections.add("MedicationRequest/" + d.path("id").asText()));
            }
        }
        ObjectNode prefetch = request.putObject("prefetch");
        boolean first = true;
        for (String key : properties.prefetch().keySet()) {
            if (first) {
                prefetch.set(key, record.bundle());
                first = false;
            } else {
                prefetch.putNull(key);
            }
        }
        return request;
    }
}
