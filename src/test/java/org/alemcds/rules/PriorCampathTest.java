package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** RCI-PRIOR-CAMPATH (catalogue §4.3, [US]). */
class PriorCampathTest {

    private static final String TODAY = "2026-11-21";
    private static final String RULE = "RCI-PRIOR-CAMPATH";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.male("1970-06-15");
        record.draftAlemtuzumab("2026-12-01", 5);
        return record;
    }

    @Test
    void priorCampathAdministrationIsAWarning() {
        FhirRecord record = patient();
        record.administration(FhirRecord.rxnorm("828267", "1 ML alemtuzumab 30 MG/ML Injection [Campath]"), "2012-03-05");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Prior Campath (alemtuzumab) exposure: additive, long-lasting immune effects; use increased vigilance.");
            assertThat(card.detail()).contains("2012-03-05");
        });
    }

    @Test
    void campathStatementByBrandNameCounts() {
        FhirRecord record = patient();
        record.statement(FhirRecord.text("Campath for CLL"), "completed", "2011-01-01", "2011-03-01");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).hasSize(1);
    }

    @Test
    void suppressedUnderTheEuProfile() {
        FhirRecord record = patient();
        record.administration(FhirRecord.rxnorm("828267", "1 ML alemtuzumab 30 MG/ML Injection [Campath]"), "2012-03-05");

        assertThat(cardsOf(call("order-sign", record, TODAY, "EU"), RULE)).isEmpty();
        assertThat(cardsOf(call("order-sign", record, TODAY, "US"), RULE)).hasSize(1);
    }

    @Test
    void lemtradaCoursesAndOther30MgPerMlDrugsAreNotCampath() {
        FhirRecord record = patient();
        record.administration(FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]"), "2025-11-03");
        record.administration(FhirRecord.text("ketorolac 30 mg/mL injection"), "2026-01-03");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }

    @Test
    void enteredInErrorAdministrationIsIgnored() {
        FhirRecord record = patient();
        record.administration(FhirRecord.rxnorm("284679", "Campath"), "2012-03-05").put("status", "entered-in-error");

        assertThat(cardsOf(orderSign(record, TODAY), RULE)).isEmpty();
    }
}
