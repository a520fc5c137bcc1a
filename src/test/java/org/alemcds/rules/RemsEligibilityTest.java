package org.alemcds.rules;

import static org.alemcds.rules.EligibilityFixtures.LOCAL;
import static org.alemcds.rules.EligibilityFixtures.TODAY;
import static org.alemcds.rules.EligibilityFixtures.previousCourse;
import static org.alemcds.rules.EligibilityFixtures.rrmsPatient;
import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** ELIG-REMS (catalogue §4.1, standard info set §2.8): order-sign only, UNION/US profile. */
class RemsEligibilityTest {

    private static ObjectNode enrolment(FhirRecord record, String date) {
        ObjectNode o = record.observation("x", "yes", date);
        o.set("code", FhirRecord.concept(LOCAL, "REMS-PT", "LEMTRADA REMS patient enrollment"));
        o.remove("valueCodeableConcept");
        o.put("valueBoolean", true);
        return o;
    }

    @Test
    void orderSignCarriesTheRemsInfo() {
        assertThat(cardsOf(orderSign(rrmsPatient(), TODAY), "ELIG-REMS")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "LEMTRADA REMS: prescriber, patient, pharmacy and infusion site must be certified/enrolled.");
            assertThat(card.detail()).contains("48 months").contains("autoimmunity");
            assertThat(card.overrideReasons()).isEmpty();
        });
    }

    @Test
    void orderSelectDoesNotCarryIt() {
        assertThat(cardsOf(orderSelect(rrmsPatient(), TODAY), "ELIG-REMS")).isEmpty();
    }

    @Test
    void usProfileCarriesItAndEuProfileDoesNot() {
        assertThat(cardsOf(call("order-sign", rrmsPatient(), TODAY, "US"), "ELIG-REMS")).hasSize(1);
        assertThat(cardsOf(call("order-sign", rrmsPatient(), TODAY, "EU"), "ELIG-REMS")).isEmpty();
    }

    @Test
    void everyCourseCarriesIt() {
        FhirRecord record = rrmsPatient();
        previousCourse(record);

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-REMS")).hasSize(1);
    }

    @Test
    void documentedEnrolmentSilencesIt() {
        FhirRecord record = rrmsPatient();
        enrolment(record, "2026-10-01");

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-REMS")).isEmpty();
    }

    @Test
    void textEnrolmentYesSilencesIt() {
        FhirRecord record = rrmsPatient();
        ObjectNode o = record.observation("x", "Yes", "2026-10-01");
        o.set("code", FhirRecord.text("REMS enrolment confirmed"));

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-REMS")).isEmpty();
    }

    @Test
    void laterNegativeEntryWithdrawsTheEnrolment() {
        FhirRecord record = rrmsPatient();
        enrolment(record, "2026-01-01");
        enrolment(record, "2026-10-01").put("valueBoolean", false);

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-REMS")).singleElement()
                .satisfies(card -> assertThat(card.detail()).contains("2026-10-01"));
    }

    @Test
    void enteredInErrorEnrolmentDoesNotCount() {
        FhirRecord record = rrmsPatient();
        enrolment(record, "2026-10-01").put("status", "entered-in-error");

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-REMS")).hasSize(1);
    }
}
