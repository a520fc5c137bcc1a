package org.alemcds.testing;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.alemcds.cards.Card;
import org.alemcds.cards.CardAssembler;
import org.alemcds.cards.CardDefinitions;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.cql.ValueSetIndex;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.FhirServerFetcher;
import org.alemcds.hooks.HookRequest;
import org.alemcds.hooks.HookService;
import org.alemcds.hooks.PatientDataAssembler;

/**
 * Runs a {@link FhirRecord} through the service's real request path (CDS Hooks JSON → data assembly → CQL → cards)
 * without HTTP. The CQL is translated once per test JVM. {@code call}, {@code orderSign}… give each rule's own cards;
 * {@code answered} gives the cards as the service answers them, combined cards included.
 */
public final class RuleHarness {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final CqlRuleEngine ENGINE;
    public static final CardDefinitions DEFINITIONS;
    private static final CardAssembler ASSEMBLER;
    private static final CardAssembler COMBINING;
    private static final List<Card> ISSUED = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    static {
        ENGINE = new CqlRuleEngine(FHIR, ValueSetIndex.fromClasspath(FHIR, "classpath*:fhir-resources/valuesets/*.json"));
        ENGINE.compile(List.of("PreCourseChecks", "MonitoringChecks"));
        DEFINITIONS = CardDefinitions.fromClasspath(MAPPER, "classpath*:fhir-resources/cards/*.json");
        ASSEMBLER = new CardAssembler(DEFINITIONS, MAPPER);
        COMBINING = CardAssembler.combining(DEFINITIONS, MAPPER);
    }

    private RuleHarness() {}

    public static CdsProperties properties(String profile) {
        Map<String, String> prefetch = new LinkedHashMap<>();
        prefetch.put("patient", "Patient/{{context.patientId}}");
        for (String[] key : FhirRecord.PREFETCH_KEYS) {
            prefetch.put(key[0], key[1] + (key[1].equals("AdverseEvent") ? "?subject=" : "?patient=") + "{{context.patientId}}");
        }
        return new CdsProperties(profile, prefetch, List.of(
                new CdsProperties.Service("alemtuzumab-order-select", "order-select", "t", "d", "PreCourseChecks"),
                new CdsProperties.Service("alemtuzumab-order-sign", "order-sign", "t", "d", "PreCourseChecks"),
                new CdsProperties.Service("alemtuzumab-patient-view", "patient-view", "t", "d", "MonitoringChecks")),
                null);
    }

    public static List<Card> call(String hook, FhirRecord record, String today, String profile) {
        return call(hook, record.hookRequest(hook), today, profile);
    }

    /** Each rule's own cards for a CDS Hooks request as JSON, before combining (what the rule tests check). */
    public static List<Card> call(String hook, JsonNode request, String today, String profile) {
        return answer(ASSEMBLER, hook, request, today, profile);
    }

    /** The cards exactly as the service answers them, combined cards included (what a clinician sees). */
    public static List<Card> answered(String hook, JsonNode request, String today, String profile) {
        return answer(COMBINING, hook, request, today, profile);
    }

    public static List<Card> answered(String hook, FhirRecord record, String today, String profile) {
        return answered(hook, record.hookRequest(hook), today, profile);
    }

    private static List<Card> answer(
            CardAssembler assembler, String hook, JsonNode request, String today, String profile) {
        CdsProperties properties = properties(profile);
        var fetcher = new FhirServerFetcher(FHIR, properties.fhirClient());
        var clock = Clock.fixed(LocalDate.parse(today).atTime(10, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        var service = new HookService(properties, new PatientDataAssembler(FHIR, fetcher), ENGINE, assembler, clock);
        var definition = properties.services().stream().filter(s -> s.hook().equals(hook)).findFirst().orElseThrow();
        List<Card> cards = service.answer(definition, HookRequest.from(request));
        ISSUED.addAll(cards);
        return cards;
    }

    /** Every card the harness returned in this test JVM, for the card quality scan (CardQualityScanTest). */
    public static List<Card> issuedSoFar() {
        synchronized (ISSUED) {
            return List.copyOf(ISSUED);
        }
    }

    public static List<Card> orderSign(FhirRecord record, String today) {
        return call("order-sign", record, today, "UNION");
    }

    public static List<Card> orderSelect(FhirRecord record, String today) {
        return call("order-select", record, today, "UNION");
    }

    public static List<Card> patientView(FhirRecord record, String today) {
        return call("patient-view", record, today, "UNION");
    }

    /** The cards of one rule (by source.topic.code). */
    public static List<Card> cardsOf(List<Card> cards, String ruleId) {
        return cards.stream().filter(c -> ruleId.equals(c.source().topic().code())).toList();
    }

    public static String describe(List<Card> cards) {
        return cards.stream()
                .map(c -> c.source().topic().code() + " [" + c.indicator() + "] " + c.summary())
                .collect(Collectors.joining("\n"));
    }
}
