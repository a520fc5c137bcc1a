package org.alemcds.worklist;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.cql.ValueSetIndex;
import org.alemcds.worklist.WorklistRow.CardLine;
import org.alemcds.worklist.WorklistRow.OverdueItem;
import org.alemcds.worklist.WorklistRow.Status;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.runtime.Date;
import org.opencds.cqf.cql.engine.runtime.Tuple;

/**
 * Evaluates the patient-view CQL for one patient of an export and turns its definitions and cards into a worklist
 * row. No clinical logic here: applicability, the window, what is overdue and every signal are the CQL's answers,
 * read as data (no card text is read for them).
 *
 * <p>The definitions read (names as in the CQL):
 * <ul>
 *   <li>{@value #ENTRY_LIBRARY}: "Is Applicable" (alemtuzumab exposure) and "Cards" (the reminders);
 *   <li>{@value #SCHEDULE_LIBRARY}: "Window" (active, lastInfusion, monitoringEnd), "Schedule" (one tuple per tracked
 *       test: item, note, lastDate, nextDue, overdue, ruleId) and "Signals" (ruleId, indicator, finding).
 * </ul>
 * The cards of the rules a schedule item or a signal names (ruleId) are not repeated as reminders.
 */
final class MonitoringEvaluator {

    static final String ENTRY_LIBRARY = "MonitoringChecks";
    static final String SCHEDULE_LIBRARY = "MonitoringSchedule";

    static final String APPLICABLE = "Is Applicable";
    static final String CARDS = "Cards";
    static final String WINDOW = "Window";
    static final String SCHEDULE = "Schedule";
    static final String SIGNALS = "Signals";

    static final List<String> SCHEDULE_DEFINITIONS = List.of(WINDOW, SCHEDULE, SIGNALS);

    /**
     * The resource types that can record drug exposure. A patient with none of them cannot be exposed, so the
     * applicability definition is evaluated only for the others, over these records alone (a cheap first look),
     * before the whole record is parsed.
     */
    static final Set<String> EXPOSURE_TYPES =
            Set.of("MedicationAdministration", "MedicationStatement", "MedicationDispense", "MedicationRequest");

    /** What became of one patient. */
    sealed interface Outcome {}

    record NotTreated() implements Outcome {}

    record Evaluated(WorklistRow row) implements Outcome {}

    record Failed(String reason) implements Outcome {}

    private static final NotTreated NOT_TREATED = new NotTreated();

    private final CqlRuleEngine engine;
    private final FhirContext fhirContext;
    private final Map<String, Object> parameters;
    private final LocalDate asOf;
    private final ZonedDateTime now;
    private final ThreadLocal<IParser> parser;

    MonitoringEvaluator(CqlRuleEngine engine, FhirContext fhirContext, String profile, LocalDate asOf) {
        this.engine = engine;
        this.fhirContext = fhirContext;
        this.asOf = asOf;
        this.now = asOf.atTime(12, 0).atZone(ZoneOffset.UTC);
        this.parameters = Map.of("Decided Order Ids", List.of(), "Hook", "patient-view", "Deployment Profile", profile);
        this.parser = ThreadLocal.withInitial(
                () -> fhirContext.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false)));
    }

    /**
     * The rule engine with the patient-view library translated, built without the web application; translated once
     * per JVM (a command runs once; tests run it several times).
     */
    static CqlRuleEngine standaloneEngine() {
        return StandaloneEngine.ENGINE;
    }

    private static final class StandaloneEngine {
        static final CqlRuleEngine ENGINE;

        static {
            FhirContext fhirContext = FhirContext.forR4Cached();
            ENGINE = new CqlRuleEngine(
                    fhirContext, ValueSetIndex.fromClasspath(fhirContext, "classpath*:fhir-resources/valuesets/*.json"));
            ENGINE.compile(List.of(ENTRY_LIBRARY));
        }
    }

    /**
     * @param records every record of the patient (the Patient resource included when the export has it)
     * @param medications Medication resources by id, for records that name their drug by reference
     * @param problems told the file and line of each record that cannot be read as FHIR (skipped)
     */
    Outcome evaluate(String patientId, List<ExportRecord> records, Function<String, ExportRecord> medications,
            ExportReader.ProblemSink problems) {
        List<ExportRecord> exposure = records.stream().filter(r -> EXPOSURE_TYPES.contains(r.type())).toList();
        if (exposure.isEmpty()) {
            return NOT_TREATED;
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Set<String> ids = new HashSet<>();
        List<ExportRecord> rest = new ArrayList<>();
        for (ExportRecord record : records) {
            if (record.type().equals("Patient") || EXPOSURE_TYPES.contains(record.type())) {
                add(bundle, ids, record, problems);
            } else {
                rest.add(record);
            }
        }
        addReferencedMedications(bundle, ids, medications, problems);
        try {
            if (!Boolean.TRUE.equals(evaluate(ENTRY_LIBRARY, List.of(APPLICABLE), bundle, patientId).get(APPLICABLE))) {
                return NOT_TREATED;
            }
            rest.forEach(record -> add(bundle, ids, record, problems));
            Object cards = evaluate(ENTRY_LIBRARY, List.of(CARDS), bundle, patientId).get(CARDS);
            Map<String, Object> schedule = evaluate(SCHEDULE_LIBRARY, SCHEDULE_DEFINITIONS, bundle, patientId);
            return new Evaluated(row(patientId, schedule, cards));
        } catch (RuntimeException e) {
            return new Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Map<String, Object> evaluate(String library, List<String> expressions, Bundle bundle, String patientId) {
        return engine.evaluate(library, expressions, bundle, patientId, parameters, now);
    }

    /** Adds the record's resource; one without an id gets one, a second one with the same id is reported. */
    private void add(Bundle bundle, Set<String> ids, ExportRecord record, ExportReader.ProblemSink problems) {
        try {
            if (parser.get().parseResource(record.json()) instanceof Resource resource) {
                if (resource.getIdElement().getIdPart() == null) {
                    resource.setId("line-" + record.line() + "-" + ids.size());
                }
                if (!ids.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart())) {
                    problems.malformed(record.where(), "a second " + record.type() + " with the same id (skipped)");
                    return;
                }
                bundle.addEntry().setResource(resource);
            }
        } catch (DataFormatException | ClassCastException e) {
            problems.malformed(record.where(), "not a readable FHIR R4 " + record.type() + ": " + e.getMessage());
        }
    }

    private void addReferencedMedications(Bundle bundle, Set<String> bundleIds, Function<String, ExportRecord> medications,
            ExportReader.ProblemSink problems) {
        Set<String> ids = new HashSet<>();
        var terser = fhirContext.newTerser();
        for (var entry : bundle.getEntry()) {
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(entry.getResource(), Reference.class)) {
                var id = reference.getReferenceElement();
                if ("Medication".equals(id.getResourceType()) && id.getIdPart() != null) {
                    ids.add(id.getIdPart());
                }
            }
        }
        for (String id : ids) {
            ExportRecord medication = medications.apply(id);
            if (medication != null) {
                add(bundle, bundleIds, medication, problems);
            }
        }
    }

    private WorklistRow row(String patientId, Map<String, Object> schedule, Object cards) {
        Map<String, Object> window = elements(schedule.get(WINDOW));
        boolean active = Boolean.TRUE.equals(window.get("active"));
        Set<String> restated = new HashSet<>();
        List<OverdueItem> overdue = new ArrayList<>();
        LocalDate nextDue = null;
        for (Object value : list(schedule.get(SCHEDULE))) {
            Map<String, Object> item = elements(value);
            addRule(restated, item);
            if (active) {
                nextDue = earliest(nextDue, date(item.get("nextDue")));
                if (Boolean.TRUE.equals(item.get("overdue"))) {
                    String note = (String) item.get("note");
                    String name = item.get("item") + (note == null || note.isEmpty() ? "" : " (" + note + ")");
                    overdue.add(overdueItem(name, date(item.get("lastDate")), date(item.get("nextDue"))));
                }
            }
        }
        List<CardLine> signals = new ArrayList<>();
        for (Object value : list(schedule.get(SIGNALS))) {
            Map<String, Object> signal = elements(value);
            addRule(restated, signal);
            signals.add(new CardLine((String) signal.get("ruleId"), (String) signal.get("indicator"), (String) signal.get("finding")));
        }
        List<CardLine> reminders = new ArrayList<>();
        for (Object card : list(cards)) {
            Map<String, Object> tuple = elements(card);
            if (!restated.contains(tuple.get("ruleId"))) {
                reminders.add(new CardLine((String) tuple.get("ruleId"), (String) tuple.get("indicator"), (String) tuple.get("summary")));
            }
        }
        Status status = !active ? Status.ENDED
                : !signals.isEmpty() ? Status.SIGNAL
                : !overdue.isEmpty() ? Status.OVERDUE
                : Status.ON_SCHEDULE;
        return new WorklistRow(patientId, status, date(window.get("lastInfusion")), date(window.get("monitoringEnd")),
                List.copyOf(overdue), List.copyOf(signals), List.copyOf(reminders), nextDue);
    }

    private static void addRule(Set<String> rules, Map<String, Object> tuple) {
        if (tuple.get("ruleId") instanceof String ruleId) {
            rules.add(ruleId);
        }
    }

    private static Map<String, Object> elements(Object tuple) {
        return tuple instanceof Tuple t ? t.getElements() : Map.of();
    }

    private OverdueItem overdueItem(String item, LocalDate lastDate, LocalDate dueDate) {
        Long days = dueDate == null ? null : Math.max(0, ChronoUnit.DAYS.between(dueDate, asOf));
        return new OverdueItem(item, lastDate, dueDate, days);
    }

    private static LocalDate earliest(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : (a.isBefore(b) ? a : b);
    }

    private static Iterable<?> list(Object value) {
        return value instanceof Iterable<?> values ? values : List.of();
    }

    private static LocalDate date(Object value) {
        return value instanceof Date d ? d.getDate() : null;
    }
}
