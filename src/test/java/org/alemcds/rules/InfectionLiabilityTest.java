package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** RCI-INFECTION-LIABILITY (catalogue §4.3). */
class InfectionLiabilityTest {

    private static final String TODAY = "2026-11-21";
    private static final String RULE = "RCI-INFECTION-LIABILITY";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record;
    }

    private static void uti(FhirRecord record, String onset) {
        FhirRecord.clinicalStatus(record.condition("x", null, onset), "resolved")
                .set("code", FhirRecord.text("Urinary tract infection"));
    }

    @Test
    void threeUtisIn12MonthsAreInfo() {
        FhirRecord record = patient();
        uti(record, "2025-12-01"); // START - 12 months, inclusive
        uti(record, "2026-04-10");
        uti(record, "2026-09-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Recurrent infections / aspiration risk on record: relative contraindication; weigh infection risk.");
            assertThat(card.detail()).contains("3 episode(s)");
        });
    }

    @Test
    void aThirdUtiOutsideTheWindowDoesNotCount() {
        FhirRecord record = patient();
        uti(record, "2025-11-30");
        uti(record, "2026-04-10");
        uti(record, "2026-09-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void enteredInErrorUtiDoesNotCount() {
        FhirRecord record = patient();
        uti(record, "2026-02-01");
        uti(record, "2026-04-10");
        FhirRecord.verificationStatus(record.condition("x", null, "2026-09-20"), "entered-in-error")
                .set("code", FhirRecord.text("Urinary tract infection"));

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void aspirationRiskIsInfo() {
        FhirRecord record = patient();
        record.condition("x", null, "2026-01-01").set("code", FhirRecord.text("At risk of aspiration"));

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("At risk of aspiration"));
    }
}
