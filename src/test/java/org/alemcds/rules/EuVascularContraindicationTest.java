package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** CI-EU-DISSECTION, CI-EU-STROKE and CI-EU-ANGINA-MI (catalogue §4.2), incl. the deployment profiles. */
class EuVascularContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1979-07-30");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    private static List<Card> cards(FhirRecord record, String rule) {
        return cardsOf(orderSign(record, TODAY), rule);
    }

    private static List<Card> cards(FhirRecord record, String rule, String profile) {
        return cardsOf(call("order-sign", record, TODAY, profile), rule);
    }

    private static ObjectNode textCondition(FhirRecord record, String text, String onset) {
        ObjectNode c = record.condition("0", text, onset);
        c.set("code", FhirRecord.text(text));
        return c;
    }

    // --- CI-EU-DISSECTION ------------------------------------------------------------------------------

    @Test
    void resolvedArterialDissectionIsCritical() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("710864009", "Dissection of artery", "2019-05-01"), "resolved");

        assertThat(cards(record, "CI-EU-DISSECTION")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "History of arterial dissection (2019-05-01): EU contraindication; dissection/stroke reported within 1–3 days of infusion.");
            assertThat(card.detail()).contains("Dissection of artery (onset 2019-05-01)");
        });
    }

    @Test
    void icd10AndLocalCervicalDissectionsAreRecognised() {
        FhirRecord icd = patient();
        icd.condition("0", "x", "2021-02-02").set("code", FhirRecord.concept(
                "http://hl7.org/fhir/sid/icd-10-cm", "I67.0", "Dissection of cerebral arteries, nonruptured"));
        assertThat(cards(icd, "CI-EU-DISSECTION")).hasSize(1);

        FhirRecord local = patient();
        textCondition(local, "Left vertebral artery dissection", "2022-08-08");
        assertThat(cards(local, "CI-EU-DISSECTION")).hasSize(1);
    }

    @Test
    void theProcedureCodeForDissectionIsNotUsed() {
        FhirRecord record = patient();
        record.condition("122459003", "Dissection", "2020-01-01");

        assertThat(cards(record, "CI-EU-DISSECTION")).isEmpty();
    }

    @Test
    void connectiveTissueDisorderAloneIsAWarning() {
        FhirRecord record = patient();
        textCondition(record, "Ehlers-Danlos syndrome, vascular type", "1995-01-01");

        assertThat(cards(record, "CI-EU-DISSECTION")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Heritable connective-tissue disorder on record");
            assertThat(card.detail()).contains("Ehlers-Danlos syndrome, vascular type");
        });
    }

    @Test
    void usProfileShowsDissectionAsAWarningAndAnUnconfirmedOneAsInfo() {
        FhirRecord record = patient();
        record.condition("710864009", "Dissection of artery", "2019-05-01");
        assertThat(cards(record, "CI-EU-DISSECTION", "US")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("US deployment profile");
        });

        FhirRecord unconfirmed = patient();
        FhirRecord.verificationStatus(unconfirmed.condition("710864009", "Dissection of artery", "2019-05-01"), "differential");
        assertThat(cards(unconfirmed, "CI-EU-DISSECTION", "US")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
        assertThat(cards(unconfirmed, "CI-EU-DISSECTION", "UNION")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    // --- CI-EU-STROKE ----------------------------------------------------------------------------------

    @Test
    void historyOfStrokeIsCritical() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("230690007", "Cerebrovascular accident", "2021-03-14"), "inactive");

        assertThat(cards(record, "CI-EU-STROKE")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "History of stroke (2021-03-14): EU contraindication to alemtuzumab (US boxed warning for stroke).");
        });
    }

    @Test
    void localIschaemicStrokeIsRecognisedAndConfirmedEntriesComeFirst() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(textCondition(record, "Ischemic stroke", "2024-01-01"), "provisional");
        textCondition(record, "Cerebral infarction", "2020-06-06");

        assertThat(cards(record, "CI-EU-STROKE")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("History of stroke (2020-06-06)");
        });
    }

    @Test
    void heatStrokeFamilyHistoryAndEnteredInErrorAreNotStrokes() {
        FhirRecord record = patient();
        textCondition(record, "Heat stroke", "2018-07-01");
        textCondition(record, "Family history of stroke", null);
        FhirRecord.verificationStatus(record.condition("230690007", "Cerebrovascular accident", "2021-03-14"), "entered-in-error");
        textCondition(record, "Transient ischemic attack", "2022-01-01");

        assertThat(cards(record, "CI-EU-STROKE")).isEmpty();
    }

    @Test
    void unconfirmedStrokeIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("230690007", "Cerebrovascular accident", "2021-03-14"), "unconfirmed");

        assertThat(cards(record, "CI-EU-STROKE")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }

    @Test
    void strokeUnderEachProfile() {
        FhirRecord record = patient();
        record.condition("230690007", "Cerebrovascular accident", "2021-03-14");

        assertThat(cards(record, "CI-EU-STROKE", "US")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
        assertThat(cards(record, "CI-EU-STROKE", "EU")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void strokeAfterTheCourseStartIsNotHistory() {
        FhirRecord record = patient();
        record.condition("230690007", "Cerebrovascular accident", "2026-12-03");

        assertThat(cards(record, "CI-EU-STROKE")).isEmpty();
    }

    // --- CI-EU-ANGINA-MI -------------------------------------------------------------------------------

    @Test
    void anginaIsCritical() {
        FhirRecord record = patient();
        record.condition("194828000", "Angina", "2020-03-01");

        assertThat(cards(record, "CI-EU-ANGINA-MI")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "History of angina/MI (Angina, 2020-03-01): EU contraindication; MI/myocardial ischaemia reported 1–3 days post-infusion.");
        });
    }

    @Test
    void resolvedMyocardialInfarctionAndLocalNstemiCount() {
        FhirRecord coded = patient();
        FhirRecord.clinicalStatus(coded.condition("22298006", "Myocardial infarction", "2017-11-11"), "resolved");
        assertThat(cards(coded, "CI-EU-ANGINA-MI")).hasSize(1);

        FhirRecord local = patient();
        textCondition(local, "NSTEMI", "2023-04-04");
        assertThat(cards(local, "CI-EU-ANGINA-MI")).hasSize(1);
    }

    @Test
    void ludwigsAnginaAndLupusAreNotAnginaPectoris() {
        FhirRecord record = patient();
        textCondition(record, "Ludwig's angina", "2015-01-01");
        textCondition(record, "Systemic lupus erythematosus", "2015-01-01");

        assertThat(cards(record, "CI-EU-ANGINA-MI")).isEmpty();
    }

    @Test
    void anginaUnderTheUsProfileIsAWarning() {
        FhirRecord record = patient();
        record.condition("194828000", "Angina", "2020-03-01");

        assertThat(cards(record, "CI-EU-ANGINA-MI", "US")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("US deployment profile");
        });
    }
}
