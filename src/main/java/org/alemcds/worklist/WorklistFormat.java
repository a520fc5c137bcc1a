package org.alemcds.worklist;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.alemcds.worklist.WorklistRow.CardLine;
import org.alemcds.worklist.WorklistRow.OverdueItem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Reference;

/** The worklist's output formats; rows arrive sorted by urgency. */
enum WorklistFormat {
    CSV, JSON, HTML, FHIR;

    /** What the run was: the as-of date, the profile and the export counts, for the formats that state them. */
    record Run(LocalDate asOf, String profile, long patients, long treated, long skippedRecords) {}

    static WorklistFormat parse(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    void write(List<WorklistRow> rows, Run run, Writer out) throws IOException {
        switch (this) {
            case CSV -> csv(rows, out);
            case JSON -> json(rows, run, out);
            case HTML -> WorklistPage.write(rows, run, out);
            case FHIR -> fhirList(rows, run, out);
        }
    }

    static final List<String> CSV_COLUMNS = List.of("patient_id", "status", "last_infusion", "monitoring_end",
            "overdue", "max_days_overdue", "signals", "reminders", "next_due");

    private static void csv(List<WorklistRow> rows, Writer out) throws IOException {
        out.write(String.join(",", CSV_COLUMNS) + "\r\n");
        for (WorklistRow row : rows) {
            out.write(String.join(",", List.of(
                    csvField(row.patientId()),
                    csvField(row.status().label),
                    csvField(text(row.lastInfusion())),
                    csvField(text(row.monitoringEnd())),
                    csvField(row.overdue().stream().map(OverdueItem::text).collect(Collectors.joining("; "))),
                    csvField(row.overdue().isEmpty() ? "" : Long.toString(row.maxDaysOverdue())),
                    csvField(row.signals().stream().map(CardLine::text).collect(Collectors.joining("; "))),
                    csvField(row.reminders().stream().map(CardLine::text).collect(Collectors.joining("; "))),
                    csvField(text(row.nextDue())))) + "\r\n");
        }
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed so that a spreadsheet does not run it as a formula. */
    static String csvField(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static String text(LocalDate date) {
        return date == null ? "" : date.toString();
    }

    private static void json(List<WorklistRow> rows, Run run, Writer out) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        ObjectNode root = mapper.createObjectNode();
        root.put("asOf", run.asOf().toString()).put("profile", run.profile())
                .put("patients", run.patients()).put("treated", run.treated()).put("skippedRecords", run.skippedRecords());
        ArrayNode array = root.putArray("rows");
        for (WorklistRow row : rows) {
            ObjectNode node = array.addObject();
            node.put("patientId", row.patientId()).put("status", row.status().label);
            node.put("lastInfusion", text(row.lastInfusion())).put("monitoringEnd", text(row.monitoringEnd()));
            ArrayNode overdue = node.putArray("overdue");
            for (OverdueItem item : row.overdue()) {
                ObjectNode o = overdue.addObject().put("item", item.item());
                o.put("lastDate", item.lastDate() == null ? null : item.lastDate().toString());
                o.put("dueDate", item.dueDate() == null ? null : item.dueDate().toString());
                o.put("daysOverdue", item.daysOverdue());
            }
            cards(node.putArray("signals"), row.signals());
            cards(node.putArray("reminders"), row.reminders());
            node.put("nextDue", row.nextDue() == null ? null : row.nextDue().toString());
        }
        mapper.writeValue(out, root);
        out.write("\n");
    }

    private static void cards(ArrayNode array, List<CardLine> cards) {
        for (CardLine card : cards) {
            array.addObject().put("ruleId", card.ruleId()).put("indicator", card.indicator()).put("summary", card.summary());
        }
    }

    /** A FHIR List of the patients who need action (a signal or an overdue test), most urgent first. */
    private static void fhirList(List<WorklistRow> rows, Run run, Writer out) throws IOException {
        ListResource list = new ListResource()
                .setStatus(ListResource.ListStatus.CURRENT)
                .setMode(ListResource.ListMode.SNAPSHOT)
                .setTitle("Alemtuzumab monitoring worklist: overdue tests and unacted signals")
                .setDate(Date.from(run.asOf().atStartOfDay().toInstant(ZoneOffset.UTC)))
                .setOrderedBy(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                        "http://terminology.hl7.org/CodeSystem/list-order", "priority", "Sorted by Priority")));
        list.setCode(new CodeableConcept().setText("Alemtuzumab post-treatment monitoring (48 months after the last infusion)"));
        list.addNote().setText("As of " + run.asOf() + ", profile " + run.profile() + ": " + run.treated()
                + " treated patients among " + run.patients() + "; listed: those with a signal or an overdue test.");
        for (WorklistRow row : rows) {
            if (!row.needsAction()) {
                continue;
            }
            var entry = list.addEntry().setItem(new Reference("Patient/" + row.patientId()));
            String flag = row.status().label
                    + (row.signals().isEmpty() ? "" : "; " + row.signals().stream().map(CardLine::text).collect(Collectors.joining("; ")))
                    + (row.overdue().isEmpty() ? "" : "; overdue: " + row.overdue().stream().map(OverdueItem::text).collect(Collectors.joining(", ")));
            entry.setFlag(new CodeableConcept().setText(flag));
        }
        out.write(FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(list));
        out.write("\n");
    }
}
