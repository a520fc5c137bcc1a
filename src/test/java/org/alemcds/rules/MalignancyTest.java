package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** RCI-MALIGNANCY (catalogue §4.3). */
class MalignancyTest {

    private static final String TODAY = "2026-11-21";
    private static final String RULE = "RCI-MALIGNANCY";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.male("1985-06-15");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record;
    }

    @Test
    void activeMalignancyIsAWarning() {
        FhirRecord record = patient();
        record.condition("363346000", "Malignant neoplastic disease", "2025-02-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Active or not curatively treated malignancy (Malignant neoplastic disease): cure it before alemtuzumab; increased cancer risk.");
            assertThat(card.detail()).contains("2025-02-01").contains("skin exam");
        });
    }

    @Test
    void localTextOnlyDiagnosisIsRecognised() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("x", null, "2024-01-01"), "recurrence")
                .set("code", FhirRecord.text("Melanoma of skin of back"));

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("Melanoma of skin of back"));
    }

    @Test
    void remissionOrResolvedMalignancyIsSilent() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("363346000", "Malignant neoplastic disease", "2010-01-01"), "remission");
        FhirRecord.clinicalStatus(record.condition("363346000", "Malignant neoplastic disease", "2012-01-01"), "resolved");
        record.condition("363346000", "Malignant neoplastic disease", "2014-01-01").put("abatementDateTime", "2015-06-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void inactiveWithoutDocumentedCureStillWarns() {
        FhirRecord record = patient();
        FhirRecord.clinicalStatus(record.condition("363346000", "Malignant neoplastic disease", "2020-01-01"), "inactive");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).hasSize(1);
    }

    @Test
    void refutedAndEnteredInErrorAreIgnored() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("363346000", "Malignant neoplastic disease", "2025-01-01"), "refuted");
        FhirRecord.verificationStatus(record.condition("363346000", "Malignant neoplastic disease", "2025-01-01"), "entered-in-error");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void unconfirmedDiagnosisIsInfo() {
        FhirRecord record = patient();
        FhirRecord.verificationStatus(record.condition("363346000", "Malignant neoplastic disease", "2025-01-01"), "provisional");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.detail()).contains("unconfirmed diagnosis");
        });
    }

    @Test
    void otherConditionsAreSilent() {
        FhirRecord record = patient();
        record.condition("38341003", "Hypertensive disorder", "2020-01-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }
}
