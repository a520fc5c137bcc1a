package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** RCI-THYROID (catalogue §4.3, [US]; under EU, Graves' disease is left to CI-EU-AUTOIMMUNE). */
class ThyroidCautionTest {

    private static final String TODAY = "2026-11-21";
    private static final String RULE = "RCI-THYROID";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record;
    }

    @Test
    void activeGravesDiseaseIsAWarning() {
        FhirRecord record = patient();
        record.condition("353295004", "Graves' disease", "2021-05-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Ongoing thyroid disorder: alemtuzumab only if the benefit justifies the risk; ~37% develop thyroid autoimmunity.");
            assertThat(card.detail()).contains("Graves").contains("2021-05-01");
        });
    }

    @Test
    void gravesIsLeftToTheEuContraindicationUnderEuButHypothyroidismIsNot() {
        FhirRecord graves = patient();
        graves.condition("353295004", "Graves' disease", "2021-05-01");
        assertThat(cardsOf(call("order-sign", graves, TODAY, "EU"), RULE)).isEmpty();

        FhirRecord hypo = patient();
        hypo.condition("x", null, "2021-05-01").set("code", FhirRecord.text("Hypothyroidism"));
        assertThat(cardsOf(call("order-sign", hypo, TODAY, "EU"), RULE)).hasSize(1);
    }

    @Test
    void abnormalTshWarnsAndLimitsAreInRange() {
        FhirRecord high = patient();
        high.observation("3016-3", 6.2, "mIU/L", "2026-10-01");
        assertThat(cardsOf(orderSign(high, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("TSH 6.2 mIU/L out of range"));
        assertThat(cardsOf(call("order-sign", high, TODAY, "EU"), RULE)).hasSize(1);

        FhirRecord atLimit = patient();
        atLimit.observation("11580-8", 4.0, "mIU/L", "2026-10-01");
        assertThat(cardsOf(orderSign(atLimit, TODAY), RULE)).isEmpty();

        FhirRecord low = patient();
        low.observation("3016-3", 0.3, "mIU/L", "2026-10-01");
        assertThat(cardsOf(orderSign(low, TODAY), RULE)).hasSize(1);
    }

    @Test
    void reportedReferenceRangeIsUsed() {
        FhirRecord record = patient();
        var tsh = record.observation("3016-3", 4.3, "mIU/L", "2026-10-01");
        var range = tsh.putArray("referenceRange").addObject();
        range.putObject("low").put("value", 0.27).put("unit", "mIU/L");
        range.putObject("high").put("value", 4.5).put("unit", "mIU/L");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void tshOlderThan90DaysIsIgnored() {
        FhirRecord record = patient();
        record.observation("3016-3", 9.0, "mIU/L", "2026-09-01"); // START - 91 days
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();

        FhirRecord inWindow = patient();
        inWindow.observation("3016-3", 9.0, "mIU/L", "2026-09-02"); // START - 90 days
        assertThat(cardsOf(orderSign(inWindow, TODAY), RULE)).hasSize(1);
    }

    @Test
    void resolvedRefutedOrUnconfirmedDisorders() {
        FhirRecord resolved = patient();
        FhirRecord.clinicalStatus(resolved.condition("353295004", "Graves' disease", "2010-05-01"), "resolved");
        FhirRecord.verificationStatus(resolved.condition("x", null, "2020-01-01"), "refuted")
                .set("code", FhirRecord.text("Hyperthyroidism"));
        assertThat(cardsOf(orderSign(resolved, TODAY), RULE)).isEmpty();

        FhirRecord unconfirmed = patient();
        FhirRecord.verificationStatus(unconfirmed.condition("x", null, "2020-01-01"), "provisional")
                .set("code", FhirRecord.text("Thyroiditis"));
        assertThat(cardsOf(orderSign(unconfirmed, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
    }
}
