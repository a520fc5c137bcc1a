package org.alemcds.rules;

import static org.alemcds.rules.LabFixtures.report;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** LAB-MRI (catalogue §4.5): baseline MRI not older than 3 months, calendar month arithmetic. */
class BaselineMriTest {

    private static FhirRecord patient(String start) {
        FhirRecord record = FhirRecord.male("1985-06-15");
        record.draftAlemtuzumab(start, 5);
        return record;
    }

    private static List<Card> mri(FhirRecord record, String today) {
        return cardsOf(orderSign(record, today), "LAB-MRI");
    }

    private static List<Card> mri(FhirRecord record) {
        return mri(record, LabFixtures.TODAY);
    }

    @Test
    void mriExactlyThreeMonthsBeforeTheStartPasses() {
        FhirRecord record = patient("2026-12-01");
        report(record, "MRI brain and spinal cord with gadolinium", "2026-09-01", "No new lesions.");

        assertThat(mri(record)).isEmpty();
    }

    @Test
    void mriOneDayOlderThanThreeMonthsIsAWarning() {
        FhirRecord record = patient("2026-12-01");
        report(record, "MRI brain and spinal cord with gadolinium", "2026-08-31", null);

        assertThat(mri(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "Baseline MRI (complete neuraxis) is over 3 months old (2026-08-31); must be ≤3 months before alemtuzumab.");
            assertThat(card.detail()).contains("2026-08-31").contains("an MRI on or after 2026-09-01 is required");
        });
    }

    @Test
    void olderMriGivesItsAgeInMonths() {
        FhirRecord record = patient("2026-12-01");
        report(record, "MRI brain", "2026-04-10", "Two new T2 lesions.");

        assertThat(mri(record)).singleElement().satisfies(card -> assertThat(card.summary())
                .isEqualTo("Baseline MRI (complete neuraxis) is 7 months old (2026-04-10); must be ≤3 months before alemtuzumab."));
    }

    @Test
    void missingMriIsAWarningWithAnImagingOrder() {
        Card card = mri(patient("2026-12-01")).get(0);

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo("Baseline MRI (complete neuraxis) is missing; must be ≤3 months before alemtuzumab.");
        assertThat(card.detail()).startsWith("Latest MRI on record: none. Planned course start 2026-12-01; an MRI on or after 2026-09-01 is required.")
                .contains("complete neuraxis");
        assertThat(card.suggestions()).singleElement().satisfies(s -> {
            var resource = s.actions().get(0).resource();
            assertThat(resource.get("resourceType").asText()).isEqualTo("ServiceRequest");
            assertThat(resource.at("/code/text").asText()).isEqualTo("MRI brain and spinal cord with gadolinium");
        });
    }

    @Test
    void threeMonthsBeforeTheThirtyFirstIsClampedToTheMonthEnd() {
        // 2026-05-31 - 3 months = 2026-02-28 (no 31 February, not a leap year)
        FhirRecord onLimit = patient("2026-05-31");
        report(onLimit, "MRI brain and spine", "2026-02-28", null);
        FhirRecord dayBefore = patient("2026-05-31");
        report(dayBefore, "MRI brain and spine", "2026-02-27", null);

        assertThat(mri(onLimit, "2026-05-20")).isEmpty();
        assertThat(mri(dayBefore, "2026-05-20")).hasSize(1);
    }

    @Test
    void leapYearClampsToTheTwentyNinth() {
        FhirRecord onLimit = patient("2028-05-31");
        report(onLimit, "MRI brain and spine", "2028-02-29", null);
        FhirRecord dayBefore = patient("2028-05-31");
        report(dayBefore, "MRI brain and spine", "2028-02-28", null);

        assertThat(mri(onLimit, "2028-05-20")).isEmpty();
        assertThat(mri(dayBefore, "2028-05-20")).hasSize(1);
    }

    @Test
    void anAvailableImagingStudyCounts() {
        FhirRecord record = patient("2026-12-01");
        ObjectNode study = new ObjectMapper().createObjectNode();
        study.put("resourceType", "ImagingStudy").put("status", "available").put("started", "2026-10-01T09:00:00Z");
        study.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        study.putArray("procedureCode").add(FhirRecord.text("MRI cervical and thoracic spine"));
        record.add(study);

        assertThat(mri(record)).isEmpty();
    }

    @Test
    void preliminaryOrLaterReportsDoNotCount() {
        FhirRecord record = patient("2026-12-01");
        report(record, "MRI brain", "2026-11-01", null).put("status", "preliminary");
        report(record, "MRI brain", "2026-12-05", null);
        report(record, "MRI brain", "2026-11-10", null).put("status", "entered-in-error");

        assertThat(mri(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("is missing"));
    }
}
