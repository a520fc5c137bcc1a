package org.alemcds.cli;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;

/**
 * The alemtuzumab draft order an integrator would otherwise write by hand, and the standard premedication order set
 * (methylprednisolone 1 g IV days 1-3, aciclovir prophylaxis, an H1 and an H2 antihistamine, paracetamol), as FHIR R4
 * MedicationRequests with status {@code draft}. Every medication code is taken from the project's value set that the
 * rules check it against ({@code fhir-resources/valuesets}), so the orders are recognised as the rules expect.
 */
public final class DraftOrders {

    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final String ALEMTUZUMAB_VALUE_SET = "alemtuzumab-product";

    /**
     * One order of the set: its value set, the RxNorm code taken from it, dose and schedule. {@code firstDay} counts
     * from course day 1; {@code lastDay} from day 1, or from the last infusion when {@code untilCourseEnd}; null: open.
     */
    private record Item(String valueSet, String code, String idSuffix, String text, String dosage, int doseMg,
            boolean intravenous, int firstDay, Integer lastDay, boolean untilCourseEnd, int perDay) {}

    private static final List<Item> PREMEDICATION = List.of(
            new Item("methylprednisolone", "1743726", "methylprednisolone", "Methylprednisolone 1 g IV",
                    "1,000 mg IV over 60 min, ending before the alemtuzumab infusion, on course days 1-3", 1000, true, 0, 2, false, 1),
            new Item("antiherpes-prophylaxis", "197311", "acyclovir", "Acyclovir 400 mg tablet",
                    "400 mg twice daily from course day 1, for at least 2 months after the course and until CD4 >= 200 cells/uL",
                    400, false, 0, null, false, 2),
            new Item("antihistamine-h1", "20610", "cetirizine", "Cetirizine 10 mg tablet",
                    "10 mg twice daily from the evening before day 1 until 7 days after the course", 10, false, -1, 7, true, 2),
            new Item("h2-blocker", "4278", "famotidine", "Famotidine 20 mg tablet", "20 mg twice daily during the course",
                    20, false, -1, 0, true, 2),
            new Item("antipyretic", "161", "paracetamol", "Paracetamol 1 g IV",
                    "1 g IV 30-60 min before each alemtuzumab infusion", 1000, true, 0, 0, true, 1));

    private final FhirContext fhirContext;
    private final ObjectMapper mapper;
    private final Set<String> alemtuzumabCodes;

    public DraftOrders(FhirContext fhirContext, ObjectMapper mapper) {
        this.fhirContext = fhirContext;
        this.mapper = mapper;
        this.alemtuzumabCodes = codes(ALEMTUZUMAB_VALUE_SET);
    }

    /** Whether a MedicationRequest is a draft alemtuzumab order (coded from the alemtuzumab product value set). */
    public boolean isAlemtuzumabDraft(JsonNode request) {
        if (!"draft".equals(request.path("status").asText())) {
            return false;
        }
        for (JsonNode coding : request.path("medicationCodeableConcept").path("coding")) {
            if (alemtuzumabCodes.contains(coding.path("system").asText() + "|" + coding.path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The alemtuzumab order for a course starting on {@code start} (5 daily infusions for course 1, 3 later), then the
     * premedication when asked for, each as a MedicationRequest JSON object.
     */
    public List<ObjectNode> write(String patientId, LocalDate start, int course, boolean premedication) {
        int infusions = course == 1 ? 5 : 3;
        List<MedicationRequest> orders = new ArrayList<>();
        String alemtuzumabCode = alemtuzumabCodes.contains(RXNORM + "|1594663") ? "1594663" : firstRxNorm(ALEMTUZUMAB_VALUE_SET);
        MedicationRequest alemtuzumab = order(patientId, "alemtuzumab", ALEMTUZUMAB_VALUE_SET, alemtuzumabCode,
                "Lemtrada (alemtuzumab) 12 mg/1.2 mL concentrate for infusion");
        alemtuzumab.addDosageInstruction(dosage(
                "Course " + course + ": 12 mg in 100 mL NaCl 0.9% IV over 4 hours once daily on " + infusions + " consecutive days",
                12, true, start, start.plusDays(infusions - 1), 1));
        alemtuzumab.getDosageInstructionFirstRep().getTiming().getRepeat().setCount(infusions).setDuration(4)
                .setDurationUnit(Timing.UnitsOfTime.H);
        alemtuzumab.addReasonCode(new CodeableConcept(new Coding(SNOMED, "426373005", "Relapsing remitting multiple sclerosis")));
        orders.add(alemtuzumab);
        if (premedication) {
            for (Item item : PREMEDICATION) {
                MedicationRequest order = order(patientId, item.idSuffix(), item.valueSet(), item.code(), item.text());
                LocalDate last = item.lastDay() == null ? null
                        : start.plusDays(item.lastDay() + (item.untilCourseEnd() ? infusions - 1 : 0));
                order.addDosageInstruction(dosage(item.dosage(), item.doseMg(), item.intravenous(),
                        start.plusDays(item.firstDay()), last, item.perDay()));
                orders.add(order);
            }
        }
        List<ObjectNode> json = new ArrayList<>();
        var parser = fhirContext.newJsonParser();
        for (MedicationRequest order : orders) {
            try {
                json.add((ObjectNode) mapper.readTree(parser.encodeResourceToString(order)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    private MedicationRequest order(String patientId, String idSuffix, String valueSet, String code, String text) {
        String display = display(valueSet, code);
        MedicationRequest order = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.DRAFT)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference("Patient/" + patientId))
                .setAuthoredOnElement(DateTimeType.now());
        order.setId("MedicationRequest/draft-" + idSuffix);
        order.setMedication(new CodeableConcept(new Coding(RXNORM, code, display)).setText(text));
        return order;
    }

    private static Dosage dosage(String text, int doseMg, boolean intravenous, LocalDate first, LocalDate last, int perDay) {
        Dosage dosage = new Dosage().setSequence(1).setText(text);
        Period bounds = new Period().setStartElement(new DateTimeType(first.toString()));
        if (last != null) {
            bounds.setEndElement(new DateTimeType(last.toString()));
        }
        dosage.getTiming().getRepeat().setBounds(bounds).setFrequency(perDay).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D);
        dosage.setRoute(intravenous
                ? new CodeableConcept(new Coding(SNOMED, "47625008", "Intravenous route"))
                : new CodeableConcept(new Coding(SNOMED, "26643006", "Oral route")));
        dosage.addDoseAndRate().setDose(new Quantity().setValue(doseMg).setUnit("mg")
                .setSystem("http://unitsofmeasure.org").setCode("mg"));
        return dosage;
    }

    private JsonNode valueSet(String name) {
        String path = "fhir-resources/valuesets/" + name + ".json";
        try (InputStream in = DraftOrders.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Value set " + path + " is not on the classpath");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> codes(String valueSet) {
        Set<String> codes = new HashSet<>();
        for (JsonNode concept : valueSet(valueSet).path("expansion").path("contains")) {
            codes.add(concept.path("system").asText() + "|" + concept.path("code").asText());
        }
        return codes;
    }

    private String firstRxNorm(String valueSet) {
        for (JsonNode concept : valueSet(valueSet).path("expansion").path("contains")) {
            if (RXNORM.equals(concept.path("system").asText())) {
                return concept.path("code").asText();
            }
        }
        throw new IllegalStateException("Value set " + valueSet + " has no RxNorm code");
    }

    /** The display of a code in a value set; fails when the value set does not accept the code. */
    private String display(String valueSet, String code) {
        for (JsonNode concept : valueSet(valueSet).path("expansion").path("contains")) {
            if (RXNORM.equals(concept.path("system").asText()) && code.equals(concept.path("code").asText())) {
                return concept.path("display").asText(null);
            }
        }
        throw new IllegalStateException("RxNorm " + code + " is not in the value set " + valueSet);
    }
}
