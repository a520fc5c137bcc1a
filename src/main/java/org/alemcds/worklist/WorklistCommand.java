package org.alemcds.worklist;

import ca.uhn.fhir.context.FhirContext;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.worklist.MonitoringEvaluator.Evaluated;
import org.alemcds.worklist.MonitoringEvaluator.Failed;
import org.alemcds.worklist.MonitoringEvaluator.Outcome;
import org.slf4j.Logger;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.slf4j.LoggerFactory;

/**
 * {@code worklist EXPORT_DIR}: the monitoring worklist of every alemtuzumab-treated patient in a FHIR Bulk Data
 * export, evaluated with the patient-view CQL (README "Monitoring worklist").
 *
 * <p>Two passes keep memory bounded whatever the export's size: the NDJSON is streamed once into shard files grouped
 * by a hash of the patient id, then each shard is read back, grouped by patient, and its patients are evaluated in
 * parallel. Only the rows (one per treated patient) and the Medication resources are held for the whole run.
 */
public final class WorklistCommand {

    public static final int EXIT_OK = 0;
    /** The worklist was written, but some records were unreadable or some patients could not be evaluated. */
    public static final int EXIT_INCOMPLETE = 1;
    public static final int EXIT_USAGE = 2;

    static final String USAGE = """
            usage: worklist EXPORT_DIR [--as-of YYYY-MM-DD] [--profile US|EU|UNION] [--format csv|json|html|fhir]
                                       [--out FILE] [--threads N] [--part INDEX/COUNT] [--shard-mb MB] [--temp-dir DIR]
              EXPORT_DIR  a FHIR Bulk Data export: *.ndjson or *.ndjson.gz files, one resource per line
              --as-of     the date the schedule is judged at (default: today, UTC)
              --profile   deployment profile of the rules (default UNION)
              --format    csv (default), json, html (printable page) or fhir (a FHIR List of the patients who need action)
              --out       output file (default: standard output)
              --threads   evaluation threads (default: all cores)
              --part      evaluate only part INDEX (0-based) of COUNT parts of the patients, e.g. a Kubernetes indexed Job
              --shard-mb  NDJSON text per in-memory shard (default: a sixth of the heap, 16 to 512)
              --temp-dir  where the shard files go (default: the system temporary directory)
            exit status: 0 done; 1 done, but records were skipped or patients not evaluated (see standard error);
                         2 bad arguments or unreadable export
            """;

    /** How many malformed-record messages are printed; all of them are counted. */
    static final int MAX_PROBLEM_MESSAGES = 100;

    record Options(Path exportDir, LocalDate asOf, String profile, WorklistFormat format, Path out, int threads,
            int partIndex, int partCount, long shardBytes, Path tempDir) {

        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new IllegalArgumentException("EXPORT_DIR is missing");
            }
            Path exportDir = Path.of(args[0]);
            LocalDate asOf = LocalDate.now(ZoneOffset.UTC);
            String profile = "UNION";
            WorklistFormat format = WorklistFormat.CSV;
            Path out = null;
            Path tempDir = null;
            int threads = Runtime.getRuntime().availableProcessors();
            int partIndex = 0;
            int partCount = 1;
            long shardBytes = Math.max(16L << 20, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 6));
            for (int i = 1; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--as-of" -> asOf = date(value);
                    case "--profile" -> {
                        profile = value.toUpperCase(Locale.ROOT);
                        if (!Set.of("US", "EU", "UNION").contains(profile)) {
                            throw new IllegalArgumentException("--profile must be US, EU or UNION, not " + value);
                        }
                    }
                    case "--format" -> {
                        try {
                            format = WorklistFormat.parse(value);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("--format must be csv, json, html or fhir, not " + value);
                        }
                    }
                    case "--out" -> out = Path.of(value);
                    case "--temp-dir" -> tempDir = Path.of(value);
                    case "--threads" -> threads = positive(option, value, 1024);
                    case "--shard-mb" -> shardBytes = (long) positive(option, value, 1 << 20) << 20;
                    case "--part" -> {
                        String[] parts = value.split("/");
                        if (parts.length != 2) {
                            throw new IllegalArgumentException("--part must be INDEX/COUNT, e.g. 0/8");
                        }
                        partCount = positive("--part COUNT", parts[1], 1 << 16);
                        partIndex = parseOr(parts[0], -1);
                        if (partIndex < 0 || partIndex >= partCount) {
                            throw new IllegalArgumentException(
                                    "--part INDEX must be from 0 to " + (partCount - 1) + ", not " + parts[0]);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            return new Options(exportDir, asOf, profile, format, out, threads, partIndex, partCount, shardBytes, tempDir);
        }

        private static LocalDate date(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--as-of must be a date YYYY-MM-DD, not " + value);
            }
        }

        private static int parseOr(String value, int otherwise) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }

        private static int positive(String option, String value, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the message
            }
            throw new IllegalArgumentException(option + " must be a whole number from 1 to " + max + ", not " + value);
        }

        boolean inPart(String patientId) {
            return partCount == 1 || Math.floorMod(patientId.hashCode(), partCount) == partIndex;
        }
    }

    /**
     * The resource types the rules read: the types of the service's prefetch templates ({@code cds.prefetch} in
     * application.yaml, one per type the CQL reads) and the Medication resources they include. Records of other types
     * (claims, encounters, documents: often most of an export) are counted and not kept.
     */
    private static final Pattern RESOURCE_TYPE = Pattern.compile("([A-Z][A-Za-z]+)[/?]");
    static final Set<String> TYPES_THE_RULES_READ = typesOfPrefetchTemplates();

    private static Set<String> typesOfPrefetchTemplates() {
        try {
            var sources = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"));
            Map<String, String> prefetch = new Binder(ConfigurationPropertySources.from(sources))
                    .bind("cds.prefetch", Bindable.mapOf(String.class, String.class))
                    .orElseThrow(() -> new IllegalStateException("application.yaml has no cds.prefetch"));
            Set<String> types = new HashSet<>(Set.of("Patient", "Medication"));
            for (String template : prefetch.values()) {
                Matcher type = RESOURCE_TYPE.matcher(template);
                if (type.lookingAt()) {
                    types.add(type.group(1));
                }
            }
            return Set.copyOf(types);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read application.yaml", e);
        }
    }

    private WorklistCommand() {}

    /** Entry point from the jar's main class: logs go to standard error (never mixed into the output), warnings only. */
    public static int main(String[] args) {
        logWarningsToStandardError();
        return run(args, System.out, System.err, Progress.onTerminal(System.err));
    }

    static int run(String[] args, PrintStream stdout, PrintStream err, Progress progress) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("worklist: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        try {
            return new Run(options, err, progress).execute(stdout);
        } catch (IOException e) {
            err.println("worklist: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    /** One run of the command, with its counters. */
    private static final class Run {
        private final Options options;
        private final PrintStream err;
        private final Progress progress;
        private final AtomicLong problems = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong patients = new AtomicLong();
        private final AtomicLong treated = new AtomicLong();
        private long records;
        private long patientResources;
        private long unlinked;
        private long notRead;
        private double readSeconds;
        private double evaluationSeconds;

        Run(Options options, PrintStream err, Progress progress) {
            this.options = options;
            this.err = err;
            this.progress = progress;
        }

        int execute(PrintStream stdout) throws IOException {
            long start = System.nanoTime();
            var reader = new ExportReader(options.exportDir());
            FhirContext fhirContext = FhirContext.forR4Cached();
            // The CQL is translated while the export is read.
            CompletableFuture<CqlRuleEngine> engine =
                    CompletableFuture.supplyAsync(MonitoringEvaluator::standaloneEngine);
            Map<String, ExportRecord> medications = new HashMap<>();
            ConcurrentLinkedQueue<WorklistRow> rows = new ConcurrentLinkedQueue<>();
            int shardCount = PatientShards.shardCountFor(reader.estimatedTextBytes() / options.partCount(), options.shardBytes());
            try (var shards = new PatientShards(options.tempDir(), shardCount, options.shardBytes())) {
                progress.start("reading export", reader.fileBytes());
                records = reader.read(record -> place(record, shards, medications), this::malformed, progress::set);
                progress.finish();
                readSeconds = seconds(start);

                var evaluator = new MonitoringEvaluator(engine.join(), fhirContext, options.profile(), options.asOf());
                long evaluationStart = System.nanoTime();
                var pool = new ForkJoinPool(options.threads());
                try {
                    progress.start("evaluating patients", patientResources);
                    shards.visit(byPatient -> evaluateShard(pool, evaluator, byPatient, medications, rows));
                    progress.finish();
                } finally {
                    pool.shutdown();
                }
                evaluationSeconds = seconds(evaluationStart);
            }
            List<WorklistRow> sorted = new ArrayList<>(rows);
            sorted.sort(WorklistRow.BY_URGENCY);
            var run = new WorklistFormat.Run(options.asOf(), options.profile(), patients.get(), treated.get(), problems.get());
            write(sorted, run, stdout);
            summary(reader, sorted, seconds(start));
            return problems.get() == 0 && failed.get() == 0 ? EXIT_OK : EXIT_INCOMPLETE;
        }

        private void place(ExportRecord record, PatientShards shards, Map<String, ExportRecord> medications)
                throws IOException {
            if (!TYPES_THE_RULES_READ.contains(record.type())) {
                notRead++;
            } else if (record.patientId() != null) {
                if (options.inPart(record.patientId())) {
                    shards.add(record);
                    if (record.type().equals("Patient")) {
                        patientResources++;
                    }
                }
            } else if (record.type().equals("Medication") && record.id() != null) {
                medications.put(record.id(), record);
            } else {
                unlinked++;
            }
        }

        private void malformed(String where, String reason) {
            long n = problems.incrementAndGet();
            if (n <= MAX_PROBLEM_MESSAGES) {
                err.println("worklist: " + where + ": " + reason + " — record skipped");
            } else if (n == MAX_PROBLEM_MESSAGES + 1) {
                err.println("worklist: more unreadable records; only their count is given below");
            }
        }

        private void evaluateShard(ForkJoinPool pool, MonitoringEvaluator evaluator,
                Map<String, List<ExportRecord>> byPatient, Map<String, ExportRecord> medications,
                ConcurrentLinkedQueue<WorklistRow> rows) throws IOException {
            try {
                pool.submit(() -> byPatient.entrySet().parallelStream().forEach(patient -> {
                    Outcome outcome = evaluator.evaluate(patient.getKey(), patient.getValue(), medications::get, this::malformed);
                    patients.incrementAndGet();
                    if (outcome instanceof Evaluated evaluated) {
                        treated.incrementAndGet();
                        rows.add(evaluated.row());
                    } else if (outcome instanceof Failed failure) {
                        failed.incrementAndGet();
                        treated.incrementAndGet();
                        ExportRecord first = patient.getValue().get(0);
                        err.println("worklist: the patient whose records start at " + first.where()
                                + " could not be evaluated (" + failure.reason() + "); not on the worklist");
                    }
                    progress.advance(1);
                })).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted", e);
            } catch (ExecutionException e) {
                throw new IOException("Evaluation failed: " + e.getCause(), e.getCause());
            }
        }

        private void write(List<WorklistRow> rows, WorklistFormat.Run run, PrintStream stdout) throws IOException {
            if (options.out() == null) {
                Writer writer = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
                options.format().write(rows, run, writer);
                writer.flush();
            } else {
                try (Writer writer = Files.newBufferedWriter(options.out(), StandardCharsets.UTF_8)) {
                    options.format().write(rows, run, writer);
                }
            }
        }

        private void summary(ExportReader reader, List<WorklistRow> rows, double seconds) throws IOException {
            Map<WorklistRow.Status, Long> byStatus = new HashMap<>();
            rows.forEach(r -> byStatus.merge(r.status(), 1L, Long::sum));
            err.printf(Locale.ROOT, "worklist: %d files (%,d bytes), %,d records, %,d unreadable and skipped, "
                            + "%,d of types the rules do not read, %,d not linked to a patient%n",
                    reader.files().size(), reader.fileBytes(), records, problems.get(), notRead, unlinked);
            err.printf(Locale.ROOT, "worklist: %,d patients%s, %,d treated: %,d with a signal, %,d overdue, %,d on schedule, "
                            + "%,d past the window, %,d not evaluated%n",
                    patients.get(), options.partCount() == 1 ? "" : " in part " + options.partIndex() + "/" + options.partCount(),
                    treated.get(), byStatus.getOrDefault(WorklistRow.Status.SIGNAL, 0L),
                    byStatus.getOrDefault(WorklistRow.Status.OVERDUE, 0L), byStatus.getOrDefault(WorklistRow.Status.ON_SCHEDULE, 0L),
                    byStatus.getOrDefault(WorklistRow.Status.ENDED, 0L), failed.get());
            err.printf(Locale.ROOT, "worklist: %.1f s in all: export read and sharded in %.1f s (%,.0f records/s); "
                            + "patients grouped and evaluated in %.1f s (%,.0f patients/s, %d threads, %d shards)%n",
                    seconds, readSeconds, records / Math.max(readSeconds, 1e-3), evaluationSeconds,
                    patients.get() / Math.max(evaluationSeconds, 1e-3), options.threads(),
                    PatientShards.shardCountFor(reader.estimatedTextBytes() / options.partCount(), options.shardBytes()));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Spring Boot's logging is not started for a command: warnings only, on standard error. */
    private static void logWarningsToStandardError() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger{30} - %msg%n");
        encoder.start();
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
    }
}
