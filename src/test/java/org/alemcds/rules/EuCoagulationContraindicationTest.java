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

/** CI-EU-COAG (catalogue §4.2). */
class EuCoagulationContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";
    private static final String RULE = "CI-EU-COAG";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.male("1983-09-09");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    private static List<Card> cards(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), RULE);
    }

    private static ObjectNode withRange(ObjectNode observation, double high) {
        observation.putArray("referenceRange").addObject().putObject("high").put("value", high);
        return observation;
    }

    @Test
    void haemophiliaIsCritical() {
        FhirRecord record = patient();
        record.condition("90935002", "Haemophilia", "1990-01-01");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Coagulopathy on record: EU contraindication to alemtuzumab.");
            assertThat(card.detail()).contains("Haemophilia");
            assertThat(card.suggestions()).isEmpty();
        });
    }

    @Test
    void localVonWillebrandDiseaseIsRecognised() {
        FhirRecord record = patient();
        record.condition("0", "x", "2001-01-01").set("code", FhirRecord.text("von Willebrand disease type 1"));

        assertThat(cards(record)).hasSize(1);
    }

    @Test
    void ongoingWarfarinIsCriticalWithAReviewTaskAndAnExplainedInrIsNotReportedSeparately() {
        FhirRecord record = patient();
        record.request(FhirRecord.rxnorm("855332", "warfarin sodium 5 MG Oral Tablet"), "active", "2026-03-01");
        record.observation("6301-6", 2.6, null, "2026-11-18");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Ongoing antiplatelet/anticoagulant therapy on record: EU contraindication to alemtuzumab.");
            assertThat(card.detail()).contains("Ongoing antiplatelet/anticoagulant therapy").contains("INR 2.6");
            assertThat(card.suggestions()).singleElement().satisfies(s -> {
                assertThat(s.label()).isEqualTo("Review need for antithrombotic therapy with prescriber");
                assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("Task");
            });
        });
    }

    @Test
    void activeAspirinStatementAndSubcutaneousEnoxaparinCount() {
        FhirRecord aspirin = patient();
        aspirin.statement(FhirRecord.text("Aspirin 100 mg tablet"), "active", "2024-01-01", null);
        assertThat(cards(aspirin)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));

        FhirRecord enoxaparin = patient();
        ObjectNode r = enoxaparin.request(FhirRecord.rxnorm("854235", "0.4 ML enoxaparin sodium 100 MG/ML Prefilled Syringe"), "active", "2026-11-01");
        r.putArray("dosageInstruction").addObject().set("route", FhirRecord.concept(FhirRecord.SNOMED, "34206005", "Subcutaneous route"));
        assertThat(cards(enoxaparin)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void flushesTopicalFormsStoppedAndEndedTherapyDoNotCount() {
        FhirRecord record = patient();
        record.request(FhirRecord.text("Heparin lock flush 10 units/mL"), "active", "2026-11-19");
        record.request(FhirRecord.text("heparin sodium 1000 units topical gel"), "active", "2026-11-19");
        record.statement(FhirRecord.rxnorm("309362", "clopidogrel 75 MG Oral Tablet"), "stopped", "2023-01-01", "2024-05-01");
        ObjectNode ended = record.request(FhirRecord.rxnorm("1114198", "rivaroxaban 10 MG Oral Tablet"), "active", "2026-10-01");
        ended.putArray("dosageInstruction").addObject().putObject("timing").putObject("repeat")
                .putObject("boundsPeriod").put("start", "2026-10-01").put("end", "2026-11-05");

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void activeOrderOlderThanADocumentedStopIsAReconcileWarning() {
        FhirRecord record = patient();
        record.request(FhirRecord.rxnorm("1364445", "apixaban 5 MG Oral Tablet"), "active", "2026-01-10");
        record.statement(FhirRecord.rxnorm("1364445", "apixaban 5 MG Oral Tablet"), "stopped", "2026-01-10", "2026-07-01");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith(
                    "Antiplatelet/anticoagulant order still active after a documented stop");
            assertThat(card.detail()).contains("apixaban 5 MG Oral Tablet");
        });
    }

    @Test
    void raisedInrWithoutCauseIsAWarning() {
        FhirRecord record = patient();
        record.observation("6301-6", 1.8, null, "2026-11-18");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "INR 1.8 above range without known cause: exclude a coagulopathy before alemtuzumab (EU contraindication).");
            assertThat(card.detail()).contains("upper limit 1.5, service default").contains("acquired haemophilia A");
        });
    }

    @Test
    void inrOf1Point5WithoutRangeIsNotRaised() {
        FhirRecord record = patient();
        record.observation("6301-6", 1.5, null, "2026-11-18");

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void laboratoryRangeTakesPrecedenceOverTheDefault() {
        FhirRecord record = patient();
        withRange(record.observation("6301-6", 1.3, null, "2026-11-18"), 1.2);

        assertThat(cards(record)).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("upper limit 1.2, laboratory range"));
    }

    @Test
    void inrOlderThan30DaysIsNotUsed() {
        FhirRecord record = patient();
        record.observation("6301-6", 1.9, null, "2026-10-31");

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void raisedApttIsAWarningAndApttWithoutRangeIsNotJudged() {
        FhirRecord raised = patient();
        withRange(raised.observation("14979-9", 45, "s", "2026-11-18"), 38);
        assertThat(cards(raised)).singleElement().satisfies(card -> assertThat(card.summary())
                .isEqualTo("aPTT 45.0 s above range without known cause: exclude a coagulopathy before alemtuzumab (EU contraindication)."));

        FhirRecord noRange = patient();
        noRange.observation("3173-2", 45, "s", "2026-11-18");
        assertThat(cards(noRange)).isEmpty();
    }

    @Test
    void unconfirmedCoagulopathyIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("64779008", "Blood coagulation disorder", "2020-01-01"), "provisional");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }

    @Test
    void usProfileShowsTherapyAsAWarningAndKeepsTheLaboratoryWarning() {
        FhirRecord therapy = patient();
        therapy.request(FhirRecord.rxnorm("309362", "clopidogrel 75 MG Oral Tablet"), "active", "2025-01-01");
        assertThat(cardsOf(call("order-sign", therapy, TODAY, "US"), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("US deployment profile");
        });

        FhirRecord lab = patient();
        lab.observation("6301-6", 1.8, null, "2026-11-18");
        assertThat(cardsOf(call("order-sign", lab, TODAY, "US"), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }
}
