package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.AZATHIOPRINE;
import static org.alemcds.rules.SwitchingData.CHOLESTYRAMINE;
import static org.alemcds.rules.SwitchingData.DIMETHYL_FUMARATE;
import static org.alemcds.rules.SwitchingData.FINGOLIMOD;
import static org.alemcds.rules.SwitchingData.INTERFERON_BETA_1A;
import static org.alemcds.rules.SwitchingData.LEMTRADA;
import static org.alemcds.rules.SwitchingData.TERIFLUNOMIDE;
import static org.alemcds.rules.SwitchingData.localResult;
import static org.alemcds.rules.SwitchingData.stopped;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * §2.2 for the order-time rules that judge a count or a chemistry value: final, amended and corrected results decide;
 * a preliminary result newer than the latest final one, alarming by the rule's own judgement, adds one warning with the
 * rule's ID that cites it (value and date), says what the final result says and asks for confirmation. A normal
 * preliminary result never clears a final finding; a preliminary result older than the latest final one says nothing.
 */
class PreliminaryPreCourseResultTest {

    private static final String SWITCH_STOP = "2025-01-10";
    private static final String SWITCH_START = "2025-02-20";
    private static final String SWITCH_TODAY = "2025-02-01";
    private static final String CAUTION_START = "2026-12-01";
    private static final String CAUTION_TODAY = "2026-11-21";

    /**
     * One rule and one result it judges: the record it needs besides the result (a course 1 order, a drug stopped),
     * the result's code and unit, a normal and an alarming value (as the card writes it), an older and a newer date,
     * both in the rule's window.
     */
    record Rule(String id, String today, Consumer<FhirRecord> background, String loinc, String unit,
            double normal, String normalText, double alarming, String alarmingText, String older, String newer) {

        FhirRecord record() {
            FhirRecord record = FhirRecord.female("1990-04-02");
            background.accept(record);
            return record;
        }

        ObjectNode result(FhirRecord record, double value, String date) {
            return record.observation(loinc, value, unit, date);
        }

        ObjectNode preliminary(FhirRecord record, double value, String date) {
            return result(record, value, date).put("status", "preliminary");
        }

        List<Card> cards(FhirRecord record) {
            return cardsOf(orderSign(record, today), id);
        }

        @Override
        public String toString() {
            return id + " (" + loinc + ")";
        }
    }

    private static Consumer<FhirRecord> switchingFrom(ObjectNode drug) {
        return switchingFrom(drug, SWITCH_STOP);
    }

    private static Consumer<FhirRecord> switchingFrom(ObjectNode drug, String stop) {
        return record -> {
            stopped(record, drug, "2022-06-01", stop);
            record.draftAlemtuzumab(SWITCH_START, 5);
        };
    }

    private static final Consumer<FhirRecord> COURSE_ORDERED = record -> record.draftAlemtuzumab(CAUTION_START, 5);

    static Stream<Rule> rules() {
        return Stream.of(
                // ALC must be > 1.5 ×10⁹/L after fumarates and teriflunomide, > 1.0 after S1P modulators
                new Rule("SW-FUMARATE-ALC", SWITCH_TODAY, switchingFrom(DIMETHYL_FUMARATE), "731-0", "10*9/L",
                        2.4, "2.4", 1.2, "ALC 1.2", "2025-02-03", "2025-02-10"),
                new Rule("SW-TERI-ALC", SWITCH_TODAY, switchingFrom(TERIFLUNOMIDE), "731-0", "10*9/L",
                        2.4, "2.4", 1.2, "ALC 1.2", "2025-02-03", "2025-02-10"),
                new Rule("SW-S1P", SWITCH_TODAY, switchingFrom(FINGOLIMOD), "731-0", "/uL",
                        1400, "1400", 800, "ALC 0.8", "2025-02-03", "2025-02-10"),
                // interferon-β/glatiramer: ALC and WBC must not be below their lower limits (default 1.0 and 4.0 ×10⁹/L)
                new Rule("SW-IFN-GA", SWITCH_TODAY, switchingFrom(INTERFERON_BETA_1A), "731-0", "10*9/L",
                        1.8, "1.8", 0.6, "ALC 0.6", "2025-02-03", "2025-02-10"),
                new Rule("SW-IFN-GA", SWITCH_TODAY, switchingFrom(INTERFERON_BETA_1A), "6690-2", "10*9/L",
                        6.3, "6.3", 2.9, "WBC 2.9", "2025-02-03", "2025-02-10"),
                // immunosuppressants: WBC after the stop must not be below its lower limit (washout of 6 months done)
                new Rule("SW-IMMUNOSUPP", SWITCH_TODAY, switchingFrom(AZATHIOPRINE, "2024-06-01"), "6690-2", "10*9/L",
                        6.3, "6.3", 2.9, "WBC 2.9", "2025-02-03", "2025-02-10"),
                // platelets below the lower limit (default 150 ×10⁹/L)
                new Rule("RCI-THROMBOCYTOPENIA", CAUTION_TODAY, COURSE_ORDERED, "777-3", "10*9/L",
                        240, "240", 85, "platelets 85", "2026-11-10", "2026-11-18"),
                // ALT > 3× ULN (default 40 U/L); eGFR < 30
                new Rule("RCI-ORGAN", CAUTION_TODAY, COURSE_ORDERED, "1742-6", "U/L",
                        35, "35", 250, "ALT 250", "2026-11-10", "2026-11-18"),
                new Rule("RCI-ORGAN", CAUTION_TODAY, COURSE_ORDERED, "33914-3", "mL/min/{1.73_m2}",
                        75, "75", 22, "eGFR 22", "2026-11-10", "2026-11-18"),
                // TSH outside 0.4–4.0 mIU/L (no range on the result), window 90 days
                new Rule("RCI-THYROID", CAUTION_TODAY, COURSE_ORDERED, "3016-3", "mIU/L",
                        2.1, "2.1", 9.5, "TSH 9.5", "2026-10-01", "2026-11-18"),
                // INR > 1.5 without a range, without coagulopathy or antithrombotic therapy
                new Rule("CI-EU-COAG", CAUTION_TODAY, COURSE_ORDERED, "6301-6", null,
                        1.0, "INR 1 ", 2.6, "INR 2.6", "2026-11-10", "2026-11-18"));
    }

    @ParameterizedTest(name = "{0}: a normal final result, then an alarming preliminary one → a warning that cites it")
    @MethodSource("rules")
    void aNewerAlarmingPreliminaryResultIsAWarningThatCitesIt(Rule rule) {
        FhirRecord record = rule.record();
        rule.result(record, rule.normal(), rule.older());
        rule.preliminary(record, rule.alarming(), rule.newer());

        assertThat(rule.cards(record)).as(describe(orderSign(record, rule.today()))).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Preliminary result: ").containsIgnoringCase(rule.alarmingText())
                    .contains(rule.newer()).doesNotContain(rule.normalText()).doesNotContain(rule.older());
            assertThat(card.detail()).containsIgnoringCase("final").contains(rule.older()).contains("confirm");
            assertThat(card.suggestions()).singleElement().satisfies(s -> {
                var order = s.actions().get(0).resource();
                assertThat(order.get("resourceType").asText()).isEqualTo("ServiceRequest");
                assertThat(order.at("/code/coding/0/system").asText()).isEqualTo("http://loinc.org");
            });
        });
    }

    @ParameterizedTest(name = "{0}: an alarming final result, then a normal preliminary one → the final's card unchanged")
    @MethodSource("rules")
    void aNewerNormalPreliminaryResultNeverClearsTheFinalFinding(Rule rule) {
        FhirRecord finalOnly = rule.record();
        rule.result(finalOnly, rule.alarming(), rule.older());
        FhirRecord withPreliminary = rule.record();
        rule.result(withPreliminary, rule.alarming(), rule.older());
        rule.preliminary(withPreliminary, rule.normal(), rule.newer());

        assertThat(rule.cards(finalOnly)).isNotEmpty();
        assertThat(view(rule.cards(withPreliminary))).isEqualTo(view(rule.cards(finalOnly)));
    }

    @ParameterizedTest(name = "{0}: an alarming preliminary result older than the latest normal final one → nothing")
    @MethodSource("rules")
    void aPreliminaryResultOlderThanTheLatestFinalOneSaysNothing(Rule rule) {
        FhirRecord record = rule.record();
        rule.preliminary(record, rule.alarming(), rule.older());
        rule.result(record, rule.normal(), rule.newer());

        assertThat(rule.cards(record)).isEmpty();
    }

    @Test
    void anAlarmingPreliminaryCountIsAddedToTheCannotAssessCardWhenNoFinalCountExists() {
        FhirRecord record = rules().filter(r -> r.id().equals("SW-FUMARATE-ALC")).findFirst().orElseThrow().record();
        record.observation("731-0", 1.1, "10*9/L", "2025-02-10").put("status", "preliminary");

        assertThat(cardsOf(orderSign(record, SWITCH_TODAY), "SW-FUMARATE-ALC")).extracting(Card::summary).satisfiesExactlyInAnyOrder(
                summary -> assertThat(summary).startsWith("Cannot assess dimethyl fumarate washout: no lymphocyte count"),
                summary -> assertThat(summary).startsWith("Preliminary result: ALC 1.1").contains("2025-02-10"));
    }

    // SW-TERI-LEVEL judges no level alarming (the sources give no threshold): a preliminary level raises no card of its own,
    // the missing-level warning stays, and the card names the preliminary level so that it is confirmed.
    @Test
    void aPreliminaryTeriflunomideLevelLeavesTheMissingLevelWarningAndIsNamedInIt() {
        FhirRecord record = teriflunomideStoppedAndEliminated();
        localResult(record, "Teriflunomide [Mass/volume] in Serum or Plasma", 0.4, "mg/L", "2025-01-28").put("status", "preliminary");

        assertThat(cardsOf(orderSign(record, "2025-02-25"), "SW-TERI-LEVEL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Teriflunomide: no plasma concentration after elimination recorded");
            assertThat(card.detail()).contains("preliminary level 0.4 mg/L on 2025-01-28");
        });
    }

    private static FhirRecord teriflunomideStoppedAndEliminated() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        stopped(record, TERIFLUNOMIDE, "2022-06-01", SWITCH_STOP);
        record.draftAlemtuzumab("2025-03-01", 5);
        record.administration(CHOLESTYRAMINE.deepCopy(), "2025-01-12");
        return record;
    }

    @Test
    void withoutAPreliminaryLevelTheMissingLevelWarningMentionsNone() {
        FhirRecord record = teriflunomideStoppedAndEliminated();

        assertThat(cardsOf(orderSign(record, "2025-02-25"), "SW-TERI-LEVEL")).singleElement()
                .satisfies(card -> assertThat(card.detail()).doesNotContainIgnoringCase("preliminary"));
    }

    // A preliminary differential is read as a final one is: lymphocytes % × the same-specimen WBC (here both preliminary).
    @Test
    void aPreliminaryLymphocytePercentageIsAnAlcWithItsPreliminaryWbc() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        switchingFrom(DIMETHYL_FUMARATE).accept(record);
        SwitchingData.alc(record, 2.0, "10*9/L", "2025-01-25");
        SwitchingData.alc(record, 10, "%", "2025-02-03T08:00:00Z").put("status", "preliminary");
        SwitchingData.wbc(record, 4.0, "10*9/L", "2025-02-03T08:00:00Z").put("status", "preliminary");

        assertThat(cardsOf(orderSign(record, SWITCH_TODAY), "SW-FUMARATE-ALC")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("Preliminary result: ALC 0.4"));
    }

    // A final eGFR decides kidney function without a creatinine: an older preliminary creatinine says nothing.
    @Test
    void aPreliminaryCreatinineOlderThanTheFinalEgfrSaysNothing() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        COURSE_ORDERED.accept(record);
        record.observation("2160-0", 5.0, "mg/dL", "2026-11-10").put("status", "preliminary");
        record.observation("33914-3", 85, "mL/min/{1.73_m2}", "2026-11-15");

        assertThat(cardsOf(orderSign(record, CAUTION_TODAY), "RCI-ORGAN")).isEmpty();
    }

    // Course scope: the switching rules do not apply once alemtuzumab has been given in the course, preliminary or not.
    @Test
    void aPreliminaryLowCountOnAnOrderThatCompletesAnInterruptedCourseIsNotASwitchingFinding() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        stopped(record, FINGOLIMOD, "2020-01-01", "2024-11-01");
        record.administration(LEMTRADA.deepCopy(), "2025-02-03");
        record.observation("731-0", 1.6, "10*9/L", "2025-01-20");
        record.observation("731-0", 0.1, "10*9/L", "2025-02-10").put("status", "preliminary");
        record.draftAlemtuzumab("2025-02-20", 4);

        var all = orderSign(record, "2025-02-19");
        assertThat(all).as(describe(all)).noneMatch(card -> card.source().topic().code().startsWith("SW-")
                && !card.source().topic().code().equals("SW-CONCURRENT-DMT"));
    }

    // CI-EU-COAG: with an anticoagulant on record the critical card says more, and a raised INR is expected.
    @Test
    void aPreliminaryRaisedInrAddsNothingToTheCriticalAnticoagulantCard() {
        FhirRecord record = FhirRecord.male("1983-09-09");
        record.draftAlemtuzumab(CAUTION_START, 5);
        record.request(FhirRecord.rxnorm("855332", "warfarin sodium 5 MG Oral Tablet"), "active", "2026-03-01");
        record.observation("6301-6", 2.6, null, "2026-11-18").put("status", "preliminary");

        assertThat(cardsOf(orderSign(record, CAUTION_TODAY), "CI-EU-COAG")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    private static List<List<String>> view(List<Card> cards) {
        return cards.stream().map(c -> List.of(c.indicator(), c.summary(), c.detail())).toList();
    }
}
