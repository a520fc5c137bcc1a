package org.alemcds.rules;

import static org.alemcds.rules.LabFixtures.TODAY;
import static org.alemcds.rules.LabFixtures.immunization;
import static org.alemcds.rules.LabFixtures.male;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** LAB-VACCINE-6W (catalogue §4.5): vaccinations within 6 weeks before the planned start 2026-12-01. */
class VaccinationWindowTest {

    private static FhirRecord immune() {
        FhirRecord record = male();
        record.observation("19162-7", "positive", "2015-01-01");
        return record;
    }

    private static List<Card> window(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "LAB-VACCINE-6W");
    }

    @Test
    void inactivatedVaccineIsInfo() {
        FhirRecord record = immune();
        immunization(record, "Influenza vaccine, inactivated, quadrivalent", "2026-11-20");

        assertThat(window(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Vaccination on 2026-11-20 is <6 weeks before planned alemtuzumab (earliest 2027-01-01); complete vaccinations ≥6 weeks before.");
            assertThat(card.detail()).contains("2026-11-20: Influenza vaccine, inactivated, quadrivalent (inactivated/non-live)");
        });
    }

    @Test
    void liveVaccineIsAWarning() {
        FhirRecord record = immune();
        immunization(record, "MMR vaccine", "2026-11-01");

        assertThat(window(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("MMR vaccine (live vaccine)");
        });
    }

    @Test
    void yellowFeverAndOralTyphoidAreLive() {
        FhirRecord yellowFever = immune();
        immunization(yellowFever, "Yellow fever vaccine (Stamaril)", "2026-11-01");
        FhirRecord typhoid = immune();
        immunization(typhoid, "Typhoid vaccine live oral Ty21a", "2026-11-01");
        FhirRecord recombinantZoster = immune();
        immunization(recombinantZoster, "Zoster vaccine recombinant, adjuvanted (Shingrix)", "2026-11-01");

        assertThat(window(yellowFever).get(0).indicator()).isEqualTo("warning");
        assertThat(window(typhoid).get(0).indicator()).isEqualTo("warning");
        assertThat(window(recombinantZoster).get(0).indicator()).isEqualTo("info");
    }

    @Test
    void vaccineExactlySixWeeksBeforePasses() {
        FhirRecord record = immune();
        immunization(record, "MMR vaccine", "2026-10-20"); // START - 42 days

        assertThat(window(record)).isEmpty();
    }

    @Test
    void vaccineFortyOneDaysBeforeFires() {
        FhirRecord record = immune();
        immunization(record, "MMR vaccine", "2026-10-21");

        assertThat(window(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("2026-10-21").contains("earliest 2026-12-02"));
    }

    @Test
    void vaccinesAfterThePlannedStartOrNotGivenAreIgnored() {
        FhirRecord record = immune();
        immunization(record, "MMR vaccine", "2026-12-05");
        immunization(record, "Hepatitis B vaccine", "2026-11-10").put("status", "not-done");
        immunization(record, "Tetanus and diphtheria toxoids", "2026-11-12").put("status", "entered-in-error");

        assertThat(window(record)).isEmpty();
    }

    @Test
    void oneCardForSeveralVaccinesWithTheLatestDateAndTheWorstLevel() {
        FhirRecord record = immune();
        immunization(record, "MMR vaccine", "2026-10-25");
        immunization(record, "Influenza vaccine, inactivated", "2026-11-15");

        assertThat(window(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Vaccination on 2026-11-15 ").contains("earliest 2026-12-27");
            assertThat(card.detail()).contains("2026-10-25: MMR vaccine").contains("2026-11-15: Influenza vaccine");
        });
    }

    @Test
    void varicellaVaccineAfterANegativeIgGIsLeftToLabVzv() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-09-01");
        immunization(record, "Varicella vaccine", "2026-11-01");

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "LAB-VACCINE-6W")).isEmpty();
        assertThat(cardsOf(cards, "LAB-VZV")).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("VZV vaccine given 2026-11-01"));
    }

    @Test
    void varicellaVaccineIsReportedHereOnceATitreIsPositive() {
        FhirRecord record = male();
        record.observation("19162-7", "negative", "2026-09-01");
        immunization(record, "Varicella vaccine", "2026-10-25");
        record.observation("19162-7", "positive", "2026-11-24");

        var cards = orderSign(record, TODAY);
        assertThat(cardsOf(cards, "LAB-VZV")).isEmpty();
        assertThat(cardsOf(cards, "LAB-VACCINE-6W")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }
}
