package org.alemcds.rules;

import static org.alemcds.rules.LabFixtures.TODAY;
import static org.alemcds.rules.LabFixtures.condition;
import static org.alemcds.rules.LabFixtures.immunization;
import static org.alemcds.rules.LabFixtures.male;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** LAB-VZV (catalogue §4.5): every branch, with the planned start 2026-12-01. */
class VzvImmunityTest {

    private static List<Card> vzv(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "LAB-VZV");
    }

    private static Card single(FhirRecord record) {
        List<Card> cards = vzv(record);
        assertThat(cards).hasSize(1);
        return cards.get(0);
    }

    @Test
    void positiveIgGAtAnyTimePasses() {
        FhirRecord record = male();
        record.observation("19162-7", "positive", "2009-02-01");

        assertThat(vzv(record)).isEmpty();
    }

    @Test
    void anEarlierPositiveStillPassesAfterALaterNegative() {
        FhirRecord record = male();
        record.observation("19162-7", "positive", "2015-02-01");
        record.observation("5403-1", "negative", "2026-10-01");

        assertThat(vzv(record)).isEmpty();
    }

    @Test
    void nothingOnRecordIsAWarningToOrderTheIgG() {
        Card card = single(male());

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo("VZV immune status unknown: order VZV IgG before alemtuzumab.");
        assertThat(card.suggestions()).singleElement().satisfies(s ->
                assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("19162-7"));
    }

    @Test
    void historyOfChickenpoxWithoutIgGIsInfo() {
        FhirRecord record = male();
        condition(record, "Varicella (chickenpox)", "1992-03-01");
        FhirRecord.clinicalStatus(record.condition("4740000", "Herpes zoster", "2019-03-01"), "resolved");

        Card card = single(record);
        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo(
                "Varicella history/vaccination but no VZV IgG on record: VZV IgG is recommended in all patients before alemtuzumab.");
        assertThat(card.detail()).contains("Varicella (chickenpox)").contains("Herpes zoster");
    }

    @Test
    void vaccinationWithoutIgGIsInfo() {
        FhirRecord record = male();
        immunization(record, "Varicella virus vaccine live (Varivax)", "2001-05-01");

        assertThat(single(record).indicator()).isEqualTo("info");
    }

    @Test
    void negativeIgGWithoutVaccinationIsAWarningToVaccinate() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-09-01");

        Card card = single(record);
        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "VZV IgG negative: vaccinate against VZV and postpone alemtuzumab until ≥6 weeks after vaccination.");
        assertThat(card.detail()).contains("2026-09-01: negative");
        assertThat(card.suggestions()).hasSize(2);
        assertThat(card.suggestions().get(0).actions().get(0).resource().get("resourceType").asText()).isEqualTo("MedicationRequest");
        assertThat(card.suggestions().get(0).actions().get(0).resource().at("/medicationCodeableConcept/text").asText())
                .isEqualTo("Varicella vaccine (live)");
        assertThat(card.suggestions().get(1).label()).isEqualTo("Order VZV IgG 4–6 weeks after vaccination");
        assertThat(card.suggestions().get(1).actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("19162-7");
    }

    @Test
    void equivocalIgGCountsAsNotImmune() {
        FhirRecord record = male();
        record.observation("19162-7", "equivocal", "2026-09-01");

        assertThat(single(record).summary()).startsWith("VZV IgG negative: vaccinate");
    }

    @Test
    void preliminaryPositiveIsIgnored() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-09-01");
        record.observation("19162-7", "positive", "2026-11-01").put("status", "preliminary");

        assertThat(single(record).summary()).startsWith("VZV IgG negative: vaccinate");
    }

    @Test
    void vaccineBeforeTheNegativeResultDoesNotCountAsVaccinatedAfterIt() {
        FhirRecord record = male();
        immunization(record, "Varicella vaccine", "2026-06-01");
        record.observation("19162-7", "negative", "2026-09-01");

        assertThat(single(record).summary()).startsWith("VZV IgG negative: vaccinate");
    }

    @Test
    void notDoneOrEnteredInErrorVaccinationsAreIgnored() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-09-01");
        immunization(record, "Varicella vaccine", "2026-09-10").put("status", "not-done");
        immunization(record, "Varicella vaccine", "2026-09-12").put("status", "entered-in-error");

        assertThat(single(record).summary()).startsWith("VZV IgG negative: vaccinate");
    }

    @Test
    void startLessThanSixWeeksAfterTheVaccineIsAWarningWithTheEarliestDate() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-09-01");
        immunization(record, "Varicella vaccine", "2026-10-21"); // START - 41 days

        Card card = single(record);
        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo("VZV vaccine given 2026-10-21: start alemtuzumab no earlier than 2026-12-02 (6 weeks).");
        assertThat(card.detail()).contains("- 2026-09-01: negative")
                .contains("VZV vaccinations: 2026-10-21 Varicella vaccine")
                .contains("Varicella/zoster history: none on record")
                .contains("2026-11-18 to 2026-12-02");
    }

    @Test
    void exactlySixWeeksAfterTheVaccineWithoutATitreIsInfoToCheckIt() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-09-01");
        immunization(record, "Varicella vaccine", "2026-10-20"); // START - 42 days

        Card card = single(record);
        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo(
                "VZV vaccine given 2026-10-20: check VZV IgG 4–6 weeks after vaccination (2026-11-17 to 2026-12-01).");
        assertThat(card.suggestions()).singleElement()
                .satisfies(s -> assertThat(s.label()).isEqualTo("Order VZV IgG 4–6 weeks after vaccination"));
    }

    @Test
    void titreTwentySevenDaysAfterTheVaccineIsTooEarlyToJudge() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-08-01");
        immunization(record, "Varicella vaccine", "2026-10-01");
        record.observation("19162-7", "negative", "2026-10-28");

        assertThat(single(record).indicator()).isEqualTo("info");
    }

    @Test
    void negativeTitreTwentyEightDaysAfterTheVaccineIsAWarning() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-08-01");
        immunization(record, "Varicella vaccine", "2026-10-01");
        record.observation("19162-7", "negative", "2026-10-29");

        Card card = single(record);
        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "VZV IgG still negative after vaccination (2026-10-01): relative contraindication; specialist decision before alemtuzumab.");
        assertThat(card.detail()).contains("Titre on 2026-10-29 (28 days after the vaccine)");
    }

    @Test
    void positiveTitreAfterTheVaccinePasses() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-08-01");
        immunization(record, "Varicella vaccine", "2026-09-01");
        record.observation("19162-7", "positive", "2026-10-05");

        assertThat(vzv(record)).isEmpty();
    }
}
