package org.alemcds.rules;

import static org.alemcds.rules.LabFixtures.TODAY;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * §2.2 for the infection screens of the order (CI-HIV, LAB-IGRA, RCI-CHRONIC-INFECTION): final, amended and corrected
 * results decide; a preliminary result newer than the latest final one, positive by the rule's own reading, adds one
 * warning that cites it and its date and asks for the final result; a negative preliminary never clears a positive final
 * result, and a preliminary older than the latest final result says nothing. Course planned for 2026-12-01.
 */
class PreliminaryInfectionScreenTest {

    private static final String OLDER = "2026-10-01";
    private static final String NEWER = "2026-11-15";

    /** One screening test of one rule: how a result is written and the words its preliminary warning uses. */
    record Screen(String rule, String test, String loinc, String positive, String negative, String finding, String confirmCode) {

        ObjectNode result(FhirRecord record, String value, String date) {
            ObjectNode o = record.observation(loinc == null ? "LOCAL" : loinc, value, date);
            if (loinc == null) { // HCV RNA: a local code known by its name (the catalogue has no LOINC for it)
                o.set("code", FhirRecord.concept("http://lab.example.org", "HCVRNA", "HCV RNA PCR"));
            }
            return o;
        }

        ObjectNode preliminary(FhirRecord record, String value, String date) {
            return result(record, value, date).put("status", "preliminary");
        }

        @Override
        public String toString() {
            return rule + " " + test;
        }
    }

    static Stream<Screen> screens() {
        return Stream.of(
                new Screen("CI-HIV", "HIV-1/2 Ag/Ab", "56888-1", "reactive", "non-reactive", "HIV-1/2 Ag/Ab positive", "56888-1"),
                new Screen("LAB-IGRA", "IGRA", "71773-6", "positive", "negative", "IGRA (QuantiFERON) positive", "71773-6"),
                new Screen("RCI-CHRONIC-INFECTION", "HBsAg", "5196-1", "positive", "negative", "HBsAg positive", "5196-1"),
                new Screen("RCI-CHRONIC-INFECTION", "anti-HBc", "16933-4", "reactive", "negative", "anti-HBc positive", "16933-4"),
                new Screen("RCI-CHRONIC-INFECTION", "HCV antibody", "16128-1", "positive", "negative", "HCV antibody positive", "16128-1"),
                new Screen("RCI-CHRONIC-INFECTION", "HCV RNA", null, "detected", "not detected", "HCV RNA detected", null),
                new Screen("RCI-CHRONIC-INFECTION", "treponemal antibody", "24110-9", "positive", "negative",
                        "treponemal antibody positive", "24110-9"));
    }

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.male("1985-06-15");
        record.draftAlemtuzumab(LabFixtures.START, 5);
        return record;
    }

    private static List<Card> cards(FhirRecord record, String rule) {
        return cardsOf(orderSign(record, TODAY), rule);
    }

    /** What a clinician reads of a card: level, summary and detail. */
    private static List<String> readable(List<Card> cards) {
        return cards.stream().map(c -> c.indicator() + " | " + c.summary() + " | " + c.detail()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void aPositivePreliminaryAfterANegativeFinalResultIsAWarningThatCitesIt(Screen screen) {
        FhirRecord record = patient();
        screen.result(record, screen.negative(), OLDER);
        screen.preliminary(record, screen.positive(), NEWER);

        assertThat(cards(record, screen.rule())).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Preliminary result: " + screen.finding() + " (" + NEWER + ")")
                    .doesNotContain(OLDER);
            assertThat(card.detail()).contains("Latest final " + screen.test() + ": ")
                    .contains(screen.negative() + " on " + OLDER)
                    .contains("confirm");
            assertThat(card.suggestions()).singleElement().satisfies(s -> {
                var order = s.actions().get(0).resource();
                assertThat(order.get("resourceType").asText()).isEqualTo("ServiceRequest");
                if (screen.confirmCode() != null) {
                    assertThat(order.at("/code/coding/0/code").asText()).isEqualTo(screen.confirmCode());
                }
            });
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void aNegativePreliminaryLeavesThePositiveFinalResultsCardUnchanged(Screen screen) {
        FhirRecord finalOnly = patient();
        screen.result(finalOnly, screen.positive(), OLDER);
        FhirRecord withPreliminary = patient();
        screen.result(withPreliminary, screen.positive(), OLDER);
        screen.preliminary(withPreliminary, screen.negative(), NEWER);

        List<String> expected = readable(cards(finalOnly, screen.rule()));
        assertThat(expected).isNotEmpty();
        assertThat(readable(cards(withPreliminary, screen.rule()))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void aPositivePreliminaryOlderThanTheLatestFinalResultSaysNothing(Screen screen) {
        FhirRecord record = patient();
        screen.preliminary(record, screen.positive(), OLDER);
        screen.result(record, screen.negative(), NEWER);

        assertThat(cards(record, screen.rule())).isEmpty();
    }

    @Test
    void aPreliminaryNegativeHivScreenNeverExcludesHivAndAPositiveOneAddsItsWarning() {
        FhirRecord negative = patient();
        negative.observation("56888-1", "negative", NEWER).put("status", "preliminary");
        assertThat(cards(negative, "CI-HIV")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("No HIV-1/2 Ag/Ab result in last 90 days");
        });

        FhirRecord positive = patient();
        positive.observation("56888-1", "positive", NEWER).put("status", "preliminary");
        assertThat(cards(positive, "CI-HIV")).hasSize(2)
                .anySatisfy(card -> {
                    assertThat(card.indicator()).isEqualTo("critical");
                    assertThat(card.summary()).startsWith("No HIV-1/2 Ag/Ab result in last 90 days");
                })
                .anySatisfy(card -> {
                    assertThat(card.indicator()).isEqualTo("warning");
                    assertThat(card.summary()).startsWith("Preliminary result: HIV-1/2 Ag/Ab positive (" + NEWER + ")");
                });
    }

    @Test
    void aPositivePreliminaryHcvAntibodyIsStillClearedByARecentNegativeHcvRna() {
        FhirRecord record = patient();
        Screen rna = screens().filter(s -> s.test().equals("HCV RNA")).findFirst().orElseThrow();
        rna.result(record, "not detected", OLDER);
        record.observation("16128-1", "positive", NEWER).put("status", "preliminary");

        assertThat(cards(record, "RCI-CHRONIC-INFECTION")).isEmpty();
    }

    @Test
    void aQuantitativePreliminaryHcvRnaIsReadLikeAFinalOne() {
        FhirRecord viraemic = patient();
        viraemic.observation("16128-1", "negative", OLDER);
        hcvViralLoad(viraemic, 250000, null);
        assertThat(cards(viraemic, "RCI-CHRONIC-INFECTION")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Preliminary result: HCV RNA detected (" + NEWER + ")");
            assertThat(card.detail()).contains("Latest final HCV RNA: none on record.");
        });

        FhirRecord belowDetection = patient();
        belowDetection.observation("16128-1", "negative", OLDER);
        hcvViralLoad(belowDetection, 15, "<");
        assertThat(cards(belowDetection, "RCI-CHRONIC-INFECTION")).isEmpty();
    }

    private static void hcvViralLoad(FhirRecord record, double value, String comparator) {
        ObjectNode rna = record.observation("LOCAL", value, "[IU]/mL", NEWER).put("status", "preliminary");
        rna.set("code", FhirRecord.text("Hepatitis C virus RNA [Units/volume] (viral load)"));
        if (comparator != null) {
            ((ObjectNode) rna.get("valueQuantity")).put("comparator", comparator);
        }
    }

    @Test
    void aPreliminaryPositiveVzvIggNeverPassesLabVzv() {
        FhirRecord record = patient();
        record.observation("19162-7", "positive", NEWER).put("status", "preliminary");

        assertThat(cards(record, "LAB-VZV")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("VZV immune status unknown"));
    }
}
