package org.alemcds.explain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.opencds.cqf.cql.engine.runtime.BaseTemporal;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Concept;
import org.opencds.cqf.cql.engine.runtime.Interval;
import org.opencds.cqf.cql.engine.runtime.Tuple;

/**
 * A CQL value as a clinician reads it: quantities with their units, dates as dates, FHIR resources by what they record
 * (code, value, date), lists counted and shortened; never a Java object name.
 */
public final class ValueText {

    static final String NONE = "none";
    private static final int MAX_ITEMS = 3;
    private static final int MAX_LENGTH = 240;

    private ValueText() {}

    public static String of(Object value) {
        String text = render(value, 0);
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 1) + "…" : text;
    }

    private static String render(Object value, int depth) {
        if (value == null) {
            return NONE;
        }
        if (value instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (value instanceof String s) {
            return s.isEmpty() ? "(empty)" : s.replace('\n', ' ');
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof org.opencds.cqf.cql.engine.runtime.Quantity q) {
            return quantity(q.getValue(), q.getUnit());
        }
        if (value instanceof BaseTemporal temporal) {
            return temporal.toString();
        }
        if (value instanceof Interval interval) {
            return render(interval.getStart(), depth + 1) + " to " + render(interval.getEnd(), depth + 1);
        }
        if (value instanceof Code code) {
            return code.getDisplay() != null ? code.getDisplay() : code.getCode();
        }
        if (value instanceof Concept concept) {
            return concept.getDisplay() != null ? concept.getDisplay()
                    : concept.getCodes().isEmpty() ? NONE : render(concept.getCodes().get(0), depth + 1);
        }
        if (value instanceof Tuple tuple) {
            return tuple(tuple.getElements(), depth);
        }
        if (value instanceof Iterable<?> items) {
            return list(items, depth);
        }
        if (value instanceof Resource resource) {
            return resource(resource);
        }
        if (value instanceof Type type) {
            return fhirType(type);
        }
        if (value instanceof IBaseResource resource) {
            return resource.fhirType();
        }
        if (value instanceof org.opencds.cqf.cql.engine.runtime.ValueSet) {
            return "value set";
        }
        return value.getClass().getSimpleName();
    }

    private static String list(Iterable<?> items, int depth) {
        List<String> texts = new ArrayList<>();
        int count = 0;
        for (Object item : items) {
            if (count++ < MAX_ITEMS) {
                texts.add(render(item, depth + 1));
            }
        }
        if (count == 0) {
            return NONE;
        }
        String joined = String.join("; ", texts) + (count > MAX_ITEMS ? "; … (" + count + " in all)" : "");
        return count == 1 ? joined : count + ": " + joined;
    }

    private static String tuple(Map<String, Object> elements, int depth) {
        if (depth > 1) {
            return "{…}";
        }
        List<String> parts = new ArrayList<>();
        elements.forEach((name, element) -> {
            if (element != null) {
                parts.add(name + " " + render(element, depth + 1));
            }
        });
        return parts.isEmpty() ? NONE : String.join(", ", parts);
    }

    static String quantity(BigDecimal value, String unit) {
        String number = value == null ? "?" : value.stripTrailingZeros().toPlainString();
        return unit == null || unit.isEmpty() || unit.equals("1") ? number : number + " " + unit;
    }

    private static String fhirType(Type type) {
        if (type instanceof Quantity q) {
            return quantity(q.getValue(), q.hasUnit() ? q.getUnit() : q.getCode());
        }
        if (type instanceof CodeableConcept concept) {
            return concept(concept);
        }
        if (type instanceof Coding coding) {
            return coding.hasDisplay() ? coding.getDisplay() : coding.getCode();
        }
        if (type instanceof BaseDateTimeType date) {
            return date.getValueAsString();
        }
        if (type instanceof Period period) {
            return period.getStartElement().getValueAsString() + " to "
                    + (period.hasEnd() ? period.getEndElement().getValueAsString() : "ongoing");
        }
        if (type instanceof PrimitiveType<?> primitive) {
            return primitive.getValueAsString();
        }
        return type.fhirType();
    }

    private static String concept(CodeableConcept concept) {
        if (concept == null || concept.isEmpty()) {
            return "uncoded";
        }
        if (concept.hasText()) {
            return concept.getText();
        }
        for (Coding coding : concept.getCoding()) {
            if (coding.hasDisplay()) {
                return coding.getDisplay();
            }
        }
        return concept.getCodingFirstRep().getCode();
    }

    private static String when(Type value) {
        return value == null || value.isEmpty() ? null : fhirType(value);
    }

    private static String resource(Resource resource) {
        String what;
        String when;
        if (resource instanceof Observation o) {
            what = concept(o.getCode()) + (o.hasValue() ? " " + fhirType(o.getValue()) : "");
            when = o.hasEffective() ? when(o.getEffective()) : o.hasIssued() ? o.getIssuedElement().getValueAsString() : null;
        } else if (resource instanceof Patient p) {
            what = "patient, " + (p.hasGender() ? p.getGender().getDisplay().toLowerCase() : "gender unknown");
            when = p.hasBirthDate() ? "born " + p.getBirthDateElement().getValueAsString() : null;
            return when == null ? what : what + ", " + when;
        } else if (resource instanceof Condition c) {
            what = concept(c.getCode()) + (c.hasClinicalStatus() ? " (" + c.getClinicalStatus().getCodingFirstRep().getCode() + ")" : "");
            when = c.hasOnset() ? when(c.getOnset()) : c.hasRecordedDate() ? c.getRecordedDateElement().getValueAsString() : null;
        } else if (resource instanceof MedicationRequest m) {
            what = medication(m.getMedication()) + " (" + m.getStatus().toCode() + ")";
            when = m.hasAuthoredOn() ? m.getAuthoredOnElement().getValueAsString() : null;
        } else if (resource instanceof MedicationStatement m) {
            what = medication(m.getMedication());
            when = m.hasEffective() ? when(m.getEffective()) : null;
        } else if (resource instanceof MedicationAdministration m) {
            what = medication(m.getMedication());
            when = m.hasEffective() ? when(m.getEffective()) : null;
        } else if (resource instanceof MedicationDispense m) {
            what = medication(m.getMedication());
            when = m.hasWhenHandedOver() ? m.getWhenHandedOverElement().getValueAsString() : null;
        } else if (resource instanceof Procedure p) {
            what = concept(p.getCode());
            when = p.hasPerformed() ? when(p.getPerformed()) : null;
        } else if (resource instanceof Immunization i) {
            what = concept(i.getVaccineCode());
            when = i.hasOccurrence() ? when(i.getOccurrence()) : null;
        } else if (resource instanceof AllergyIntolerance a) {
            what = "allergy: " + concept(a.getCode());
            when = a.hasRecordedDate() ? a.getRecordedDateElement().getValueAsString() : null;
        } else if (resource instanceof DiagnosticReport r) {
            what = concept(r.getCode()) + (r.hasConclusion() ? ": " + r.getConclusion() : "");
            when = r.hasEffective() ? when(r.getEffective()) : null;
        } else {
            return resource.fhirType();
        }
        return when == null ? what : what + " on " + when;
    }

    private static String medication(Type medication) {
        if (medication instanceof CodeableConcept concept) {
            return concept(concept);
        }
        if (medication instanceof org.hl7.fhir.r4.model.Reference reference) {
            return reference.hasDisplay() ? reference.getDisplay() : "medication " + reference.getReference();
        }
        return "medication";
    }
}
