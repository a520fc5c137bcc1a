package org.alemcds.rules;

import static org.alemcds.rules.LabFixtures.TODAY;
import static org.alemcds.rules.LabFixtures.male;
import static org.alemcds.rules.LabFixtures.report;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** LAB-IGRA (catalogue §4.5): positive IGRA pathway, planned start 2026-12-01. */
class IgraTest {

    private static final String SUMMARY_WORKUP =
            "QuantiFERON positive 2026-09-15: exclude active TB (chest X-ray); start isoniazid (≥6 mo) 6–8 weeks before alemtuzumab.";

    private static List<Card> igra(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "LAB-IGRA");
    }

    private static Card single(FhirRecord record) {
        List<Card> cards = igra(record);
        assertThat(cards).hasSize(1);
        return cards.get(0);
    }

    private static FhirRecord positive() {
        FhirRecord record = male();
        record.observation("71773-6", "positive", "2026-09-15");
        return record;
    }

    private static FhirRecord xrayed() {
        FhirRecord record = positive();
        report(record, "Chest X-ray PA and lateral", "2026-09-20", "No signs of active tuberculosis.");
        return record;
    }

    private static FhirRecord onIsoniazidFrom(String start) {
        FhirRecord record = xrayed();
        record.request(FhirRecord.rxnorm("6038", "isoniazid"), "active", start);
        return record;
    }

    @Test
    void negativeIgraIsSilent() {
        FhirRecord record = male();
        record.observation("71773-6", "negative", "2026-11-10");

        assertThat(igra(record)).isEmpty();
    }

    @Test
    void positiveIgraWithoutChestXrayIsCritical() {
        Card card = single(positive());

        assertThat(card.indicator()).isEqualTo("critical");
        assertThat(card.summary()).isEqualTo(SUMMARY_WORKUP);
        assertThat(card.detail()).contains("Chest X-ray after the positive IGRA: none on record.")
                .contains("Isoniazid: not started after the positive IGRA.");
        assertThat(card.suggestions()).hasSize(2);
        assertThat(card.suggestions().get(0).actions().get(0).resource().at("/code/text").asText()).isEqualTo("Chest X-ray");
        var isoniazid = card.suggestions().get(1).actions().get(0).resource();
        assertThat(isoniazid.get("resourceType").asText()).isEqualTo("MedicationRequest");
        assertThat(isoniazid.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("6038");
    }

    @Test
    void chestXrayBeforeThePositiveIgraDoesNotCount() {
        FhirRecord record = positive();
        report(record, "Chest X-ray", "2026-09-01", null);

        assertThat(single(record).summary()).isEqualTo(SUMMARY_WORKUP);
    }

    @Test
    void chestXrayDoneButNoIsoniazidIsCritical() {
        Card card = single(xrayed());

        assertThat(card.indicator()).isEqualTo("critical");
        assertThat(card.summary()).isEqualTo(SUMMARY_WORKUP);
        assertThat(card.detail()).contains("2026-09-20 (No signs of active tuberculosis.)");
        assertThat(card.suggestions()).singleElement().satisfies(s ->
                assertThat(s.actions().get(0).resource().at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("6038"));
    }

    @Test
    void isoniazidStartedBeforeThePositiveIgraDoesNotCount() {
        FhirRecord record = xrayed();
        record.statement(FhirRecord.rxnorm("6038", "isoniazid"), "completed", "2019-01-01", "2019-07-01");

        assertThat(single(record).summary()).isEqualTo(SUMMARY_WORKUP);
    }

    @Test
    void startLessThanSixWeeksAfterIsoniazidIsCritical() {
        Card card = single(onIsoniazidFrom("2026-10-21")); // START - 41 days

        assertThat(card.indicator()).isEqualTo("critical");
        assertThat(card.summary()).isEqualTo(
                "Isoniazid started 2026-10-21: alemtuzumab may start 6–8 weeks later (earliest 2026-12-02, conservative 2026-12-16); INH ≥6 mo.");
        assertThat(card.detail()).contains("Isoniazid: started 2026-10-21, ongoing.")
                .contains("After a positive QuantiFERON")
                .endsWith("too early.");
        assertThat(card.source().label()).isEqualTo("Hassoun et al. 2016, alemtuzumab in clinical practice");
    }

    @Test
    void exactlySixWeeksAfterIsoniazidIsAWarning() {
        Card card = single(onIsoniazidFrom("2026-10-20")); // START - 42 days

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.detail()).contains("inside the 6–8-week window");
    }

    @Test
    void fiftyFiveDaysAfterIsoniazidIsStillAWarning() {
        assertThat(single(onIsoniazidFrom("2026-10-07")).indicator()).isEqualTo("warning");
    }

    @Test
    void eightWeeksAfterIsoniazidIsInfoToContinueItToSixMonths() {
        Card card = single(onIsoniazidFrom("2026-10-06")); // START - 56 days

        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.detail()).contains("continue isoniazid to at least 2027-04-06");
    }

    @Test
    void isoniazidRecognisedByNameOnly() {
        FhirRecord record = xrayed();
        record.request(FhirRecord.text("Isoniazid 300 mg oral tablet"), "active", "2026-10-06");

        assertThat(single(record).indicator()).isEqualTo("info");
    }

    @Test
    void sixMonthsOfIsoniazidCompletesThePathway() {
        FhirRecord ongoing = male();
        ongoing.observation("71773-6", "positive", "2026-05-20");
        report(ongoing, "XR Chest 2 views", "2026-05-25", null);
        ongoing.request(FhirRecord.rxnorm("6038", "isoniazid"), "active", "2026-06-01"); // START - 6 months

        FhirRecord completed = male();
        completed.observation("71773-6", "positive", "2026-02-10");
        report(completed, "Chest radiograph", "2026-02-15", null);
        completed.statement(FhirRecord.rxnorm("6038", "isoniazid"), "completed", "2026-03-01", "2026-09-01");

        assertThat(igra(ongoing)).isEmpty();
        assertThat(igra(completed)).isEmpty();
    }

    @Test
    void oneDayShortOfSixMonthsIsStillInfo() {
        FhirRecord record = male();
        record.observation("71773-6", "positive", "2026-05-20");
        report(record, "Chest X-ray", "2026-05-25", null);
        record.request(FhirRecord.rxnorm("6038", "isoniazid"), "active", "2026-06-02");

        assertThat(single(record).indicator()).isEqualTo("info");
    }

    @Test
    void isoniazidStoppedBeforeSixMonthsIsAWarning() {
        FhirRecord record = male();
        record.observation("71773-6", "positive", "2026-05-20");
        report(record, "Chest X-ray", "2026-05-25", null);
        record.statement(FhirRecord.rxnorm("6038", "isoniazid"), "stopped", "2026-06-01", "2026-08-15");

        Card card = single(record);
        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo(
                "Isoniazid stopped 2026-08-15, before 6 months: latent TB treatment incomplete; review before alemtuzumab.");
    }

    @Test
    void aPreliminaryPositiveDoesNotStartThePathwayAndASupersededPositiveIsIgnored() {
        FhirRecord preliminary = male();
        preliminary.observation("71773-6", "positive", "2026-11-01").put("status", "preliminary");
        FhirRecord laterNegative = male();
        laterNegative.observation("71773-6", "positive", "2026-06-01");
        laterNegative.observation("71773-6", "negative", "2026-09-01");

        // §2.2: the preliminary positive asks for confirmation (PreliminaryInfectionScreenTest), no X-ray/isoniazid step
        assertThat(single(preliminary).summary()).startsWith("Preliminary result: IGRA (QuantiFERON) positive (2026-11-01)");
        assertThat(igra(laterNegative)).isEmpty();
    }

    @Test
    void repeatedPositiveIgraKeepsTheFirstPositiveDate() {
        FhirRecord record = male();
        record.observation("71773-6", "positive", "2026-02-10");
        report(record, "Chest X-ray", "2026-02-15", null);
        record.statement(FhirRecord.rxnorm("6038", "isoniazid"), "completed", "2026-03-01", "2026-09-01");
        record.observation("71773-6", "positive", "2026-11-10"); // IGRA stays positive after treatment

        assertThat(igra(record)).isEmpty();
    }
}
