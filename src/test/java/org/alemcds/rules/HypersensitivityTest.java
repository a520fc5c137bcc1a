package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.alemcds.testing.RuleHarness.patientView;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** HSR-IRR-VS-HSR, HSR-WORKUP-TIMING, HSR-RDD-PROTOCOL, HSR-ACUTE-REACTION (catalogue §4.9). */
class HypersensitivityTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";

    /** Course 1 given 2025-12-01..05 (complete); course 2 ordered. */
    private static FhirRecord afterCompleteCourse() {
        FhirRecord record = FhirRecord.female("1985-04-02");
        for (int day = 1; day <= 5; day++) {
            record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2025-12-0" + day);
        }
        record.draftAlemtuzumab(START, 3);
        return record;
    }

    /** Course 1 in progress: infusions on 2026-11-19 and 2026-11-20 (2 of 5). */
    private static FhirRecord duringIncompleteCourse() {
        FhirRecord record = FhirRecord.female("1985-04-02");
        record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2026-11-19");
        record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2026-11-20");
        return record;
    }

    private static ObjectNode adverseEvent(FhirRecord record, String event, String date) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("resourceType", "AdverseEvent").put("actuality", "actual");
        e.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        e.set("event", FhirRecord.text(event));
        e.put("date", date);
        e.putArray("suspectEntity").addObject().putObject("instance").put("display", "Lemtrada infusion");
        return record.add(e);
    }

    private static ObjectNode skinTest(FhirRecord record, String date) {
        ObjectNode o = record.observation("0000-0", "negative", date);
        o.set("code", FhirRecord.text("Alemtuzumab skin prick test"));
        return o;
    }

    private static List<Card> preCourse(FhirRecord record, String rule) {
        return cardsOf(orderSign(record, TODAY), rule);
    }

    // ---------------------------------------------------------------- HSR-IRR-VS-HSR

    @Test
    void irrOnlyReactionGivesInfoCardNotAContraindication() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "moderate", "2025-12-03", "Fever", "Headache");

        assertThat(preCourse(record, "HSR-IRR-VS-HSR")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Prior infusion reaction (IRR pattern only): expected in >90%; premedicate, slow rate; not a contraindication.");
            assertThat(card.detail()).contains("Fever").contains("Headache");
        });
        assertThat(preCourse(record, "HSR-WORKUP-TIMING")).isEmpty();
        assertThat(preCourse(record, "HSR-RDD-PROTOCOL")).isEmpty();
    }

    @Test
    void anHsrFeatureIsNotAnInfusionReaction() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "moderate", "2025-12-03", "Fever", "Angioedema");

        assertThat(preCourse(record, "HSR-IRR-VS-HSR")).isEmpty();
        assertThat(preCourse(record, "CI-HYPERSENS")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void irrOnlyAdverseEventWithoutAllergyEntryGivesInfoCard() {
        FhirRecord record = afterCompleteCourse();
        adverseEvent(record, "Flushing", "2025-12-02");

        assertThat(preCourse(record, "HSR-IRR-VS-HSR")).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("Flushing"));
    }

    @Test
    void noDocumentedReactionIsSilent() {
        assertThat(orderSign(afterCompleteCourse(), TODAY)).noneMatch(c -> c.source().topic().code().startsWith("HSR-"));
    }

    // ---------------------------------------------------------------- HSR-WORKUP-TIMING

    @Test
    void criticalHypersensitivityWithoutSkinTestSuggestsReactionPlus28Days() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "severe", "2025-12-03", "Anaphylaxis");

        assertThat(preCourse(record, "HSR-WORKUP-TIMING")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Allergy work-up: skin test ≥2–4 weeks after the reaction; then challenge (mild) or desensitization (moderate/severe).");
            assertThat(card.detail()).contains("2025-12-17").contains("suggested date 2025-12-31")
                    .contains("graded challenge").contains("RDD");
            assertThat(card.suggestions()).extracting(Card.Suggestion::label)
                    .containsExactly("Order Alemtuzumab skin test (allergy/immunology) on or after 2025-12-31");
        });
    }

    @Test
    void skinTest13DaysAfterTheReactionIsTooEarly() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "severe", "2025-12-03", "Anaphylaxis");
        skinTest(record, "2025-12-16");

        assertThat(preCourse(record, "HSR-WORKUP-TIMING")).hasSize(1);
    }

    @Test
    void skinTest14DaysAfterTheReactionCompletesTheWorkup() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "severe", "2025-12-03", "Anaphylaxis");
        skinTest(record, "2025-12-17");

        assertThat(preCourse(record, "HSR-WORKUP-TIMING")).isEmpty();
    }

    // ---------------------------------------------------------------- HSR-RDD-PROTOCOL

    @Test
    void criticalHypersensitivityWithAnOrderGivesTheDesensitizationProtocol() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "severe", "2025-12-03", "Anaphylaxis");

        assertThat(preCourse(record, "HSR-RDD-PROTOCOL")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "If no alternative DMT: allergist-led 12-step, 3-bag alemtuzumab desensitization in ICU with 1:1 monitoring.");
            assertThat(card.detail()).contains("0.01 mg/mL, 10 mL").contains("0.09 mg/mL, 10 mL")
                    .contains("0.137 mg/mL, 80 mL").contains("15 min").contains("montelukast 10 mg")
                    .contains("1:1").contains("mL/h");
            assertThat(card.suggestions()).extracting(Card.Suggestion::label).containsExactly(
                    "Order ICU bed with 1:1 monitoring for alemtuzumab desensitization",
                    "Order Allergy/immunology team for alemtuzumab desensitization",
                    "Informed consent for desensitization");
        });
    }

    @Test
    void desensitizationIsNotProposedForAnIrrOnlyEntry() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), "mild", "2025-12-03", "Rash");

        assertThat(preCourse(record, "HSR-RDD-PROTOCOL")).isEmpty();
    }

    // ---------------------------------------------------------------- HSR-ACUTE-REACTION

    @Test
    void allergyDuringAnIncompleteCourseIsCriticalOnPatientView() {
        FhirRecord record = duringIncompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), null, "2026-11-20", "Fever");

        assertThat(cardsOf(patientView(record, TODAY), "HSR-ACUTE-REACTION")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Allergic reaction during infusion: stop; treat; tryptase within 6 h; allergy consult before next infusion.");
            assertThat(card.detail()).contains("course 1 (2/5").contains("dimetindene 4 mg");
            assertThat(card.suggestions()).extracting(Card.Suggestion::label).containsExactly(
                    "Order serum tryptase (within 6 h of the reaction)", "Order Allergy/immunology consult (urgent)");
        });
    }

    @Test
    void acuteReactionAlsoFiresOnThePreCourseHookCompletingTheCourse() {
        FhirRecord record = duringIncompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), null, "2026-11-20", "Wheeze");
        record.draftAlemtuzumab("2026-11-22", 3);

        assertThat(preCourse(record, "HSR-ACUTE-REACTION")).hasSize(1);
    }

    @Test
    void reactionAfterACompleteCourseIsNotAcute() {
        FhirRecord record = afterCompleteCourse();
        FhirRecord.addReaction(record.alemtuzumabAllergy(), null, "2025-12-05", "Urticaria");

        assertThat(cardsOf(patientView(record, "2025-12-06"), "HSR-ACUTE-REACTION")).isEmpty();
    }

    @Test
    void urticariaAdverseEventDuringAnIncompleteCourseIsCritical() {
        FhirRecord record = duringIncompleteCourse();
        adverseEvent(record, "Urticaria", "2026-11-20");

        assertThat(cardsOf(patientView(record, TODAY), "HSR-ACUTE-REACTION")).hasSize(1);
    }

    @Test
    void irrOnlyAdverseEventDuringTheCourseGivesNoAcuteCard() {
        FhirRecord record = duringIncompleteCourse();
        adverseEvent(record, "Fever", "2026-11-20");

        assertThat(cardsOf(patientView(record, TODAY), "HSR-ACUTE-REACTION")).isEmpty();
    }

    @Test
    void enteredInErrorOrRefutedAllergyIsIgnored() {
        for (String status : List.of("entered-in-error", "refuted")) {
            FhirRecord record = duringIncompleteCourse();
            ObjectNode allergy = record.alemtuzumabAllergy();
            FhirRecord.addReaction(allergy, null, "2026-11-20", "Anaphylaxis");
            allergy.set("verificationStatus", FhirRecord.concept(
                    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", status, null));

            assertThat(cardsOf(patientView(record, TODAY), "HSR-ACUTE-REACTION")).as(status).isEmpty();
        }
    }
}
