package org.alemcds.cli;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.alemcds.cql.CqlConfiguration;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.cql.ValueSetIndex;
import org.springframework.context.annotation.Bean;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.HookConfiguration;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code evaluate}: one patient's record (FHIR R4 Bundle or NDJSON) through a hook, without a web server; prints the
 * cards as a table, the CDS Hooks response, or a self-contained HTML page. Exit codes (README "Command line"):
 * {@value #OK} no critical card, {@value #CRITICAL} a critical card, {@value #USAGE} bad arguments,
 * {@value #DATA} the record cannot be used, {@value #NO_INPUT} the file cannot be read, {@value #SOFTWARE} an internal
 * error.
 */
public final class EvaluateCommand {

    public static final int OK = 0;
    public static final int CRITICAL = 2;
    public static final int USAGE = 64;
    public static final int DATA = 65;
    public static final int NO_INPUT = 66;
    public static final int SOFTWARE = 70;

    /** Files above this size get a progress line while they are read. */
    static final long LARGE_FILE_BYTES = 2L * 1024 * 1024;

    static final String USAGE_TEXT = """
            Usage: java -jar alemtuzumab-cds.jar evaluate FILE [options]
              FILE                  the patient's record: a FHIR R4 Bundle (JSON) or NDJSON; - reads standard input
              --hook HOOK           order-sign (default), order-select or patient-view
              --start YYYY-MM-DD    planned start of the course for the order written when the record has none (default today)
              --course N            course number of that order: 1 = five infusions (default), 2 or later = three
              --no-premedication    write the alemtuzumab order alone, without the standard premedication
              --profile P           UNION (default), US or EU
              --explain             per rule of the hook: fired or silent, and the values that decided it
              --format F            text (default), json (the CDS Hooks response) or html (a self-contained page)
              --today YYYY-MM-DD    evaluate as on this day (default: the system date)
            Exit codes: 0 no critical card, 2 a critical card, 64 bad arguments, 65 the record cannot be used,
                        66 the file cannot be read, 70 internal error.""";

    /** The parsed command line. */
    record Arguments(String file, BundleEvaluator.Options options, String format, LocalDate today) {}

    /** Bad arguments; the message is one line. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private EvaluateCommand() {}

    /** The command from the application's main: UTF-8 output whatever the platform default; exits with the code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = parse(args);
        } catch (UsageException e) {
            err.println("evaluate: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (arguments == null) {
            out.println(USAGE_TEXT);
            return OK;
        }
        // Library and Spring logging goes to standard error (HAPI logs as soon as its FHIR context is created):
        // standard output carries only the result.
        PrintStream systemOut = System.out;
        System.setOut(err);
        try {
            // the record first: a file that cannot be used fails at once, before the rules are translated
            PatientRecord record;
            try {
                record = read(arguments.file(), stdin, FhirContext.forR4Cached(), err);
            } catch (NoSuchFileException e) {
                err.println("evaluate: " + arguments.file() + ": no such file.");
                return NO_INPUT;
            } catch (IOException e) {
                err.println("evaluate: " + arguments.file() + " cannot be read: " + e.getMessage());
                return NO_INPUT;
            } catch (PatientRecord.Unusable e) {
                err.println("evaluate: " + e.getMessage());
                return DATA;
            }
            try (ConfigurableApplicationContext context = startContext(arguments.today())) {
                return evaluate(context, arguments, record, out, err);
            }
        } finally {
            System.setOut(systemOut);
        }
    }

    /** Evaluates a record read from the command line with the beans of {@link #startContext}; returns the exit code. */
    static int evaluate(ApplicationContext context, Arguments arguments, PatientRecord record, PrintStream out, PrintStream err) {
        try {
            BundleEvaluator evaluator = context.getBean(BundleEvaluator.class);
            context.getBean(CqlRuleEngine.class).compile(List.of(evaluator.service(arguments.options().hook()).library()));
            BundleEvaluator.Result result = evaluator.evaluate(record, arguments.options());
            ObjectMapper mapper = context.getBean(ObjectMapper.class);
            String output = switch (arguments.format()) {
                case "json" -> Reports.json(result, mapper);
                case "html" -> Reports.html(result, record.patientId(), mapper);
                default -> Reports.text(result, record.patientId());
            };
            out.print(output);
            out.flush();
            return result.hasCritical() ? CRITICAL : OK;
        } catch (PatientRecord.Unusable e) {
            err.println("evaluate: " + e.getMessage());
            return DATA;
        } catch (RuntimeException e) {
            err.println("evaluate: internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return SOFTWARE;
        }
    }

    static Arguments parse(String[] args) {
        String file = null;
        String hook = "order-sign";
        LocalDate start = null;
        LocalDate today = null;
        int course = 1;
        String profile = null;
        boolean premedication = true;
        boolean explain = false;
        String format = "text";
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--hook" -> hook = value(arg, rest);
                case "--start" -> start = date(arg, value(arg, rest));
                case "--today" -> today = date(arg, value(arg, rest));
                case "--course" -> course = course(value(arg, rest));
                case "--profile" -> profile = value(arg, rest).toUpperCase(Locale.ROOT);
                case "--no-premedication" -> premedication = false;
                case "--explain" -> explain = true;
                case "--format" -> format = value(arg, rest).toLowerCase(Locale.ROOT);
                default -> {
                    if (arg.startsWith("--")) {
                        throw new UsageException("unknown option " + arg);
                    }
                    if (file != null) {
                        throw new UsageException("one FILE only (got " + file + " and " + arg + ")");
                    }
                    file = arg;
                }
            }
        }
        if (file == null) {
            throw new UsageException("FILE is required");
        }
        if (!List.of("order-sign", "order-select", "patient-view").contains(hook)) {
            throw new UsageException("--hook must be order-sign, order-select or patient-view, not " + hook);
        }
        if (!List.of("text", "json", "html").contains(format)) {
            throw new UsageException("--format must be text, json or html, not " + format);
        }
        if (profile != null && !BundleEvaluator.PROFILES.contains(profile)) {
            throw new UsageException("--profile must be UNION, US or EU, not " + profile);
        }
        return new Arguments(file, new BundleEvaluator.Options(hook, start, course, profile, premedication, explain),
                format, today);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static LocalDate date(String option, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " must be a date YYYY-MM-DD, not " + text);
        }
    }

    private static int course(String text) {
        try {
            int course = Integer.parseInt(text);
            if (course >= 1 && course <= 9) {
                return course;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--course must be a number from 1 to 9, not " + text);
    }

    static PatientRecord read(String file, InputStream stdin, FhirContext fhirContext, PrintStream err)
            throws IOException {
        if (file.equals("-")) {
            return PatientRecord.read(stdin, "standard input", fhirContext);
        }
        Path path = Path.of(file);
        long size = Files.size(path);
        long started = System.nanoTime();
        boolean large = size > LARGE_FILE_BYTES;
        if (large) {
            err.printf(Locale.ROOT, "Reading %s (%.1f MB)...%n", path.getFileName(), size / 1048576.0);
        }
        try (InputStream in = Files.newInputStream(path)) {
            PatientRecord record = PatientRecord.read(in, path.getFileName().toString(), fhirContext);
            if (large) {
                err.printf(Locale.ROOT, "Read %,d resources in %.1f s.%n", record.size(), (System.nanoTime() - started) / 1e9);
            }
            return record;
        }
    }

    /**
     * The engine's beans without a web server, database or security: properties from application.yaml, the CQL
     * engine (translated at start-up), cards, and the evaluator.
     */
    static ConfigurableApplicationContext startContext(LocalDate today) {
        var builder = new SpringApplicationBuilder(CommandBeans.class, HookConfiguration.class,
                EvaluationConfiguration.class, JacksonAutoConfiguration.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false);
        if (today != null) {
            Clock clock = Clock.fixed(today.atTime(9, 0).atZone(ZoneId.systemDefault()).toInstant(), ZoneId.systemDefault());
            builder.initializers(context -> context.getBeanFactory().registerSingleton("clock", clock));
        }
        // as command-line properties: they win over application.yaml's logging levels
        return builder.run("--logging.level.root=WARN", "--logging.level.ca.uhn.fhir=ERROR");
    }

    /**
     * Binds {@code cds.*} for the command's context (the web application scans for it instead), and a CQL engine that
     * translates only the library the hook needs, when first asked ({@link #evaluate}): the web application's
     * {@link CqlConfiguration} translates and warms up every service library at start, which would double the
     * command's start-up.
     */
    @EnableConfigurationProperties(CdsProperties.class)
    static class CommandBeans {

        @Bean
        FhirContext fhirContext() {
            return FhirContext.forR4Cached();
        }

        @Bean
        ValueSetIndex valueSetIndex(FhirContext fhirContext) {
            return CqlConfiguration.valueSets(fhirContext);
        }

        @Bean
        CqlRuleEngine cqlRuleEngine(FhirContext fhirContext, ValueSetIndex valueSets) {
            return new CqlRuleEngine(fhirContext, valueSets);
        }
    }
}
