package org.alemcds.hooks;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.alemcds.cards.Card;
import org.alemcds.cards.CardAssembler;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.cql.DefinitionTrace;
import org.opencds.cqf.cql.engine.exception.InvalidDate;
import org.opencds.cqf.cql.engine.exception.InvalidDateTime;
import org.opencds.cqf.cql.engine.exception.InvalidInterval;

/**
 * Answers one hook call: gathers the patient's data, evaluates the service's CQL library and assembles the cards.
 *
 * <p>Applicability is decided on the data at hand before anything is fetched: an order hook without an alemtuzumab
 * draft order, or a patient-view whose prefetch shows no alemtuzumab, answers with no cards and fetches nothing.
 */
public class HookService {

    static final String APPLICABLE = "Is Applicable";
    static final String CARDS = "Cards";

    private final CdsProperties properties;
    private final PatientDataAssembler assembler;
    private final CqlRuleEngine engine;
    private final CardAssembler cards;
    private final Clock clock;
    /** Per library: the resources its rules read (its data requirements), to parse only those. */
    private final Map<String, ReadFilter> readFilters = new ConcurrentHashMap<>();
    /** Per service (id and hook): its prefetch templates, from the data requirements of its library. */
    private final Map<CdsProperties.Service, ServicePrefetch> prefetch = new ConcurrentHashMap<>();

    public HookService(
            CdsProperties properties,
            PatientDataAssembler assembler,
            CqlRuleEngine engine,
            CardAssembler cards,
            Clock clock) {
        this.properties = properties;
        this.assembler = assembler;
        this.engine = engine;
        this.cards = cards;
        this.clock = clock;
    }

    public List<Card> answer(CdsProperties.Service service, HookRequest request) {
        return answer(service, request, null);
    }

    /**
     * As {@link #answer(CdsProperties.Service, HookRequest)}; {@code trace}, when not null, receives every CQL
     * definition the evaluation of the cards computed (see {@link CqlRuleEngine#evaluate}).
     */
    public List<Card> answer(CdsProperties.Service service, HookRequest request, DefinitionTrace trace) {
        if (!service.hook().equals(request.hook())) {
            throw HookException.badRequest(
                    "Service '" + service.id() + "' answers the hook '" + service.hook() + "', not '" + request.hook() + "'.");
        }
        ZonedDateTime now = ZonedDateTime.now(clock);
        Map<String, String> templates = prefetchOf(service).required();
        PatientData data = assembler.atHand(request, templates, readFilter(service));
        if (!data.missingPrefetchKeys().isEmpty()) {
            boolean clientSentData = request.prefetch() != null || service.hook().startsWith("order-");
            if (clientSentData && !isApplicable(service, request, data, now)) {
                return List.of();
            }
            data = assembler.complete(request, data, templates);
        }
        if (!data.hasPatient()) {
            throw HookException.dataUnavailable("The Patient resource " + request.patientId() + " is not in the prefetch data.");
        }
        Object result = evaluate(service, request, data, now, CARDS, trace);
        return cards.assemble(result, data.patientId());
    }

    /** The resources the service's library reads, from the data requirements of its compiled ELM. */
    public ReadFilter readFilter(CdsProperties.Service service) {
        return readFilters.computeIfAbsent(service.library(),
                library -> new ReadFilter(engine.dataRequirements(library, Set.of()), engine.terminology()));
    }

    /**
     * The service's prefetch templates (README "Departures and decisions (protocol)"): the configured ones its rules
     * read; for patient-view discovery advertises only those that decide whether the patient was ever given
     * alemtuzumab ("Is Applicable"), and the rest is fetched from the client's fhirServer for the patients who were.
     */
    public ServicePrefetch prefetchOf(CdsProperties.Service service) {
        return prefetch.computeIfAbsent(service, s -> ServicePrefetch.derive(properties.prefetch(),
                engine.dataRequirements(s.library(), Set.of()),
                s.hook().equals("patient-view") ? engine.dataRequirements(s.library(), Set.of(APPLICABLE)) : null,
                engine.terminology()));
    }

    private boolean isApplicable(CdsProperties.Service service, HookRequest request, PatientData data, ZonedDateTime now) {
        return Boolean.TRUE.equals(evaluate(service, request, data, now, APPLICABLE, null));
    }

    /** An invalid interval met while evaluating, explained by a Period of the data that ends before it starts. */
    private HookException invalidData(RuntimeException e, PatientData data) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidInterval) {
                String period = assembler.invertedPeriod(data);
                return period == null ? null : HookException.badRequest(period);
            }
            if (t instanceof InvalidDate || t instanceof InvalidDateTime) {
                // e.g. a date in year 1 that a rule's "- 90 days" takes below the CQL range 0001-9999
                return HookException.badRequest("A date in the patient data is outside the range the rules can compute"
                        + " with (years 0001 to 9999 with room for the rules' windows): " + t.getMessage());
            }
        }
        return null;
    }

    private Object evaluate(
            CdsProperties.Service service, HookRequest request, PatientData data, ZonedDateTime now, String expression,
            DefinitionTrace trace) {
        Map<String, Object> parameters = Map.of(
                "Decided Order Ids", data.decidedOrderIds(),
                "Hook", request.hook(),
                "Deployment Profile", properties.profile());
        try {
            return engine.evaluate(service.library(), List.of(expression), data.bundle(), data.patientId(), parameters, now,
                            trace).get(expression);
        } catch (RuntimeException e) {
            HookException dataProblem = invalidData(e, data);
            throw dataProblem != null ? dataProblem : e;
        }
    }
}
