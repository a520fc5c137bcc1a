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

/** CI-EU-AUTOIMMUNE (catalogue §4.2). */
class EuAutoimmuneContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";
    private static final String RULE = "CI-EU-AUTOIMMUNE";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1990-05-05");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    private static List<Card> cards(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), RULE);
    }

    private static ObjectNode textCondition(FhirRecord record, String text, String onset) {
        ObjectNode c = record.condition("0", text, onset);
        c.set("code", FhirRecord.text(text));
        return c;
    }

    @Test
    void activeGravesDiseaseIsCritical() {
        FhirRecord record = patient();
        record.condition("353295004", "Graves' disease", "2022-02-02");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "Autoimmune disease besides MS on record: EU contraindication; alemtuzumab increases autoimmunity risk.");
        });
    }

    @Test
    void diseaseInRemissionOrInactiveIsCritical() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(textCondition(record, "Rheumatoid arthritis", "2015-01-01"), "remission");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void resolvedChildhoodConditionIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("32273002", "Idiopathic thrombocytopenic purpura", "1998-03-01"), "resolved");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Resolved autoimmune disease besides MS on record");
            assertThat(card.detail()).contains("Idiopathic thrombocytopenic purpura");
            assertThat(card.detail()).contains("[resolved, childhood onset]");
        });
    }

    @Test
    void autoimmunityThatAroseAfterAlemtuzumabStaysCriticalEvenWhenResolved() {
        FhirRecord record = patient();
        for (int day = 1; day <= 5; day++) {
            record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2025-11-0" + day);
        }
        FhirRecord.clinicalStatus(record.condition("353295004", "Graves' disease", "2026-06-01"), "resolved");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.detail()).contains("arose after alemtuzumab, first infusion 2025-11-01")
                    .contains("individual assessment");
        });
    }

    @Test
    void multipleSclerosisItselfIsNotAnotherAutoimmuneDisease() {
        FhirRecord record = patient();
        record.condition("426373005", "Relapsing remitting multiple sclerosis", "2018-01-01");
        textCondition(record, "Autoimmune demyelinating disease of CNS", "2018-01-01");
        textCondition(record, "Family history of systemic lupus erythematosus", null);

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void unconfirmedDiagnosisIsAWarning() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(textCondition(record, "Coeliac disease", "2019-01-01"), "differential");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }

    @Test
    void usProfileSuppressesTheRule() {
        FhirRecord record = patient();
        record.condition("353295004", "Graves' disease", "2022-02-02");

        assertThat(cardsOf(call("order-sign", record, TODAY, "US"), RULE)).isEmpty();
        assertThat(cardsOf(call("order-sign", record, TODAY, "EU"), RULE)).hasSize(1);
    }
}
