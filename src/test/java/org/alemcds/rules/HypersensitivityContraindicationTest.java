package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** CI-HYPERSENS (catalogue §4.2) with the reaction classification of HSR-IRR-VS-HSR (§4.9). */
class HypersensitivityContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";
    private static final String RULE = "CI-HYPERSENS";

    /** A patient who had course 1 (2025-12-01 to 2025-12-05) and is ordered course 2. */
    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1985-04-02");
        for (int day = 1; day <= 5; day++) {
            record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2025-12-0" + day);
        }
        record.draftAlemtuzumab(START, 3);
        return record;
    }

    private static List<Card> cards(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), RULE);
    }

    @Test
    void anaphylaxisIsCriticalWithReferralAndAlternativeDmtSuggestions() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "severe", "2025-12-03", "Anaphylaxis");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary())
                    .isEqualTo("Hypersensitivity to alemtuzumab recorded 2025-12-03: contraindicated. Consider another DMT or desensitization.");
            assertThat(card.detail()).contains("[HSR]").contains("rapid drug desensitization has been described")
                    .doesNotContain("HSR-RDD-PROTOCOL").doesNotContain("S0");
            assertThat(card.suggestions()).extracting(Card.Suggestion::label)
                    .containsExactly("Order Allergy/immunology referral", "Review alternative DMT");
        });
    }

    @Test
    void infusionReactionPatternOnlyIsAWarningToVerifyTheEntry() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.allergy(FhirRecord.rxnorm("117055", "alemtuzumab")), "moderate", "2025-12-03", "Fever", "Headache");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Alemtuzumab 'allergy' recorded 2025-12-03 matches an infusion reaction: verify the entry before dosing.");
            assertThat(card.detail()).contains("[IRR]");
        });
    }

    @Test
    void reactionOnTheDayAfterAnInfusionStillFitsTheIrrWindow() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), null, "2025-12-06", "Flushing", "Nausea");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void reactionTwoDaysAfterTheLastInfusionIsNotAnInfusionReaction() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), null, "2025-12-07", "Fever");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void irrPatternWithRaisedTryptaseIsCritical() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "mild", "2025-12-02", "Rash");
        ObjectNode tryptase = record.observation("0000-0", 19.5, "ng/mL", "2025-12-02");
        tryptase.set("code", FhirRecord.concept("http://hospital.example/lab", "TRYP", "Tryptase, serum"));

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("Raised tryptase 19.5 ng/mL on 2025-12-02");
        });
    }

    @Test
    void tryptaseBelowTheDefaultLimitKeepsTheIrrWarning() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "mild", "2025-12-02", "Rash");
        ObjectNode tryptase = record.observation("0000-0", 11.4, "ng/mL", "2025-12-02");
        tryptase.set("code", FhirRecord.text("Tryptase"));

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void irrPatternWithPositiveSkinTestIsCritical() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "mild", "2025-12-02", "Fever");
        ObjectNode skinTest = record.observation("0000-0", "positive", "2026-01-05");
        skinTest.set("code", FhirRecord.text("Alemtuzumab intradermal skin test"));

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("Positive alemtuzumab skin test on 2026-01-05");
        });
    }

    @Test
    void severeFeverIsNotDowngradedAsAnInfusionReaction() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "severe", "2025-12-02", "Fever");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void highCriticalityIsNotDowngradedAsAnInfusionReaction() {
        FhirRecord record = patient();
        ObjectNode allergy = record.alemtuzumabAllergy();
        allergy.put("criticality", "high");
        FhirRecord.addReaction(allergy, "mild", "2025-12-02", "Fever");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    /** A manifestation written as free text that denies an HSR feature names no HSR feature (negation, §2.2). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "Flushing, no urticaria", "Rash; denies wheeze", "Fever, negative for angioedema", "Headache without angioedema",
        "Non-urticarial rash", "Flushing. No evidence of anaphylaxis"})
    void aDeniedHsrFeatureLeavesTheInfusionReactionPattern(String manifestation) {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "mild", "2025-12-02", manifestation);

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).contains("matches an infusion reaction");
        });
    }

    @Test
    void urticariaIsNotAnInfusionReactionManifestation() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "mild", "2025-12-01", "Urticaria");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("[unclassified]");
        });
    }

    @Test
    void urticariaThatRecurredIsAnHsrFeature() {
        FhirRecord record = patient();
        ObjectNode allergy = record.alemtuzumabAllergy();
        FhirRecord.addReaction(allergy, "mild", "2025-12-01", "Urticaria");
        FhirRecord.addReaction(allergy, "moderate", "2025-12-02", "Urticaria", "Wheezing");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Hypersensitivity to alemtuzumab recorded 2025-12-02: contraindicated");
            assertThat(card.detail()).contains("Urticaria (mild) [HSR]");
        });
    }

    @Test
    void allergyWithoutRecordedReactionIsCritical() {
        FhirRecord record = patient();
        ObjectNode allergy = record.allergy(FhirRecord.text("Lemtrada"));
        allergy.put("recordedDate", "2025-12-10");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Hypersensitivity to alemtuzumab recorded 2025-12-10: contraindicated. Consider another DMT or desensitization.");
        });
    }

    @Test
    void excipientAllergyIsCritical() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.allergy(FhirRecord.text("Polysorbate 80")), null, null, "Fever");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Hypersensitivity to an alemtuzumab excipient: contraindicated");
        });
    }

    @Test
    void unconfirmedAllergyEntryStaysCritical() {
        FhirRecord record = patient();
        ObjectNode allergy = record.alemtuzumabAllergy();
        allergy.set("verificationStatus", FhirRecord.concept(
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "unconfirmed", null));
        FhirRecord.addReaction(allergy, null, "2025-12-02", "Hypotension");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("[allergy entry unconfirmed]");
        });
    }

    @Test
    void refutedEnteredInErrorAndResolvedAllergiesAreIgnored() {
        FhirRecord record = patient();
        String verification = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
        ObjectNode refuted = record.alemtuzumabAllergy();
        refuted.set("verificationStatus", FhirRecord.concept(verification, "refuted", null));
        FhirRecord.addReaction(refuted, null, null, "Anaphylaxis");
        ObjectNode inError = record.alemtuzumabAllergy();
        inError.set("verificationStatus", FhirRecord.concept(verification, "entered-in-error", null));
        FhirRecord.addReaction(inError, null, null, "Anaphylaxis");
        ObjectNode resolved = record.alemtuzumabAllergy();
        resolved.set("clinicalStatus", FhirRecord.concept(
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "resolved", null));
        FhirRecord.addReaction(resolved, null, null, "Anaphylaxis");

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void otherAllergiesAreSilent() {
        FhirRecord record = patient();
        FhirRecord.addReaction(record.allergy(FhirRecord.rxnorm("7980", "Penicillin G")), "severe", null, "Anaphylaxis");

        assertThat(cards(record)).isEmpty();
    }
}
