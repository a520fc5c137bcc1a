package org.alemcds.rules;

import static org.alemcds.rules.MonitoringFixtures.rule;
import static org.alemcds.rules.MonitoringFixtures.treatedFemale;
import static org.alemcds.rules.MonitoringFixtures.withReferenceRange;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * §2.2 for the post-treatment monitoring rules that judge a lab value: final, amended and corrected results decide; a
 * preliminary result newer than the latest final one, alarming by the very judgement the rule applies to a final
 * result, is one warning that cites it (value and date) and asks for confirmation, never more than a warning. A normal
 * preliminary result never clears a final finding, and a preliminary result older than the latest final one says
 * nothing. (CI-PREG, before a course: {@link PreliminaryResultTest}.)
 *
 * <p>The patient's first course ended 2025-03-07 (outside the infusion-week artefact window from 2025-03-11).
 */
class PreliminaryMonitoringResultTest {

    static final String EARLIER = "2025-06-01";
    static final String LATER = "2025-06-08";
    static final String TODAY = "2025-06-10";

    /** Writes one result of a test on a date; the returned Observation can be made preliminary. */
    interface Result extends BiFunction<FhirRecord, String, ObjectNode> {}

    /**
     * One monitoring test as a rule reads it: a normal and an alarming result, what the preliminary warning quotes of
     * the alarming one, how the normal one is written on a card, the final card's indicator, and the code the warning
     * orders to confirm it.
     */
    record MonitoredTest(String rule, String test, Result normal, Result alarming, String quoted, String normalText,
            String finalIndicator, String confirmCode) {
        @Override
        public String toString() {
            return rule + ": " + test;
        }
    }

    static Stream<MonitoredTest> monitoredTests() {
        return Stream.of(
                new MonitoredTest("MON-PLT", "platelets below 100",
                        (r, d) -> r.observation("777-3", 280, "10*9/L", d),
                        (r, d) -> r.observation("777-3", 60, "10*9/L", d),
                        "platelets 60 ×10⁹/L, below 100 ×10⁹/L", "280", "critical", "777-3"),
                new MonitoredTest("MON-PLT", "platelets >30% below baseline (baseline 300)",
                        (r, d) -> r.observation("777-3", 280, "10*9/L", d),
                        (r, d) -> r.observation("777-3", 190, "10*9/L", d),
                        "platelets 190 ×10⁹/L, >30% below baseline", "280", "warning", "777-3"),
                new MonitoredTest("MON-RENAL", "creatinine rise (baseline 0.8 mg/dL)",
                        (r, d) -> r.observation("2160-0", 0.9, "mg/dL", d),
                        (r, d) -> r.observation("2160-0", 1.4, "mg/dL", d),
                        "creatinine 1.4 mg/dL, 1.75× baseline", "0.9 mg/dL", "warning", "2160-0"),
                new MonitoredTest("MON-RENAL", "urine blood dipstick",
                        (r, d) -> r.observation("5794-3", "negative", d),
                        (r, d) -> r.observation("5794-3", "2+", d),
                        "urine blood 2+, new hematuria", "negative", "warning", "5794-3"),
                new MonitoredTest("MON-RENAL", "urine sediment RBC",
                        (r, d) -> r.observation("13945-1", 2, "/[HPF]", d),
                        (r, d) -> r.observation("13945-1", 8, "/[HPF]", d),
                        "urine RBC 8 /HPF, new hematuria", "2 /HPF", "warning", "13945-1"),
                new MonitoredTest("MON-RENAL", "urine protein dipstick",
                        (r, d) -> r.observation("20454-5", "negative", d),
                        (r, d) -> r.observation("20454-5", "2+", d),
                        "urine protein 2+, new proteinuria", "negative", "warning", "20454-5"),
                new MonitoredTest("MON-RENAL", "urine protein/creatinine ratio",
                        (r, d) -> withReferenceRange(r.observation("2890-2", 0.12, "mg/mg", d), null, 0.2, "mg/mg"),
                        (r, d) -> withReferenceRange(r.observation("2890-2", 0.6, "mg/mg", d), null, 0.2, "mg/mg"),
                        "UPCR 0.6 mg/mg, new proteinuria", "0.12", "warning", "2890-2"),
                new MonitoredTest("MON-THYROID-ABN", "high TSH",
                        (r, d) -> r.observation("3016-3", 1.8, "mIU/L", d),
                        (r, d) -> r.observation("3016-3", 8.2, "mIU/L", d),
                        "TSH 8.2 mIU/L, above range", "1.8", "warning", "3016-3"),
                new MonitoredTest("MON-THYROID-ABN", "low TSH",
                        (r, d) -> r.observation("3016-3", 1.8, "mIU/L", d),
                        (r, d) -> r.observation("3016-3", 0.05, "mIU/L", d),
                        "TSH 0.05 mIU/L, below range", "1.8", "warning", "3016-3"),
                new MonitoredTest("MON-CYTOPENIA", "low WBC",
                        (r, d) -> r.observation("6690-2", 6.7, "10*9/L", d),
                        (r, d) -> r.observation("6690-2", 2500, "/uL", d),
                        "WBC 2.5 ×10⁹/L, below the lower limit", "6.7", "warning", "6690-2"),
                new MonitoredTest("MON-CYTOPENIA", "low hemoglobin",
                        (r, d) -> hemoglobin(r, 13.6, d),
                        (r, d) -> hemoglobin(r, 9.5, d),
                        "Hb 9.5 g/dL, below range", "13.6", "warning", "718-7"),
                new MonitoredTest("MON-PREG", "positive pregnancy test within 4 months of the last infusion",
                        (r, d) -> r.observation("2106-3", "negative", d),
                        (r, d) -> r.observation("2106-3", "positive", d),
                        "positive pregnancy test", "negative", "critical", "2106-3"));
    }

    static FhirRecord treated() {
        FhirRecord record = treatedFemale();
        record.observation("2160-0", 0.8, "mg/dL", "2025-02-20"); // baselines before the first infusion
        record.observation("777-3", 300, "10*9/L", "2025-02-20");
        return record;
    }

    /** Blood hemoglobin is matched by name (its code is not verified). */
    static ObjectNode hemoglobin(FhirRecord record, double gPerDl, String date) {
        ObjectNode hb = record.observation("local-hb", gPerDl, "g/dL", date);
        hb.set("code", FhirRecord.text("Hemoglobin"));
        return withReferenceRange(hb, 12.0, 16.0, "g/dL");
    }

    static ObjectNode preliminary(ObjectNode observation) {
        observation.put("status", "preliminary");
        return observation;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("monitoredTests")
    void anAlarmingPreliminaryResultAfterANormalFinalOneIsAWarningCitingItsValueAndDate(MonitoredTest t) {
        FhirRecord record = treated();
        t.normal().apply(record, EARLIER);
        preliminary(t.alarming().apply(record, LATER));

        assertThat(rule(record, TODAY, t.rule())).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Preliminary result: " + t.quoted() + " (" + LATER + ")")
                    .doesNotContain(t.normalText()).doesNotContain(EARLIER);
            assertThat(card.detail()).contains(t.normalText()).contains("confirm");
            assertThat(card.suggestions()).singleElement().satisfies(s ->
                    assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo(t.confirmCode()));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("monitoredTests")
    void aNormalPreliminaryResultLeavesTheFinalResultsCardUnchanged(MonitoredTest t) {
        FhirRecord finalOnly = treated();
        t.alarming().apply(finalOnly, EARLIER);
        List<String> finalCards = texts(rule(finalOnly, TODAY, t.rule()));

        FhirRecord record = treated();
        t.alarming().apply(record, EARLIER);
        preliminary(t.normal().apply(record, LATER));
        List<Card> cards = rule(record, TODAY, t.rule());

        assertThat(finalCards).singleElement().asString().startsWith(t.finalIndicator() + ": ");
        assertThat(texts(cards)).isEqualTo(finalCards);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("monitoredTests")
    void anAlarmingPreliminaryResultOlderThanTheLatestFinalOneSaysNothing(MonitoredTest t) {
        FhirRecord record = treated();
        preliminary(t.alarming().apply(record, EARLIER));
        t.normal().apply(record, LATER);

        assertThat(rule(record, TODAY, t.rule())).isEmpty();
    }

    @Test
    void aPreliminaryResultIsAtMostAWarningEvenWhereFinalResultsWouldBeCritical() {
        FhirRecord record = treated();
        preliminary(record.observation("2160-0", 1.4, "mg/dL", LATER));
        preliminary(record.observation("5794-3", "2+", LATER));

        assertThat(rule(record, TODAY, "MON-RENAL")).hasSize(2)
                .allSatisfy(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void aLowPreliminaryTshInTheInfusionWeekIsAnArtefactAsAFinalOneWouldBe() {
        FhirRecord record = treated();
        preliminary(record.observation("3016-3", 0.1, "mIU/L", "2025-03-06"));

        assertThat(rule(record, "2025-03-20", "MON-THYROID-ABN")).isEmpty();
        assertThat(rule(record, "2025-03-20", "MON-ARTEFACT")).singleElement().satisfies(card ->
                assertThat(card.detail()).contains("TSH 0.1 mIU/L on 2025-03-06 (low, preliminary)"));
    }

    @Test
    void aMildPreliminaryPlateletDropInTheInfusionWeekIsAnArtefactButBelow100ItIsAWarning() {
        FhirRecord mild = treated();
        preliminary(mild.observation("777-3", 120, "10*9/L", "2025-03-06"));
        assertThat(rule(mild, "2025-03-20", "MON-PLT")).isEmpty();
        assertThat(rule(mild, "2025-03-20", "MON-ARTEFACT")).singleElement().satisfies(card ->
                assertThat(card.detail()).contains("platelets 120 ×10⁹/L on 2025-03-06 (low, preliminary)"));

        FhirRecord severe = treated();
        preliminary(severe.observation("777-3", 80, "10*9/L", "2025-03-06"));
        assertThat(rule(severe, "2025-03-20", "MON-PLT")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void aPreliminaryPositivePregnancyTestAddsNothingToAPregnancyFinalResultsShow() {
        FhirRecord record = treated();
        record.observation("2106-3", "positive", EARLIER);
        preliminary(record.observation("2106-3", "positive", LATER));

        assertThat(rule(record, TODAY, "MON-PREG")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void aPreliminaryResultBeforeTheFirstInfusionIsNoMonitoringFinding() {
        FhirRecord record = treated();
        preliminary(record.observation("3016-3", 8.2, "mIU/L", "2025-02-25"));

        assertThat(rule(record, TODAY, "MON-THYROID-ABN")).isEmpty();
    }

    /** What a card says: indicator, summary and detail. */
    private static List<String> texts(List<Card> cards) {
        return cards.stream().map(c -> c.indicator() + ": " + c.summary() + "\n" + c.detail()).toList();
    }
}
