package org.alemcds.rules;

import static org.alemcds.rules.PremedicationFixtures.DAY1;
import static org.alemcds.rules.PremedicationFixtures.TODAY;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/**
 * The premedication part of the standard info set (catalogue §2.8): PRE-OBSERVATION and PRE-LISTERIA always,
 * PRE-CONTRACEPTION for women of childbearing potential; on order-sign only, every course.
 */
class PremedicationStandardInfoTest {

    private static FhirRecord patient(FhirRecord record) {
        record.draftAlemtuzumab(DAY1, 5);
        return record;
    }

    @Test
    void orderSignCarriesObservationListeriaAndContraception() {
        var cards = orderSign(patient(FhirRecord.female("1990-01-01")), TODAY);

        assertThat(cardsOf(cards, "PRE-OBSERVATION")).as(describe(cards)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Infuse in a setting able to manage anaphylaxis/cardiac emergencies (EU: ICU access); observe 2 h after each infusion.");
            assertThat(card.detail()).contains("Planned infusions: 2026-03-02 to 2026-03-06").contains("temperature every 30 min");
            assertThat(card.source().label()).startsWith("LEMTRADA US Prescribing Information");
        });
        assertThat(cardsOf(cards, "PRE-LISTERIA")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Counsel Listeria precautions before the course: avoid raw-milk products, raw fish/meat, deli meats; heat foods.");
        });
        assertThat(cardsOf(cards, "PRE-CONTRACEPTION")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("info");
            assertThat(card.summary()).isEqualTo(
                    "Use effective contraception during the course and for 4 months after it; plan pregnancy ≥4 months after last infusion.");
            assertThat(card.detail()).contains("age 36").contains("at least until 2026-07-06");
        });
    }

    @Test
    void suggestionsOfOtherRulesCarryNoInstruction() {
        // rules that build suggestions without Common."With Instruction" get the bare resources as before
        var cards = orderSign(patient(FhirRecord.female("1990-01-01")), TODAY);
        var bare = cards.stream().filter(c -> !c.source().topic().code().startsWith("PRE-"))
                .flatMap(c -> c.suggestions().stream()).map(s -> s.actions().get(0).resource()).toList();
        assertThat(bare).isNotEmpty().allSatisfy(resource -> {
            assertThat(resource.has("note")).isFalse();
            assertThat(resource.has("dosageInstruction")).isFalse();
        });
    }

    @Test
    void orderSelectCarriesNoneOfThem() {
        var cards = orderSelect(patient(FhirRecord.female("1990-01-01")), TODAY);

        assertThat(cardsOf(cards, "PRE-OBSERVATION")).isEmpty();
        assertThat(cardsOf(cards, "PRE-LISTERIA")).isEmpty();
        assertThat(cardsOf(cards, "PRE-CONTRACEPTION")).isEmpty();
        assertThat(cardsOf(cards, "PRE-STEROID")).as("pre-course rules still run").hasSize(1);
    }

    @Test
    void everyCourseGetsTheStandardSet() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        PremedicationFixtures.course(record, "2025-01-06", 5);
        var cards = orderSign(patient(record), TODAY);

        assertThat(cardsOf(cards, "PRE-OBSERVATION")).hasSize(1);
        assertThat(cardsOf(cards, "PRE-LISTERIA")).hasSize(1);
        assertThat(cardsOf(cards, "PRE-CONTRACEPTION")).hasSize(1);
    }

    @Test
    void noContraceptionCardForMen() {
        var cards = orderSign(patient(FhirRecord.male("1990-01-01")), TODAY);

        assertThat(cardsOf(cards, "PRE-CONTRACEPTION")).isEmpty();
        assertThat(cardsOf(cards, "PRE-OBSERVATION")).hasSize(1);
        assertThat(cardsOf(cards, "PRE-LISTERIA")).hasSize(1);
    }

    @Test
    void contraceptionAgeLimitsAreInclusiveAtThePlannedStart() {
        // EvalDate 2026-03-02: born 1970-03-02 is 56; born 1970-03-03 is still 55; born 2014-03-02 is 12; 2014-03-03 is 11
        assertThat(cardsOf(orderSign(patient(FhirRecord.female("1970-03-03")), TODAY), "PRE-CONTRACEPTION")).hasSize(1);
        assertThat(cardsOf(orderSign(patient(FhirRecord.female("1970-03-02")), TODAY), "PRE-CONTRACEPTION")).isEmpty();
        assertThat(cardsOf(orderSign(patient(FhirRecord.female("2014-03-02")), TODAY), "PRE-CONTRACEPTION")).hasSize(1);
        assertThat(cardsOf(orderSign(patient(FhirRecord.female("2014-03-03")), TODAY), "PRE-CONTRACEPTION")).isEmpty();
    }

    @Test
    void documentedLossOfChildbearingPotentialSuppressesContraception() {
        FhirRecord hysterectomy = FhirRecord.female("1980-01-01");
        ObjectNode procedure = RuleHarness.MAPPER.createObjectNode();
        procedure.put("resourceType", "Procedure").put("status", "completed");
        procedure.set("code", FhirRecord.text("Total abdominal hysterectomy"));
        procedure.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        procedure.put("performedDateTime", "2019-05-01");
        hysterectomy.add(procedure);
        assertThat(cardsOf(orderSign(patient(hysterectomy), TODAY), "PRE-CONTRACEPTION")).isEmpty();

        FhirRecord menopause = FhirRecord.female("1975-01-01");
        menopause.condition("x", "x", "2024-01-01").set("code", FhirRecord.text("Menopause"));
        assertThat(cardsOf(orderSign(patient(menopause), TODAY), "PRE-CONTRACEPTION")).isEmpty();

        FhirRecord refuted = FhirRecord.female("1975-01-01");
        FhirRecord.verificationStatus(refuted.condition("x", "x", "2024-01-01"), "refuted").set("code", FhirRecord.text("Menopause"));
        assertThat(cardsOf(orderSign(patient(refuted), TODAY), "PRE-CONTRACEPTION")).hasSize(1);
    }
}
