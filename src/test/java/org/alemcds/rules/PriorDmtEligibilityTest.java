package org.alemcds.rules;

import static org.alemcds.rules.EligibilityFixtures.TODAY;
import static org.alemcds.rules.EligibilityFixtures.activeMri;
import static org.alemcds.rules.EligibilityFixtures.drug;
import static org.alemcds.rules.EligibilityFixtures.previousCourse;
import static org.alemcds.rules.EligibilityFixtures.relapse;
import static org.alemcds.rules.EligibilityFixtures.rrmsPatient;
import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** ELIG-PRIOR-DMT (catalogue §4.1, §5 #12). */
class PriorDmtEligibilityTest {

    private static final String NO_DMT =
            "No prior DMT recorded: EU label requires ≥1 full DMT course or rapidly evolving severe RRMS.";

    private static List<Card> dmtCards(FhirRecord record, String profile) {
        return cardsOf(call("order-sign", record, TODAY, profile), "ELIG-PRIOR-DMT");
    }

    private static List<Card> dmtCards(FhirRecord record) {
        return dmtCards(record, "UNION");
    }

    private static void fingolimod(FhirRecord record) {
        record.statement(FhirRecord.rxnorm("1012892", "fingolimod"), "completed", "2019-01-01", "2022-03-01");
    }

    private static void natalizumab(FhirRecord record) {
        record.administration(FhirRecord.rxnorm("477484", "15 ML natalizumab 20 MG/ML Injection"), "2022-05-01");
        record.administration(FhirRecord.rxnorm("477484", "15 ML natalizumab 20 MG/ML Injection"), "2022-06-01");
    }

    /** RES: two relapses > 30 days apart within 12 months and an active MRI within 12 months. */
    private static void res(FhirRecord record) {
        relapse(record, "2026-02-01");
        relapse(record, "2026-06-01");
        activeMri(record, "2026-06-15");
    }

    private static void assertInfo(List<Card> cards, int n) {
        assertThat(cards).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    n + " prior DMT: US label reserves alemtuzumab generally for inadequate response to ≥2 MS drugs.");
        });
    }

    @Test
    void noPriorDmtWithoutResIsWarning() {
        assertThat(dmtCards(rrmsPatient())).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(NO_DMT);
            assertThat(card.detail()).contains("none recorded").contains("not documented");
            assertThat(card.suggestions()).hasSize(1);
            assertThat(card.overrideReasons()).hasSize(3);
        });
    }

    @Test
    void noPriorDmtWithResIsUsInfo() {
        FhirRecord record = rrmsPatient();
        res(record);

        assertInfo(dmtCards(record), 0);
        assertThat(dmtCards(record).get(0).detail()).contains("RES").contains(": documented");
    }

    @Test
    void relapsesLessThan30DaysApartAreOneRelapseForRes() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2026-06-01");
        relapse(record, "2026-06-20");
        activeMri(record, "2026-06-15");

        assertThat(dmtCards(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).isEqualTo(NO_DMT));
    }

    @Test
    void twoRelapsesWithoutActiveMriAreNotRes() {
        FhirRecord record = rrmsPatient();
        relapse(record, "2026-02-01");
        relapse(record, "2026-06-01");

        assertThat(dmtCards(record)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void onePriorDmtIsUsInfo() {
        FhirRecord record = rrmsPatient();
        fingolimod(record);

        assertInfo(dmtCards(record), 1);
        assertThat(dmtCards(record).get(0).detail()).contains("fingolimod (first recorded 2019-01-01)");
    }

    @Test
    void twoDistinctPriorDmtsAreSilent() {
        FhirRecord record = rrmsPatient();
        fingolimod(record);
        natalizumab(record);

        assertThat(dmtCards(record)).isEmpty();
    }

    @Test
    void fumaratesCountAsOneActiveSubstance() {
        FhirRecord record = rrmsPatient();
        record.statement(drug("Tecfidera 240 mg capsule"), "stopped", "2018-01-01", "2019-01-01");
        record.statement(drug("Vumerity (diroximel fumarate) 231 mg"), "completed", "2019-01-02", "2021-01-01");

        assertInfo(dmtCards(record), 1);
    }

    @Test
    void interferonBeta1aAndPeginterferonAreOneButGlatiramerIsAnother() {
        FhirRecord record = rrmsPatient();
        record.statement(drug("Avonex 30 mcg weekly"), "completed", "2015-01-01", "2016-01-01");
        record.statement(drug("Plegridy 125 mcg"), "completed", "2016-01-02", "2017-01-01");
        assertInfo(dmtCards(record), 1);

        record.statement(drug("Copaxone 40 mg/mL"), "completed", "2017-02-01", "2019-01-01");
        assertThat(dmtCards(record)).isEmpty();
    }

    @Test
    void unspecifiedClassRecordCountsItsClassOnce() {
        FhirRecord record = rrmsPatient();
        record.statement(drug("interferon beta"), "completed", "2015-01-01", "2016-01-01");

        assertInfo(dmtCards(record), 1);
    }

    @Test
    void enteredInErrorNotTakenDraftAndCancelledRecordsDoNotCount() {
        FhirRecord record = rrmsPatient();
        record.statement(FhirRecord.rxnorm("1012892", "fingolimod"), "entered-in-error", "2019-01-01", null);
        record.statement(FhirRecord.rxnorm("354770", "natalizumab"), "not-taken", "2020-01-01", null);
        record.request(FhirRecord.rxnorm("1310520", "teriflunomide"), "cancelled", "2021-01-01");
        record.request(FhirRecord.rxnorm("1876366", "ocrelizumab"), "draft", "2022-01-01");
        record.administration(FhirRecord.rxnorm("1876366", "ocrelizumab"), "2022-02-01").put("status", "not-done");

        assertThat(dmtCards(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).isEqualTo(NO_DMT));
    }

    @Test
    void stoppedAndActiveRequestsCount() {
        FhirRecord record = rrmsPatient();
        record.request(FhirRecord.rxnorm("1310520", "teriflunomide"), "stopped", "2020-01-01");
        record.request(FhirRecord.rxnorm("1373478", "dimethyl fumarate"), "active", "2023-01-01");

        assertThat(dmtCards(record)).isEmpty();
    }

    @Test
    void therapyStartingAfterTheCourseStartIsNotPrior() {
        FhirRecord record = rrmsPatient();
        fingolimod(record);
        record.statement(FhirRecord.rxnorm("1310520", "teriflunomide"), "intended", "2027-01-01", null);

        assertInfo(dmtCards(record), 1);
    }

    @Test
    void euProfileOnlyWarnsWithoutAnyDmtOrRes() {
        FhirRecord none = rrmsPatient();
        assertThat(dmtCards(none, "EU")).singleElement()
                .satisfies(card -> assertThat(card.summary()).isEqualTo(NO_DMT));

        FhirRecord one = rrmsPatient();
        fingolimod(one);
        assertThat(dmtCards(one, "EU")).isEmpty();

        FhirRecord res = rrmsPatient();
        res(res);
        assertThat(dmtCards(res, "EU")).isEmpty();
    }

    @Test
    void usProfileGivesInfoBelowTwoDmtsAndNeverTheEuWarning() {
        assertInfo(dmtCards(rrmsPatient(), "US"), 0);

        FhirRecord one = rrmsPatient();
        fingolimod(one);
        assertInfo(dmtCards(one, "US"), 1);

        FhirRecord two = rrmsPatient();
        fingolimod(two);
        natalizumab(two);
        assertThat(dmtCards(two, "US")).isEmpty();
    }

    @Test
    void laterCoursesAreNotRechecked() {
        FhirRecord record = rrmsPatient();
        previousCourse(record);

        assertThat(cardsOf(orderSign(record, TODAY), "ELIG-PRIOR-DMT")).isEmpty();
    }
}
