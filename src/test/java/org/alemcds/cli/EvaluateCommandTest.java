package org.alemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.alemcds.cards.Card;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The evaluate command as an integrator runs it: a sample record (the sample patients of fhir-resources/examples, as
 * on their planning date 2026-12-01) or a Synthea record in, cards and their explanation out, and exit codes.
 * One engine context serves every test (it is what {@code run} starts for each invocation).
 */
class EvaluateCommandTest {

    private static final Path EXAMPLES = Path.of("fhir-resources/examples");
    private static final LocalDate PLANNING_DATE = LocalDate.of(2026, 12, 1);
    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void startEngine() {
        context = EvaluateCommand.startContext(PLANNING_DATE);
    }

    @AfterAll
    static void stopEngine() {
        context.close();
    }

    private record Run(int exitCode, String out, String err) {}

    /** The command on a file, with the shared engine; as {@code evaluate FILE ARGS… --today 2026-12-01}. */
    private static Run evaluate(Path file, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(file.toString()));
        all.addAll(List.of(args));
        var arguments = EvaluateCommand.parse(all.toArray(String[]::new));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PatientRecord record = EvaluateCommand.read(file.toString(), null, FhirContext.forR4Cached(), errStream);
        int code = EvaluateCommand.evaluate(context, arguments, record, new PrintStream(out, true, StandardCharsets.UTF_8),
                errStream);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The command exactly as from the jar's main, for paths that stop before the engine starts. */
    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = EvaluateCommand.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordWithoutAnOrderGetsOneWrittenAndACriticalCardExitsWith2() throws IOException {
        Run run = evaluate(EXAMPLES.resolve("05-hiv-test-missing.bundle.json"),
                "--hook", "order-sign", "--start", "2026-12-07", "--format", "json", "--explain");

        assertThat(run.exitCode()).isEqualTo(EvaluateCommand.CRITICAL);
        JsonNode response = new ObjectMapper().readTree(run.out());
        assertThat(ruleIds(response)).contains("CI-HIV", "PRE-OBSERVATION");
        JsonNode rules = response.path("extension").path(Reports.EXPLANATION_EXTENSION).path("rules");
        JsonNode hiv = rule(rules, "CI-HIV");
        assertThat(hiv.path("fired").asBoolean()).isTrue();
        assertThat(hiv.path("indicator").asText()).isEqualTo("critical");
        // the value that decided it, read readably: the last HIV test is from June 2025, older than 90 days
        assertThat(hiv.path("inputs").toString()).contains("Has Recent Negative HIV Result", "2025-06-10");
        JsonNode natalizumab = rule(rules, "SW-NTZ");
        assertThat(natalizumab.path("fired").asBoolean()).isFalse();
        assertThat(natalizumab.path("indicator").isNull()).isTrue();
    }

    @Test
    void explanationCoversEveryRuleOfTheHookAndReadsNoJavaNames() throws IOException {
        Run run = evaluate(EXAMPLES.resolve("01-ntz-high-risk-too-early.bundle.json"), "--start", "2026-12-07", "--explain");

        assertThat(run.exitCode()).isEqualTo(EvaluateCommand.CRITICAL);
        assertThat(run.out()).contains("SW-NTZ", "FIRED critical", "SwitchingNatalizumab.\"NTZ Washout Days\" = 62",
                "CI-HIV", "silent", "Wrote an alemtuzumab draft order (course 1, 5 infusions from 2026-12-07)");
        assertThat(run.out()).doesNotContain("org.", "@", "ExpressionResult", "Quantity{");
    }

    @Test
    void aCleanRecordExitsWith0AndTheHtmlPageStandsAlone() throws IOException {
        Run run = evaluate(EXAMPLES.resolve("00-clean-naive-eligible.bundle.json"), "--start", "2026-12-07",
                "--format", "html", "--explain");

        assertThat(run.exitCode()).isEqualTo(EvaluateCommand.OK);
        assertThat(run.out()).startsWith("<!DOCTYPE html>").contains("AlemCards.renderResult", "PRE-OBSERVATION")
                .doesNotContain("<script src=", "<link rel=");
    }

    @Test
    void theEuProfileDropsTheUsRemsCard() throws IOException {
        Run union = evaluate(EXAMPLES.resolve("00-clean-naive-eligible.bundle.json"), "--start", "2026-12-07");
        Run eu = evaluate(EXAMPLES.resolve("00-clean-naive-eligible.bundle.json"), "--start", "2026-12-07", "--profile", "EU");

        assertThat(union.out()).contains("ELIG-REMS");
        assertThat(eu.out()).doesNotContain("ELIG-REMS");
    }

    @Test
    void aSyntheaRecordIsEvaluatedWithItsUuidReferencesResolved() throws IOException {
        Run run = evaluate(Path.of("src/test/resources/synthea/Debora709_Mayer370.json"), "--start", "2027-01-10",
                "--format", "json");

        assertThat(run.exitCode()).isIn(EvaluateCommand.OK, EvaluateCommand.CRITICAL);
        // she has no MS diagnosis on record: the eligibility rule says so (a rule that reads her Conditions)
        assertThat(ruleIds(new ObjectMapper().readTree(run.out()))).contains("ELIG-DX-RRMS", "PRE-OBSERVATION");
    }

    @Test
    void withoutPremedicationTheSteroidRuleAsksForIt() throws IOException {
        Run run = evaluate(EXAMPLES.resolve("00-clean-naive-eligible.bundle.json"), "--start", "2026-12-07",
                "--no-premedication");

        assertThat(run.out()).contains("alemtuzumab draft order", "no premedication", "PRE-STEROID");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--hook order-sign|64|FILE is required",
        "x.json --format pdf|64|--format must be text, json or html",
        "x.json --start 10/01/2027|64|--start must be a date",
        "x.json --course 0|64|--course must be a number from 1 to 9",
        "x.json --profile CA|64|--profile must be UNION, US or EU",
        "x.json --frobnicate|64|unknown option --frobnicate",
        "does-not-exist.json|66|does-not-exist.json: no such file.",
    })
    void badArgumentsAndMissingFilesGetAMessageAndTheirExitCode(String args, int exitCode, String message) {
        Run run = run(args.split(" "));

        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.err()).contains(message);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aRecordWithTwoPatientsExitsWith65BeforeTheEngineStarts(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("two.ndjson");
        Files.writeString(file, "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\n");

        Run run = run(file.toString());

        assertThat(run.exitCode()).isEqualTo(EvaluateCommand.DATA);
        assertThat(run.err().strip()).isEqualTo("evaluate: two.ndjson has 2 Patient resources: give the record of one patient.");
    }

    private static JsonNode rule(JsonNode rules, String id) {
        for (JsonNode rule : rules) {
            if (id.equals(rule.path("ruleId").asText())) {
                return rule;
            }
        }
        throw new AssertionError("no rule " + id + " in the explanation");
    }

    /** The rule IDs the answer's cards cover (a combined card lists several in its extension). */
    private static List<String> ruleIds(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("cards").forEach(card -> card.path("extension").path(Card.RULES_EXTENSION)
                .forEach(id -> ids.add(id.asText())));
        return ids;
    }
}
