package org.alemcds.worklist;

import static org.alemcds.rules.MonitoringFixtures.course;
import static org.alemcds.rules.MonitoringFixtures.monthlyPanel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.alemcds.testing.FhirRecord;

/**
 * Writes a large synthetic Bulk Data export for measuring the worklist (README "Monitoring worklist"), streaming, one
 * gzip NDJSON file per type: {@code patients} patients with {@code years} of Synthea-like history (three visits a
 * year with vital signs, yearly blood tests, chronic medication requests, flu vaccines, a few conditions), of whom
 * {@code treated} had alemtuzumab (one or two courses in the last five years) followed by monthly panels and
 * quarterly TSH with gaps, and now and then a low platelet count or a creatinine rise. Seeded: the same arguments
 * give the same export. Not a test; the data stays out of git.
 *
 * <p>Arguments: directory, patients, treated, years of history (5), as-of date (2026-06-01); how to run it is in the
 * README ("Monitoring worklist").
 */
public final class SyntheticExport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[][] CHRONIC_DRUGS = {
        {"314076", "lisinopril 10 MG Oral Tablet"}, {"860975", "metformin 500 MG Oral Tablet"},
        {"617312", "atorvastatin 10 MG Oral Tablet"}, {"197361", "amlodipine 5 MG Oral Tablet"},
        {"310965", "ibuprofen 200 MG Oral Tablet"}, {"1049221", "acetaminophen 325 MG Oral Tablet"}};
    private static final String[][] CONDITIONS = {
        {"38341003", "Hypertensive disorder"}, {"44054006", "Diabetes mellitus type 2"}, {"195662009", "Acute viral pharyngitis"},
        {"55822004", "Hyperlipidemia"}, {"24079001", "Atopic dermatitis"}, {"24700007", "Multiple sclerosis"}};

    private final Map<String, Writer> files = new HashMap<>();
    private final Path directory;
    private final Random random;
    private final LocalDate asOf;
    private final int years;
    private long lines;

    private SyntheticExport(Path directory, long seed, LocalDate asOf, int years) {
        this.directory = directory;
        this.random = new Random(seed);
        this.asOf = asOf;
        this.years = years;
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        int patients = Integer.parseInt(args[1]);
        int treated = Integer.parseInt(args[2]);
        int years = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        LocalDate asOf = args.length > 4 ? LocalDate.parse(args[4]) : LocalDate.of(2026, 6, 1);
        Files.createDirectories(directory);
        var export = new SyntheticExport(directory, 16, asOf, years);
        long start = System.nanoTime();
        int every = Math.max(1, patients / Math.max(1, treated));
        for (int i = 0; i < patients; i++) {
            export.patient("p" + i, i % every == 0 && i / every < treated);
        }
        export.close();
        System.err.printf("%d patients (%d treated), %,d resources in %.0f s%n", patients, treated, export.lines,
                (System.nanoTime() - start) / 1e9);
    }

    private void patient(String id, boolean treated) throws IOException {
        boolean female = random.nextBoolean();
        String birth = asOf.minusYears(20 + random.nextInt(50)).minusDays(random.nextInt(365)).toString();
        FhirRecord record = (female ? FhirRecord.female(birth) : FhirRecord.male(birth)).withPatientId(id);
        for (int c = 0, n = 1 + random.nextInt(4); c < n; c++) {
            String[] condition = CONDITIONS[random.nextInt(CONDITIONS.length)];
            record.condition(condition[0], condition[1], day(asOf.minusYears(years)).toString());
        }
        String[] drug = CHRONIC_DRUGS[random.nextInt(CHRONIC_DRUGS.length)];
        for (LocalDate visit = asOf.minusYears(years); visit.isBefore(asOf); visit = visit.plusDays(90 + random.nextInt(60))) {
            visit(record, visit);
            if (visit.getMonthValue() >= 10 && random.nextInt(3) > 0) {
                record.add(immunization(id, visit));
            }
            record.request(FhirRecord.rxnorm(drug[0], drug[1]), "active", visit.toString());
        }
        if (treated) {
            treatment(record);
        }
        for (ObjectNode resource : record.resources()) {
            if (!resource.get("resourceType").asText().equals("Patient")) {
                resource.put("id", id + "-" + resource.get("id").asText());
            }
            write(resource);
        }
    }

    /** An outpatient visit with vital signs, and once a year the routine blood tests. */
    private void visit(FhirRecord record, LocalDate day) {
        ObjectNode encounter = MAPPER.createObjectNode().put("resourceType", "Encounter").put("status", "finished");
        encounter.putObject("class").put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode").put("code", "AMB");
        encounter.putObject("subject").put("reference", "Patient/" + record.patientId());
        encounter.putObject("period").put("start", day + "T09:00:00Z").put("end", day + "T09:30:00Z");
        record.add(encounter);
        String date = day.toString();
        record.observation("8480-6", 110 + random.nextInt(40), "mm[Hg]", date);
        record.observation("8462-4", 65 + random.nextInt(25), "mm[Hg]", date);
        record.observation("29463-7", 55 + random.nextInt(50), "kg", date);
        record.observation("8302-2", 155 + random.nextInt(40), "cm", date);
        record.observation("39156-5", 19 + random.nextInt(15), "kg/m2", date);
        record.observation("8867-4", 55 + random.nextInt(40), "/min", date);
        if (random.nextInt(3) == 0) {
            record.observation("6690-2", 4 + random.nextInt(6), "10*9/L", date);
            record.observation("718-7", 12 + random.nextInt(5), "g/dL", date);
            record.observation("777-3", 160 + random.nextInt(200), "10*9/L", date);
            record.observation("2160-0", 0.6 + random.nextInt(6) / 10.0, "mg/dL", date);
            record.observation("2345-7", 70 + random.nextInt(60), "mg/dL", date);
            record.observation("2951-2", 135 + random.nextInt(10), "mmol/L", date);
        }
    }

    private static ObjectNode immunization(String patientId, LocalDate day) {
        ObjectNode i = MAPPER.createObjectNode().put("resourceType", "Immunization").put("status", "completed");
        i.set("vaccineCode", FhirRecord.concept("http://hl7.org/fhir/sid/cvx", "140", "Influenza, seasonal, injectable, preservative free"));
        i.putObject("patient").put("reference", "Patient/" + patientId);
        i.put("occurrenceDateTime", day.toString());
        return i;
    }

    /** One or two courses in the last five years, then monitoring that is sometimes late, sometimes abnormal. */
    private void treatment(FhirRecord record) {
        LocalDate first = asOf.minusDays(60 + random.nextInt(5 * 365));
        course(record, first.toString(), 5);
        LocalDate last = first.plusDays(4);
        if (random.nextInt(10) < 4 && first.plusYears(1).isBefore(asOf.minusDays(30))) {
            course(record, first.plusYears(1).toString(), 3);
            last = first.plusYears(1).plusDays(2);
        }
        boolean lapsed = random.nextInt(4) == 0;
        LocalDate stop = lapsed ? asOf.minusDays(40 + random.nextInt(200)) : asOf.minusDays(random.nextInt(30));
        int month = 0;
        for (LocalDate day = first.plusMonths(1); !day.isAfter(stop) && !day.isAfter(last.plusMonths(48)); day = day.plusMonths(1)) {
            if (random.nextInt(10) > 0) {
                monthlyPanel(record, day.toString());
            }
            if (month++ % 3 == 0) {
                record.observation("3016-3", 0.5 + random.nextInt(30) / 10.0, "mIU/L", day.toString());
            }
        }
        int signal = random.nextInt(100);
        LocalDate recent = asOf.minusDays(1 + random.nextInt(20));
        if (signal < 3) {
            record.observation("777-3", 60 + random.nextInt(80), "10*9/L", recent.toString());
        } else if (signal < 5) {
            record.observation("2160-0", 1.6 + random.nextInt(10) / 10.0, "mg/dL", recent.toString());
        }
    }

    private LocalDate day(LocalDate from) {
        return from.plusDays(random.nextInt(365));
    }

    private void write(ObjectNode resource) throws IOException {
        String type = resource.get("resourceType").asText();
        Writer writer = files.get(type);
        if (writer == null) {
            writer = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(directory.resolve(type + ".ndjson.gz")), 1 << 16),
                    StandardCharsets.UTF_8);
            files.put(type, writer);
        }
        writer.write(resource.toString());
        writer.write('\n');
        lines++;
    }

    private void close() throws IOException {
        for (Writer writer : files.values()) {
            writer.close();
        }
    }
}
