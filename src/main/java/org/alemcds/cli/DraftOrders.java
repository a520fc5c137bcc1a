package org.alemcds.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionConditionComponent;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionRelatedActionComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.Timing;

/**
 * Applies the service's alemtuzumab order set ({@code fhir-resources/orders}: a PlanDefinition and one
 * ActivityDefinition per order) to a course: course day 1 and the course number in, FHIR R4 MedicationRequests with
 * status {@code draft} out. Every drug, dose, route and offset is in those resources; this class only reads them.
 *
 * <p>How the PlanDefinition is read (also written in its description): the action that the other actions'
 * {@code relatedAction} points to is the anchor (the alemtuzumab infusions); of its sub-actions, the one whose
 * applicability condition (FHIRPath, the course number as {@code %course}) holds gives the infusion days
 * ({@code timingTiming}: count per day). Every other action is placed by its {@code relatedAction}s: a relationship
 * ending in {@code -start} sets its first day from the anchor's first day, one ending in {@code -end} its last day from
 * the anchor's last day, {@code before-} subtracting and {@code after-} adding {@code offsetDuration}. Without an end
 * relation an order ends when its dosage count is used up, else it is open-ended. A product code must be listed in the
 * value set its ActivityDefinition depends on (the set the rules recognise it by), else writing fails.
 */
public final class DraftOrders {

    private static final String ORDERS = "fhir-resources/orders/";
    private static final String ORDER_SET = "PlanDefinition-alemtuzumab-course.json";
    private static final String VALUE_SETS = "fhir-resources/valuesets/";

    /** One action of the order set, read: what it orders and when, relative to the anchor. */
    private record Placed(ActivityDefinition definition, PlanDefinitionActionRelatedActionComponent start,
            PlanDefinitionActionRelatedActionComponent end) {}

    private final FhirContext fhirContext;
    private final ObjectMapper mapper;
    private final ClassLoader resources;
    private final PlanDefinitionActionComponent anchor;
    private final Map<String, ActivityDefinition> definitions = new HashMap<>();
    private final List<Placed> premedication = new ArrayList<>();
    private final Set<String> anchorCodes;
    private final Map<Integer, PlanDefinitionActionComponent> infusionsByCourse = new ConcurrentHashMap<>();

    public DraftOrders(FhirContext fhirContext, ObjectMapper mapper) {
        this(fhirContext, mapper, DraftOrders.class.getClassLoader());
    }

    /** The order set and value sets read from {@code resources} (tests: a changed copy). */
    DraftOrders(FhirContext fhirContext, ObjectMapper mapper, ClassLoader resources) {
        this.fhirContext = fhirContext;
        this.mapper = mapper;
        this.resources = resources;
        PlanDefinition orderSet = read(ORDERS + ORDER_SET, PlanDefinition.class);
        Set<String> referenced = new HashSet<>();
        orderSet.getAction().forEach(a -> a.getRelatedAction().forEach(r -> referenced.add(r.getActionId())));
        List<PlanDefinitionActionComponent> anchors = orderSet.getAction().stream()
                .filter(a -> referenced.contains(a.getId())).toList();
        if (anchors.size() != 1) {
            throw new IllegalStateException(ORDER_SET + ": the other actions must relate to exactly one action, not " + referenced);
        }
        this.anchor = anchors.get(0);
        for (PlanDefinitionActionComponent action : orderSet.getAction()) {
            if (action == anchor) {
                continue;
            }
            PlanDefinitionActionRelatedActionComponent start = null;
            PlanDefinitionActionRelatedActionComponent end = null;
            for (PlanDefinitionActionRelatedActionComponent related : action.getRelatedAction()) {
                String relationship = related.getRelationship().toCode();
                if (relationship.endsWith("-start")) {
                    start = related;
                } else if (relationship.endsWith("-end")) {
                    end = related;
                } else {
                    throw new IllegalStateException(ORDER_SET + ", action " + action.getId() + ": relationship '"
                            + relationship + "' places neither its start nor its end");
                }
            }
            if (start == null) {
                throw new IllegalStateException(ORDER_SET + ", action " + action.getId() + " has no -start relatedAction");
            }
            premedication.add(new Placed(definition(action), start, end));
        }
        List<PlanDefinitionActionComponent> infusionChoices = anchor.hasAction() ? anchor.getAction() : List.of(anchor);
        infusionChoices.forEach(this::definition); // all read here: the map is only read after construction
        this.anchorCodes = dependedOnCodes(definition(infusionChoices.get(0)));
    }

    /** Whether a MedicationRequest is a draft alemtuzumab order (coded from the value set the anchor's product is in). */
    public boolean isAlemtuzumabDraft(JsonNode request) {
        if (!"draft".equals(request.path("status").asText())) {
            return false;
        }
        for (JsonNode coding : request.path("medicationCodeableConcept").path("coding")) {
            if (anchorCodes.contains(coding.path("system").asText() + "|" + coding.path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The alemtuzumab order for course {@code course} starting on {@code start}, then, when asked for, the
     * premedication, each as a MedicationRequest JSON object with status draft.
     */
    public List<ObjectNode> write(String patientId, LocalDate start, int course, boolean premedication) {
        PlanDefinitionActionComponent infusions = infusionsByCourse.computeIfAbsent(course, this::infusionsFor);
        Timing.TimingRepeatComponent days = infusions.getTimingTiming().getRepeat();
        LocalDate last = lastDay(start, days);
        List<MedicationRequest> orders = new ArrayList<>();
        MedicationRequest alemtuzumab = order(patientId, definition(infusions), start, last);
        Dosage dosage = alemtuzumab.getDosageInstructionFirstRep();
        dosage.getTiming().getRepeat().setCount(days.getCount()).setFrequency(days.getFrequency())
                .setPeriod(days.getPeriod()).setPeriodUnit(days.getPeriodUnit());
        if (infusions != anchor && infusions.hasTitle()) {
            dosage.setText(infusions.getTitle() + ". " + dosage.getText());
        }
        anchor.getReason().forEach(reason -> alemtuzumab.addReasonCode(reason.copy()));
        orders.add(alemtuzumab);
        if (premedication) {
            for (Placed placed : this.premedication) {
                LocalDate first = shift(placed.start(), start, last);
                LocalDate end = placed.end() != null ? shift(placed.end(), start, last)
                        : placed.definition().getDosageFirstRep().getTiming().getRepeat().hasCount()
                                ? lastDay(first, placed.definition().getDosageFirstRep().getTiming().getRepeat()) : null;
                orders.add(order(patientId, placed.definition(), first, end));
            }
        }
        List<ObjectNode> json = new ArrayList<>();
        IParser parser = fhirContext.newJsonParser();
        for (MedicationRequest order : orders) {
            try {
                json.add((ObjectNode) mapper.readTree(parser.encodeResourceToString(order)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    /** The anchor's sub-action whose applicability condition holds for the course (the anchor when it has none). */
    private PlanDefinitionActionComponent infusionsFor(int course) {
        if (!anchor.hasAction()) {
            return anchor;
        }
        IFhirPath fhirPath = fhirContext.newFhirPath();
        fhirPath.setEvaluationContext(new IFhirPathEvaluationContext() {
            @Override
            public List<IBase> resolveConstant(Object appContext, String name, ConstantEvaluationMode mode) {
                return "course".equals(name) || "%course".equals(name) ? List.of(new IntegerType(course)) : null;
            }
        });
        List<PlanDefinitionActionComponent> applicable = anchor.getAction().stream()
                .filter(action -> action.getCondition().stream().allMatch(c -> holds(fhirPath, action, c)))
                .toList();
        if (applicable.size() != 1) {
            throw new IllegalStateException(ORDER_SET + ": " + applicable.size() + " infusion actions apply to course " + course);
        }
        return applicable.get(0);
    }

    private static boolean holds(IFhirPath fhirPath, PlanDefinitionActionComponent action,
            PlanDefinitionActionConditionComponent condition) {
        if (condition.getKind() != PlanDefinition.ActionConditionKind.APPLICABILITY) {
            return true;
        }
        if (!"text/fhirpath".equals(condition.getExpression().getLanguage())) {
            throw new IllegalStateException(ORDER_SET + ", action " + action.getId() + ": only FHIRPath conditions are read");
        }
        return fhirPath.evaluateFirst(action, condition.getExpression().getExpression(), BooleanType.class)
                .map(BooleanType::booleanValue).orElse(false);
    }

    /** The day a relatedAction places: the anchor's first or last day, minus (before-) or plus (after-) the offset. */
    private static LocalDate shift(PlanDefinitionActionRelatedActionComponent related, LocalDate first, LocalDate last) {
        String relationship = related.getRelationship().toCode();
        LocalDate day = relationship.endsWith("-start") ? first : last;
        if (!related.hasOffsetDuration()) {
            return day;
        }
        Duration offset = related.getOffsetDuration();
        int amount = offset.getValue().intValueExact() * (relationship.startsWith("before") ? -1 : 1);
        return switch (offset.getCode()) {
            case "d" -> day.plusDays(amount);
            case "wk" -> day.plusWeeks(amount);
            case "mo" -> day.plusMonths(amount);
            default -> throw new IllegalStateException(ORDER_SET + ", action " + related.getActionId()
                    + ": offset unit '" + offset.getCode() + "' (use d, wk or mo)");
        };
    }

    /** The last day of {@code count} doses at {@code frequency} per {@code period} days, from {@code first}. */
    private static LocalDate lastDay(LocalDate first, Timing.TimingRepeatComponent repeat) {
        if (repeat.getPeriodUnit() != Timing.UnitsOfTime.D) {
            throw new IllegalStateException(ORDER_SET + ": a counted timing must be per day (periodUnit d)");
        }
        int frequency = repeat.hasFrequency() ? repeat.getFrequency() : 1;
        int period = repeat.hasPeriod() ? repeat.getPeriod().intValueExact() : 1;
        int occurrences = (repeat.getCount() + frequency - 1) / frequency;
        return first.plusDays((long) (occurrences - 1) * period);
    }

    /** A draft MedicationRequest of the definition, its dosage bounded from {@code first} to {@code last} (null: open). */
    private MedicationRequest order(String patientId, ActivityDefinition definition, LocalDate first, LocalDate last) {
        Set<String> allowed = dependedOnCodes(definition);
        for (Coding coding : definition.getProductCodeableConcept().getCoding()) {
            if (!allowed.contains(coding.getSystem() + "|" + coding.getCode())) {
                throw new IllegalStateException(ORDERS + "ActivityDefinition-" + definition.getIdPart() + ".json: "
                        + coding.getSystem() + "|" + coding.getCode() + " is not in the value set it depends on");
            }
        }
        MedicationRequest order = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.DRAFT)
                .setIntent(MedicationRequest.MedicationRequestIntent.fromCode(definition.getIntent().toCode()))
                .setSubject(new Reference("Patient/" + patientId))
                .setAuthoredOnElement(DateTimeType.now());
        order.setId("MedicationRequest/draft-" + definition.getIdPart());
        order.addInstantiatesCanonical(definition.getUrl());
        order.setMedication(definition.getProductCodeableConcept().copy());
        for (Dosage dosage : definition.getDosage()) {
            Dosage copy = dosage.copy();
            Period bounds = new Period().setStartElement(new DateTimeType(first.toString()));
            if (last != null) {
                bounds.setEndElement(new DateTimeType(last.toString()));
            }
            copy.getTiming().getRepeat().setBounds(bounds);
            order.addDosageInstruction(copy);
        }
        return order;
    }

    private ActivityDefinition definition(PlanDefinitionActionComponent action) {
        String canonical = action.getDefinitionCanonicalType().getValue();
        String id = canonical.substring(canonical.lastIndexOf('/') + 1);
        return definitions.computeIfAbsent(id, x -> read(ORDERS + "ActivityDefinition-" + id + ".json", ActivityDefinition.class));
    }

    /** The system|code keys of the value sets the definition depends on (relatedArtifact depends-on). */
    private Set<String> dependedOnCodes(ActivityDefinition definition) {
        Set<String> codes = new HashSet<>();
        for (RelatedArtifact artifact : definition.getRelatedArtifact()) {
            if (artifact.getType() == RelatedArtifact.RelatedArtifactType.DEPENDSON && artifact.hasResource()) {
                String url = artifact.getResource();
                JsonNode valueSet = json(VALUE_SETS + url.substring(url.lastIndexOf('/') + 1) + ".json");
                for (JsonNode concept : valueSet.path("expansion").path("contains")) {
                    codes.add(concept.path("system").asText() + "|" + concept.path("code").asText());
                }
            }
        }
        return codes;
    }

    private <T extends IBaseResource> T read(String path, Class<T> type) {
        try (InputStream in = stream(path)) {
            return fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler()).parseResource(type, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode json(String path) {
        try (InputStream in = stream(path)) {
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InputStream stream(String path) {
        InputStream in = resources.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the classpath");
        }
        return in;
    }
}
