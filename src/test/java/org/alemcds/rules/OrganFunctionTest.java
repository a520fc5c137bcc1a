package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** RCI-ORGAN (catalogue §4.3). */
class OrganFunctionTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";
    private static final String RULE = "RCI-ORGAN";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    private static ObjectNode withHigh(ObjectNode observation, double high, String unit) {
        observation.putArray("referenceRange").addObject().putObject("high").put("value", high).put("unit", unit);
        return observation;
    }

    @Test
    void egfrBelow30IsAWarningWithNephrologyReferral() {
        FhirRecord record = patient();
        record.observation("33914-3", 25, "mL/min/{1.73_m2}", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Severe hepatic/renal impairment (eGFR 25").contains("specialist review");
            assertThat(card.detail()).contains("2026-11-20");
            assertThat(card.suggestions()).singleElement().satisfies(s -> assertThat(s.label()).contains("nephrology"));
        });
    }

    @Test
    void egfrExactly30IsSilent() {
        FhirRecord record = patient();
        record.observation("98979-8", 30, "mL/min/{1.73_m2}", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void altExactly3TimesUlnIsSilentAboveItWarns() {
        FhirRecord record = patient();
        withHigh(record.observation("1742-6", 120, "U/L", "2026-11-20"), 40, "U/L");
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();

        FhirRecord high = patient();
        withHigh(high.observation("1742-6", 121, "U/L", "2026-11-20"), 40, "U/L");
        assertThat(cardsOf(orderSign(high, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.summary()).contains("ALT 121 U/L");
            assertThat(card.suggestions()).singleElement().satisfies(s -> assertThat(s.label()).contains("hepatology"));
        });
    }

    @Test
    void reportedUlnIsUsedInsteadOfTheDefault() {
        FhirRecord record = patient();
        withHigh(record.observation("1920-8", 100, "U/L", "2026-11-20"), 33, "U/L"); // 3.03 x ULN 33; default 40 would give 2.5

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("AST 100 U/L (3× ULN)"));
    }

    @Test
    void defaultUlnWhenNoReferenceRange() {
        FhirRecord record = patient();
        record.observation("1742-6", 125, "U/L", "2026-11-20"); // > 3 x 40
        assertThat(cardsOf(orderSign(record, TODAY), RULE)).hasSize(1);

        FhirRecord normal = patient();
        normal.observation("1742-6", 115, "U/L", "2026-11-20");
        assertThat(cardsOf(orderSign(normal, TODAY), RULE)).isEmpty();
    }

    @Test
    void bilirubinAbove2TimesUlnWarnsInEitherUnit() {
        FhirRecord mg = patient();
        mg.observation("1975-2", 2.5, "mg/dL", "2026-11-20"); // > 2 x 1.2
        assertThat(cardsOf(orderSign(mg, TODAY), RULE)).singleElement()
                .satisfies(card -> {
                    assertThat(card.summary()).contains("Total bilirubin 2.5 mg/dL (2.1× ULN)");
                    assertThat(card.detail()).contains("ULN 1.2 (service default ULN)");
                });

        FhirRecord umol = patient();
        umol.observation("1975-2", 42, "umol/L", "2026-11-20"); // exactly 2 x 21
        assertThat(cardsOf(orderSign(umol, TODAY), RULE)).isEmpty();
    }

    @Test
    void resultOlderThan30DaysIsIgnored() {
        FhirRecord record = patient();
        record.observation("33914-3", 20, "mL/min/{1.73_m2}", "2026-10-31"); // START - 31 days
        withHigh(record.observation("1742-6", 400, "U/L", "2026-10-31"), 40, "U/L");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void egfrIsEstimatedFromCreatinineWhenNotReported() {
        FhirRecord record = patient(); // female, 36 years at START
        record.observation("2160-0", 3.0, "mg/dL", "2026-11-20"); // CKD-EPI 2021 about 20

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.summary()).contains("by CKD-EPI 2021");
            assertThat(card.detail()).contains("from creatinine 3 mg/dL on 2026-11-20");
        });

        FhirRecord normal = patient();
        normal.observation("2160-0", 80, "umol/L", "2026-11-20");
        assertThat(cardsOf(orderSign(normal, TODAY), RULE)).isEmpty();
    }

    @Test
    void reportedEgfrWinsOverCreatinine() {
        FhirRecord record = patient();
        record.observation("2160-0", 3.0, "mg/dL", "2026-11-20");
        record.observation("33914-3", 45, "mL/min/{1.73_m2}", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void uninterpretableUnitWithoutRangeSaysSo() {
        FhirRecord record = patient();
        record.observation("1742-6", 5, "ukat/L", "2026-11-20");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).startsWith("Cannot assess hepatic/renal function: cannot interpret unit of ALT");
        });
    }

    @Test
    void enteredInErrorResultIsIgnored() {
        FhirRecord record = patient();
        record.observation("33914-3", 20, "mL/min/{1.73_m2}", "2026-11-20").put("status", "entered-in-error");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }
}
