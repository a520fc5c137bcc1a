package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** CI-HIV (catalogue §4.2). */
class HivContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    @Test
    void hivDiagnosisIsCritical() {
        FhirRecord record = patient();
        record.condition("86406008", "Human immunodeficiency virus infection", "2019-03-01");
        record.observation("56888-1", "negative", "2026-11-10");

        var cards = cardsOf(orderSign(record, TODAY), "CI-HIV");

        assertThat(cards).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("HIV infection documented");
            assertThat(card.detail()).contains("2019-03-01");
            assertThat(card.source().label()).startsWith("LEMTRADA US Important Safety Information");
            assertThat(card.overrideReasons()).hasSize(3);
        });
    }

    @Test
    void positiveLatestTestIsCritical() {
        FhirRecord record = patient();
        record.observation("56888-1", "negative", "2025-01-10");
        record.observation("56888-1", "positive", "2026-11-10");

        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV"))
                .singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("HIV infection documented"));
    }

    @Test
    void recentNegativeTestIsSilent() {
        FhirRecord record = patient();
        record.observation("56888-1", "negative", "2026-11-10");

        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV")).isEmpty();
    }

    @Test
    void negativeExactly90DaysBeforeStartStillCounts() {
        FhirRecord record = patient();
        record.observation("56888-1", "negative", "2026-09-02"); // START - 90 days

        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV")).isEmpty();
    }

    @Test
    void negative91DaysBeforeStartIsTooOld() {
        FhirRecord record = patient();
        record.observation("56888-1", "negative", "2026-09-01");

        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV"))
                .singleElement()
                .satisfies(card -> {
                    assertThat(card.indicator()).isEqualTo("critical");
                    assertThat(card.summary()).startsWith("No HIV-1/2 Ag/Ab result in last 90 days");
                });
    }

    @Test
    void missingTestIsCriticalWithAnOrderSuggestion() {
        Card card = cardsOf(orderSign(patient(), TODAY), "CI-HIV").get(0);

        assertThat(card.indicator()).isEqualTo("critical");
        assertThat(card.detail()).contains("none on record").contains("negative screen within 90 days");
        assertThat(card.selectionBehavior()).isEqualTo("any");
        assertThat(card.suggestions()).singleElement().satisfies(s -> {
            var resource = s.actions().get(0).resource();
            assertThat(s.actions().get(0).type()).isEqualTo("create");
            assertThat(resource.get("resourceType").asText()).isEqualTo("ServiceRequest");
            assertThat(resource.at("/code/coding/0/code").asText()).isEqualTo("56888-1");
            assertThat(resource.at("/subject/reference").asText()).isEqualTo("Patient/" + FhirRecord.PATIENT_ID);
        });
    }

    @Test
    void enteredInErrorDiagnosisAndResultsAreIgnored() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("86406008", "HIV infection", "2019-03-01"), "entered-in-error");
        record.observation("56888-1", "positive", "2026-11-12").put("status", "entered-in-error");
        record.observation("56888-1", "negative", "2026-11-10");

        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV")).isEmpty();
    }

    @Test
    void unconfirmedDiagnosisIsDowngradedToWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("86406008", "HIV infection", "2019-03-01"), "provisional");
        record.observation("56888-1", "negative", "2026-11-10");

        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV"))
                .singleElement()
                .satisfies(card -> {
                    assertThat(card.indicator()).isEqualTo("warning");
                    assertThat(card.detail()).contains("unconfirmed diagnosis");
                });
    }

    @Test
    void anUnconfirmedDiagnosisWithoutARecentNegativeTestDoesNotExcludeHiv() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("86406008", "HIV infection", "2019-03-01"), "provisional");

        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV"))
                .extracting(Card::indicator, card -> card.summary().substring(0, 20))
                .containsExactlyInAnyOrder(
                        tuple("warning", "Unconfirmed HIV diag"),
                        tuple("critical", "No HIV-1/2 Ag/Ab res"));
        assertThat(cardsOf(orderSign(record, TODAY), "CI-HIV")).allSatisfy(card -> assertThat(card.suggestions())
                .singleElement().satisfies(s ->
                        assertThat(s.actions().get(0).resource().at("/code/coding/0/code").asText()).isEqualTo("56888-1")));
    }

    @Test
    void noAlemtuzumabOrderMeansNoCards() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draft(record.request(FhirRecord.rxnorm("1191", "Aspirin"), "draft", null));

        assertThat(orderSign(record, TODAY)).isEmpty();
    }
}
