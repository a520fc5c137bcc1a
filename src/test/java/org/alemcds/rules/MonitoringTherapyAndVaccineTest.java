package org.alemcds.rules;

import static org.alemcds.rules.MonitoringFixtures.immunization;
import static org.alemcds.rules.MonitoringFixtures.rule;
import static org.alemcds.rules.MonitoringFixtures.treatedFemale;
import static org.alemcds.rules.MonitoringFixtures.treatedMale;
import static org.alemcds.rules.MonitoringFixtures.vaccineOrderCards;
import static org.alemcds.rules.MonitoringFixtures.vaccineOrderHook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.cards.Card;
import java.util.List;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/**
 * MON-ANTIVIRAL-CD4, MON-PREG and MON-VACCINE (catalogue §4.8). Course 1: 2025-03-03 … 2025-03-07;
 * last infusion + 1 month = 2025-04-07, + 2 months = 2025-05-07, + 4 months = 2025-07-07, + 6 months = 2025-09-07.
 */
class MonitoringTherapyAndVaccineTest {

    private static final ObjectNode ACYCLOVIR = FhirRecord.rxnorm("281", "Acyclovir");

    // ---------------------------------------------------------------- MON-ANTIVIRAL-CD4

    @Test
    void noProphylaxisRecordedIsAWarningWithAnAcyclovirSuggestion() {
        Card card = rule(treatedMale(), "2025-04-01", "MON-ANTIVIRAL-CD4").get(0);

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "Antiherpes prophylaxis not recorded for the course ending 2025-03-07: below minimum; consider starting/restarting.");
        assertThat(card.suggestions()).singleElement().satisfies(s -> {
            assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("MedicationRequest");
            assertThat(s.actions().get(0).resource().at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("281");
        });
    }

    @Test
    void prophylaxisStoppedBeforeOneMonthIsBelowTheMinimum() {
        FhirRecord record = treatedMale();
        record.statement(ACYCLOVIR, "completed", "2025-03-03", "2025-04-06");

        assertThat(rule(record, "2025-04-20", "MON-ANTIVIRAL-CD4")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Antiherpes prophylaxis stopped 2025-04-06, <1 month after last infusion (2025-03-07): below minimum; consider restarting.");
        });
    }

    @Test
    void stoppingExactlyOneMonthAfterMeetsTheEuMinimumOnly() {
        FhirRecord record = treatedMale();
        record.statement(ACYCLOVIR, "completed", "2025-03-03", "2025-04-07");

        assertThat(rule(record, "2025-04-20", "MON-ANTIVIRAL-CD4")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Antiviral prophylaxis stopped 2025-04-07; CD4 not measured/µL: conservative rule is ≥2 months and until CD4 ≥200/µL.");
            assertThat(card.suggestions()).singleElement().satisfies(s ->
                    assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("24467-3"));
        });
    }

    @Test
    void twoMonthsAndCd4Recovery() {
        FhirRecord recovered = treatedMale();
        recovered.statement(ACYCLOVIR, "completed", "2025-03-03", "2025-05-07");
        recovered.observation("24467-3", 250, "/uL", "2025-05-01");
        assertThat(rule(recovered, "2025-05-20", "MON-ANTIVIRAL-CD4")).isEmpty();

        FhirRecord lowCd4 = treatedMale();
        lowCd4.statement(ACYCLOVIR, "completed", "2025-03-03", "2025-05-07");
        lowCd4.observation("24467-3", 0.15, "10*9/L", "2025-05-01");
        assertThat(rule(lowCd4, "2025-05-20", "MON-ANTIVIRAL-CD4")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).contains("CD4 150/µL");
        });
    }

    @Test
    void aCd4CountAfterTheStopDoesNotJustifyTheStop() {
        FhirRecord record = treatedMale();
        record.statement(ACYCLOVIR, "completed", "2025-03-03", "2025-05-07");
        record.observation("24467-3", 300, "cells/uL", "2025-05-15");

        assertThat(rule(record, "2025-05-20", "MON-ANTIVIRAL-CD4"))
                .singleElement().satisfies(card -> assertThat(card.summary()).contains("CD4 300/µL"));
    }

    @Test
    void anOpenEndedOrderIsStillRunning() {
        FhirRecord record = treatedMale();
        record.request(FhirRecord.text("Valacyclovir 500 mg tablet"), "active", "2025-03-02");

        assertThat(rule(record, "2025-04-20", "MON-ANTIVIRAL-CD4")).isEmpty();
    }

    @Test
    void theRuleRunsForSixMonthsAfterTheLastInfusion() {
        assertThat(rule(treatedMale(), "2025-09-07", "MON-ANTIVIRAL-CD4")).hasSize(1);
        assertThat(rule(treatedMale(), "2025-09-08", "MON-ANTIVIRAL-CD4")).isEmpty();
    }

    @Test
    void prophylaxisOfAnEarlierCourseDoesNotCoverTheLatest() {
        FhirRecord record = treatedMale();
        record.statement(ACYCLOVIR, "completed", "2025-03-03", "2025-05-07");
        MonitoringFixtures.course(record, "2026-03-10", 3);

        assertThat(rule(record, "2026-04-01", "MON-ANTIVIRAL-CD4")).singleElement().satisfies(card ->
                assertThat(card.summary()).contains("not recorded for the course ending 2026-03-12"));
    }

    // ---------------------------------------------------------------- MON-PREG

    @Test
    void pregnancyWithin4MonthsOfTheLastInfusionIsCritical() {
        FhirRecord record = treatedFemale();
        record.observation("2106-3", "positive", "2025-05-01");

        assertThat(rule(record, "2025-05-10", "MON-PREG")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Pregnancy within 4 months of last alemtuzumab infusion (2025-03-07): inform obstetrics; monthly TSH; neonatal thyroid risk.");
            assertThat(card.suggestions()).hasSize(2);
        });
    }

    @Test
    void theFourMonthLimitIsInclusive() {
        FhirRecord early = treatedFemale();
        early.observation("2106-3", "positive", "2025-07-06");
        assertThat(rule(early, "2025-07-20", "MON-PREG"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));

        FhirRecord later = treatedFemale();
        later.observation("2106-3", "positive", "2025-07-07");
        assertThat(rule(later, "2025-07-20", "MON-PREG")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Pregnancy during alemtuzumab monitoring: TSH monthly; risk of transplacental thyroid antibodies (neonatal Graves).");
        });
    }

    @Test
    void theFirstPositiveTestOfThePregnancyDatesIt() {
        FhirRecord record = treatedFemale();
        record.observation("2106-3", "positive", "2025-06-20");
        record.observation("2118-8", "positive", "2025-08-01");

        assertThat(rule(record, "2025-08-10", "MON-PREG"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void aLaterNegativeTestEndsThePregnancy() {
        FhirRecord record = treatedFemale();
        record.observation("2106-3", "positive", "2025-05-01");
        record.observation("2106-3", "negative", "2025-05-20");

        assertThat(rule(record, "2025-06-10", "MON-PREG")).isEmpty();
    }

    @Test
    void aPregnancyDiagnosisUsesItsOnset() {
        FhirRecord record = treatedFemale();
        record.condition("77386006", "Pregnancy", "2025-06-15");

        assertThat(rule(record, "2025-08-10", "MON-PREG"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void aQuantitativeHcgIsReadByValue() {
        FhirRecord positive = treatedFemale();
        positive.observation("21198-7", 1200, "m[IU]/mL", "2025-09-01");
        assertThat(rule(positive, "2025-09-10", "MON-PREG"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));

        FhirRecord negative = treatedFemale();
        negative.observation("21198-7", 2, "m[IU]/mL", "2025-09-01");
        assertThat(rule(negative, "2025-09-10", "MON-PREG")).isEmpty();
    }

    @Test
    void aPositiveTestOlderThan280DaysIsNotACurrentPregnancy() {
        FhirRecord record = treatedFemale();
        record.observation("2106-3", "positive", "2025-05-01");

        assertThat(rule(record, "2026-02-05", "MON-PREG")).hasSize(1); // 280 days
        assertThat(rule(record, "2026-02-06", "MON-PREG")).isEmpty();
    }

    // ---------------------------------------------------------------- MON-VACCINE (patient-view)

    @Test
    void aLiveVaccineAfterAlemtuzumabIsAWarning() {
        FhirRecord record = treatedFemale();
        immunization(record, "03", "MMR", "2025-09-01");

        assertThat(rule(record, "2025-10-01", "MON-VACCINE")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Live vaccine given 2025-09-01 after alemtuzumab: not recommended (infection risk); watch for vaccine-strain infection.");
            assertThat(card.detail()).contains("MMR").contains("check titres");
        });
    }

    @Test
    void liveVaccinesAreRecognisedByNameWhenUncoded() {
        FhirRecord record = treatedFemale();
        ObjectNode i = immunization(record, "x", "x", "2025-09-01");
        i.set("vaccineCode", FhirRecord.text("Yellow fever vaccine (Stamaril)"));

        assertThat(rule(record, "2025-10-01", "MON-VACCINE")).hasSize(1);
    }

    @Test
    void nonLiveVaccinesAndImmuneGlobulinsAreNotLive() {
        FhirRecord record = treatedFemale();
        ObjectNode shingrix = immunization(record, "x", "x", "2025-09-01");
        shingrix.set("vaccineCode", FhirRecord.text("Shingrix (zoster vaccine recombinant, adjuvanted)"));
        immunization(record, "36", "varicella zoster immune globulin", "2025-09-02");
        immunization(record, "206", "smallpox and monkeypox vaccine, live, non-replicating", "2025-09-03");

        assertThat(rule(record, "2025-10-01", "MON-VACCINE")).isEmpty();
    }

    @Test
    void aLiveVaccineBeforeTheFirstInfusionOrEnteredInErrorIsNotAMonitoringFinding() {
        FhirRecord record = treatedFemale();
        immunization(record, "21", "varicella", "2025-01-10");
        immunization(record, "03", "MMR", "2025-09-01").put("status", "entered-in-error");

        assertThat(rule(record, "2025-10-01", "MON-VACCINE")).isEmpty();
    }

    @Test
    void influenzaVaccineWithin6MonthsIsAnInfo() {
        FhirRecord early = treatedFemale();
        immunization(early, "158", "influenza, injectable, quadrivalent", "2025-09-06");
        assertThat(rule(early, "2025-10-01", "MON-VACCINE")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Influenza vaccine <6 months after last alemtuzumab infusion (2025-03-07): better after 6 months; if given, check titre or repeat.");
        });

        FhirRecord onTime = treatedFemale();
        immunization(onTime, "158", "influenza, injectable, quadrivalent", "2025-09-07");
        assertThat(rule(onTime, "2025-10-01", "MON-VACCINE")).isEmpty();
    }

    @Test
    void aLaterInfluenzaVaccinationReplacesAnEarlyOne() {
        FhirRecord record = treatedFemale();
        immunization(record, "158", "influenza, injectable, quadrivalent", "2025-06-01");
        immunization(record, "158", "influenza, injectable, quadrivalent", "2025-10-15");

        assertThat(rule(record, "2025-11-01", "MON-VACCINE")).isEmpty();
    }

    @Test
    void hibIsNotAnInfluenzaVaccine() {
        FhirRecord record = treatedFemale();
        ObjectNode hib = immunization(record, "x", "x", "2025-06-01");
        hib.set("vaccineCode", FhirRecord.text("Haemophilus influenzae type b conjugate vaccine"));

        assertThat(rule(record, "2025-07-01", "MON-VACCINE")).isEmpty();
    }

    // ---------------------------------------------------------------- MON-VACCINE (order hooks: CQL definitions)

    private static ObjectNode draftVaccineOrder(FhirRecord record, ObjectNode vaccine) {
        return record.draft(record.request(vaccine, "draft", "2025-06-01"));
    }

    @Test
    void aDraftLiveVaccineOrderIsAWarning() {
        FhirRecord record = treatedFemale();
        draftVaccineOrder(record, FhirRecord.concept("http://hl7.org/fhir/sid/cvx", "21", "varicella"));

        assertThat(vaccineOrderHook(record, "2025-06-01").get("Is Vaccine Order Applicable")).isEqualTo(true);
        assertThat(vaccineOrderCards(record, "2025-06-01")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Live vaccine ordered after alemtuzumab: not recommended (infection risk).");
            assertThat(card.detail()).contains("Ordered live vaccine: varicella");
            assertThat(card.source().topic().code()).isEqualTo("MON-VACCINE");
        });
    }

    @Test
    void theOrderServicesAnswerALiveVaccineOrderWithMonVaccineOnly() {
        FhirRecord record = treatedFemale();
        draftVaccineOrder(record, FhirRecord.concept("http://hl7.org/fhir/sid/cvx", "21", "varicella"));

        for (var cards : List.of(RuleHarness.orderSign(record, "2025-06-01"), RuleHarness.orderSelect(record, "2025-06-01"))) {
            assertThat(cards).as(RuleHarness.describe(cards)).singleElement().satisfies(card -> {
                assertThat(card.source().topic().code()).isEqualTo("MON-VACCINE");
                assertThat(card.indicator()).isEqualTo("warning");
            });
        }
    }

    @Test
    void aVaccineOrderForAPatientNeverGivenAlemtuzumabHasNoCards() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        draftVaccineOrder(record, FhirRecord.concept("http://hl7.org/fhir/sid/cvx", "21", "varicella"));

        assertThat(RuleHarness.orderSign(record, "2025-06-01")).isEmpty();
    }

    @Test
    void aDraftInfluenzaOrderWithin6MonthsIsAnInfo() {
        FhirRecord record = treatedFemale();
        draftVaccineOrder(record, FhirRecord.concept("http://hl7.org/fhir/sid/cvx", "158", "influenza, injectable, quadrivalent"));

        assertThat(vaccineOrderCards(record, "2025-09-06"))
                .singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
        assertThat(vaccineOrderCards(record, "2025-09-07")).isEmpty();
    }

    @Test
    void aDraftImmunizationRecommendationForALiveVaccineIsAWarning() {
        FhirRecord record = treatedFemale();
        ObjectNode recommendation = MonitoringFixtures.MAPPER.createObjectNode();
        recommendation.put("resourceType", "ImmunizationRecommendation").put("id", "imm-rec-1").put("date", "2025-06-01");
        recommendation.putObject("patient").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        ObjectNode entry = recommendation.putArray("recommendation").addObject();
        entry.putArray("vaccineCode").add(FhirRecord.concept("http://hl7.org/fhir/sid/cvx", "37", "yellow fever"));
        entry.set("forecastStatus", FhirRecord.text("due"));
        record.draft(recommendation);

        assertThat(vaccineOrderCards(record, "2025-06-01")).singleElement().satisfies(card ->
                assertThat(card.detail()).contains("Ordered live vaccine: yellow fever"));
    }

    @Test
    void aNonVaccineDraftOrderIsNotAVaccineOrder() {
        FhirRecord record = treatedFemale();
        draftVaccineOrder(record, FhirRecord.rxnorm("1191", "Aspirin"));

        assertThat(vaccineOrderHook(record, "2025-06-01").get("Is Vaccine Order Being Decided")).isEqualTo(false);
        assertThat(vaccineOrderCards(record, "2025-06-01")).isEmpty();
    }

    @Test
    void anInactivatedVaccineOrderIsAVaccineOrderWithoutCards() {
        FhirRecord record = treatedFemale();
        draftVaccineOrder(record, FhirRecord.text("Hepatitis B vaccine (recombinant)"));

        assertThat(vaccineOrderHook(record, "2025-06-01").get("Is Vaccine Order Being Decided")).isEqualTo(true);
        assertThat(vaccineOrderCards(record, "2025-06-01")).isEmpty();
    }

    @Test
    void withoutAlemtuzumabAVaccineOrderGetsNoCard() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        draftVaccineOrder(record, FhirRecord.concept("http://hl7.org/fhir/sid/cvx", "03", "MMR"));

        var result = vaccineOrderHook(record, "2025-06-01");
        assertThat(result.get("Is Vaccine Order Being Decided")).isEqualTo(true);
        assertThat(result.get("Is Vaccine Order Applicable")).isEqualTo(false);
        assertThat(vaccineOrderCards(record, "2025-06-01")).isEmpty();
    }
}
