package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Uncertain mentions in free text (issue 10, TextEvidence.cql): "suspected", "possible", "?" … name a finding that is
 * neither silence nor confirmed. A condition named only so is an unconfirmed diagnosis (§2.2: one level lower, "unconfirmed
 * diagnosis"); an allergy named only so is an unconfirmed allergy entry (CI-HYPERSENS keeps it, marked unconfirmed).
 * An affirmed mention or a coded entry wins; a negated mention is no finding.
 */
class UncertainMentionTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1985-04-02");
        record.draftAlemtuzumab(START, 5);
        record.observation("56888-1", "negative", "2026-11-10"); // HIV excluded by test: CI-HIV reads the diagnosis only
        return record;
    }

    /** A problem-list entry written only as text, active and confirmed in its status. */
    private static ObjectNode textCondition(FhirRecord record, String text) {
        ObjectNode condition = record.condition("0", text, "2020-06-01");
        condition.set("code", FhirRecord.text(text));
        return condition;
    }

    private static List<Card> cards(FhirRecord record, String rule, String profile) {
        return cardsOf(call("order-sign", record, TODAY, profile), rule);
    }

    private static List<Card> cards(FhirRecord record, String rule) {
        return cards(record, rule, "UNION");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        possible HIV infection          | warning
        ? HIV infection                 | warning
        HIV infection not excluded      | warning
        HIV infection                   | critical
        """)
    void anHivDiagnosisNamedOnlyUncertainlyIsOneLevelLower(String text, String level) {
        FhirRecord record = patient();
        textCondition(record, text);

        assertThat(cards(record, "CI-HIV")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo(level);
            assertThat(card.detail()).contains(text);
            assertThat(card.detail().contains("[unconfirmed diagnosis]")).isEqualTo(level.equals("warning"));
        });
    }

    @Test
    void aSuspectedStrokeIsOneLevelLowerUnderEachProfile() {
        FhirRecord record = patient();
        textCondition(record, "Suspected stroke");

        assertThat(cards(record, "CI-EU-STROKE")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("Suspected stroke (onset 2020-06-01) [unconfirmed diagnosis]");
        });
        assertThat(cards(record, "CI-EU-STROKE", "US")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).as("capped at warning, then lowered").isEqualTo("info"));
    }

    @Test
    void anAffirmedMentionInTheSameRecordWins() {
        FhirRecord record = patient();
        textCondition(record, "possible HIV infection");
        textCondition(record, "HIV infection");
        textCondition(record, "Suspected stroke. Cerebral infarction on MRI");

        assertThat(cards(record, "CI-HIV")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
        assertThat(cards(record, "CI-EU-STROKE")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).doesNotContain("unconfirmed");
        });
    }

    @Test
    void aCodedDiagnosisIsNotLoweredByItsText() {
        FhirRecord record = patient();
        record.condition("86406008", "Human immunodeficiency virus infection", "2019-03-01")
                .set("code", FhirRecord.concept("http://snomed.info/sct", "86406008", null).put("text", "possible HIV"));

        assertThat(cards(record, "CI-HIV")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void aNegatedMentionIsNoFinding() {
        FhirRecord record = patient();
        textCondition(record, "No evidence of HIV infection");
        textCondition(record, "Stroke ruled out");

        assertThat(cards(record, "CI-HIV")).isEmpty();
        assertThat(cards(record, "CI-EU-STROKE")).isEmpty();
    }

    // --- CI-HYPERSENS keeps unconfirmed allergy entries critical (AbsoluteContraindications header) ---------

    @Test
    void aSuspectedAnaphylaxisToAlemtuzumabStopsTheOrderMarkedUnconfirmed() {
        FhirRecord record = patient();
        record.allergy(FhirRecord.text("Suspected anaphylaxis to alemtuzumab")).put("recordedDate", "2025-12-10");

        assertThat(cards(record, "CI-HYPERSENS")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("Suspected anaphylaxis to alemtuzumab: no reaction recorded")
                    .contains("[allergy entry unconfirmed]");
        });
    }

    @Test
    void aPossibleHsrFeatureKeepsTheCardAndIsMarkedUnconfirmed() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "moderate", "2025-12-02", "Fever", "Possible angioedema");

        assertThat(cards(record, "CI-HYPERSENS")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("Fever, Possible angioedema [unconfirmed] (moderate) [HSR]")
                    .doesNotContain("[allergy entry unconfirmed]");
        });
    }
}
