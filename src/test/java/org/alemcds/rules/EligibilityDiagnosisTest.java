package org.alemcds.rules;

import static org.alemcds.rules.EligibilityFixtures.TODAY;
import static org.alemcds.rules.EligibilityFixtures.bare;
import static org.alemcds.rules.EligibilityFixtures.previousCourse;
import static org.alemcds.rules.EligibilityFixtures.relapse;
import static org.alemcds.rules.EligibilityFixtures.rrms;
import static org.alemcds.rules.EligibilityFixtures.rrmsPatient;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** ELIG-DX-RRMS and ELIG-NMO (catalogue §4.1). */
class EligibilityDiagnosisTest {

    private static Card onlyCard(FhirRecord record, String ruleId) {
        var cards = cardsOf(orderSign(record, TODAY), ruleId);
        assertThat(cards).hasSize(1);
        return cards.get(0);
    }

    // ---- ELIG-DX-RRMS ----

    @Test
    void confirmedRrmsIsSilent() {
        assertThat(cardsOf(orderSign(rrmsPatient(), TODAY), "ELIG-DX-RRMS")).isEmpty();
    }

    @Test
    void rrmsInRemissionStillConfirmsTheDiagnosis() {
        FhirRecord record = bare("1990-04-02");
        FhirRecord.clinicalStatus(rrms(record, "2021-05-10"), "remission");

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-DX-RRMS")).isEmpty();
    }

    @Test
    void locallyCodedRrmsTextIsRecognised() {
        FhirRecord record = bare("1990-04-02");
        record.condition("x", "x", "2021-05-10").set("code", FhirRecord.text("Relapsing-remitting MS"));

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-DX-RRMS")).isEmpty();
    }

    @Test
    void onlyMultipleSclerosisCodedIsInfo() {
        FhirRecord record = bare("1990-04-02");
        record.condition("24700007", "Multiple sclerosis", "2021-05-10");

        Card card = onlyCard(record, "ELIG-DX-RRMS");
        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo(
                "Only 'multiple sclerosis' is coded; confirm a relapsing-remitting course before alemtuzumab.");
        assertThat(card.detail()).contains("Multiple sclerosis (onset 2021-05-10)").contains("excludes CIS");
        assertThat(card.suggestions()).singleElement().satisfies(s ->
                assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("Task"));
    }

    @Test
    void secondaryProgressiveMsByTextIsInfo() {
        FhirRecord record = bare("1990-04-02");
        record.condition("x", "x", "2012-01-01").set("code", FhirRecord.text("Secondary progressive multiple sclerosis"));

        assertThat(onlyCard(record, "ELIG-DX-RRMS").indicator()).isEqualTo("info");
    }

    @Test
    void noMsDiagnosisIsWarning() {
        FhirRecord record = bare("1990-04-02");
        relapse(record, "2026-05-01"); // a relapse entry is not the diagnosis

        Card card = onlyCard(record, "ELIG-DX-RRMS");
        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "No MS diagnosis on problem list; alemtuzumab is indicated only for relapsing MS.");
        assertThat(card.overrideReasons()).hasSize(3);
        assertThat(card.suggestions()).hasSize(1);
    }

    @Test
    void refutedOrEnteredInErrorRrmsCountsAsNoDiagnosis() {
        FhirRecord record = bare("1990-04-02");
        FhirRecord.verificationStatus(rrms(record, "2021-05-10"), "refuted");
        FhirRecord.verificationStatus(record.condition("24700007", "Multiple sclerosis", "2021-05-10"), "entered-in-error");

        assertThat(onlyCard(record, "ELIG-DX-RRMS").indicator()).isEqualTo("warning");
    }

    @Test
    void provisionalRrmsIsInfoAskingForConfirmation() {
        FhirRecord record = bare("1990-04-02");
        FhirRecord.verificationStatus(rrms(record, "2026-09-01"), "provisional");

        Card card = onlyCard(record, "ELIG-DX-RRMS");
        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).startsWith("RRMS is recorded only as an unconfirmed diagnosis");
        assertThat(card.detail()).contains("[unconfirmed diagnosis]");
    }

    @Test
    void laterCoursesAreNotRechecked() {
        FhirRecord record = bare("1990-04-02");
        previousCourse(record);

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-DX-RRMS")).isEmpty();
    }

    @Test
    void orderSelectShowsTheSameCard() {
        assertThat(cardsOf(orderSelect(bare("1990-04-02"), TODAY), "ELIG-DX-RRMS"))
                .singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    // ---- ELIG-NMO ----

    @Test
    void nmoDiagnosisIsWarningWithSerologyAndReview() {
        FhirRecord record = rrmsPatient();
        record.condition("25044007", "Neuromyelitis optica", "2019-02-01");

        Card card = onlyCard(record, "ELIG-NMO");
        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "NMO/NMOSD on record: alemtuzumab is not recommended in NMO (worsening reported). Re-check the diagnosis.");
        assertThat(card.detail()).contains("Neuromyelitis optica (onset 2019-02-01)").contains("worsening");
        assertThat(card.suggestions()).extracting(s -> s.actions().get(0).resource().get("resourceType").asText())
                .containsExactly("ServiceRequest", "Task");
    }

    @Test
    void resolvedNmosdByTextStillCounts() {
        FhirRecord record = rrmsPatient();
        var nmo = record.condition("x", "x", "2018-01-01");
        nmo.set("code", FhirRecord.text("NMOSD (AQP4-IgG positive)"));
        FhirRecord.clinicalStatus(nmo, "resolved");

        assertThat(onlyCard(record, "ELIG-NMO").indicator()).isEqualTo("warning");
    }

    @Test
    void nmoIsCheckedOnEveryCourse() {
        FhirRecord record = rrmsPatient();
        previousCourse(record);
        record.condition("25044007", "Neuromyelitis optica", "2019-02-01");

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-NMO")).hasSize(1);
    }

    @Test
    void unconfirmedNmoIsDowngradedToInfo() {
        FhirRecord record = rrmsPatient();
        FhirRecord.verificationStatus(record.condition("25044007", "Neuromyelitis optica", "2026-10-01"), "differential");

        Card card = onlyCard(record, "ELIG-NMO");
        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.detail()).contains("[unconfirmed diagnosis]");
    }

    @Test
    void refutedNmoAndNoNmoAreSilent() {
        FhirRecord record = rrmsPatient();
        FhirRecord.verificationStatus(record.condition("25044007", "Neuromyelitis optica", "2019-02-01"), "refuted");

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-NMO")).isEmpty();
        assertThat(cardsOf(orderSign(rrmsPatient(), TODAY), "ELIG-NMO")).isEmpty();
    }

    @Test
    void nmoOnsetAfterTheCourseStartIsNotHistory() {
        FhirRecord record = rrmsPatient();
        record.condition("25044007", "Neuromyelitis optica", "2026-12-05"); // after START

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-NMO")).isEmpty();
    }
}
