package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** CI-EU-HTN (catalogue §4.2) and its §2.9 missing-data card. */
class EuHypertensionContraindicationTest {

    private static final String TODAY = "2026-11-21";
    private static final String START = "2026-12-01";
    private static final String RULE = "CI-EU-HTN";

    private static FhirRecord patient() {
        FhirRecord record = FhirRecord.male("1980-01-20");
        record.draftAlemtuzumab(START, 5);
        return record;
    }

    private static List<Card> cards(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), RULE);
    }

    /** A BP panel with systolic and diastolic components (mm[Hg]). */
    private static ObjectNode panel(FhirRecord record, double systolic, double diastolic, String when) {
        ObjectNode o = record.observation("0", 0, null, when);
        o.remove("valueQuantity");
        o.set("code", FhirRecord.text("Blood pressure panel"));
        ArrayNode components = o.putArray("component");
        component(components, "8480-6", systolic, "mm[Hg]");
        component(components, "8462-4", diastolic, "mm[Hg]");
        return o;
    }

    private static void component(ArrayNode components, String loinc, double value, String unit) {
        ObjectNode c = components.addObject();
        c.set("code", FhirRecord.concept(FhirRecord.LOINC, loinc, null));
        c.putObject("valueQuantity").put("value", value).put("unit", unit)
                .put("system", "http://unitsofmeasure.org").put("code", unit);
    }

    @Test
    void severeHypertensionIsCritical() {
        FhirRecord record = patient();
        panel(record, 165, 95, "2026-11-20T09:30:00Z");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).isEqualTo(
                    "BP 165/95 on 2026-11-20: uncontrolled hypertension is an EU contraindication to alemtuzumab.");
            assertThat(card.detail()).contains("165/95 mmHg").contains("service threshold");
        });
    }

    @Test
    void separateSystolicAndDiastolicObservationsArePaired() {
        FhirRecord record = patient();
        record.observation("8480-6", 150, "mm[Hg]", "2026-11-19T10:00:00Z");
        record.observation("8462-4", 85, "mm[Hg]", "2026-11-19T10:00:00Z");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "BP 150/85 on 2026-11-19 is raised: confirm hypertension is controlled before alemtuzumab (EU contraindication).");
        });
    }

    @Test
    void diastolicOf100AloneIsCritical() {
        FhirRecord record = patient();
        panel(record, 130, 100, "2026-11-19");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void upperEdgeOfTheWarningBandIsAWarning() {
        FhirRecord record = patient();
        panel(record, 159, 99, "2026-11-19");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.indicator()).isEqualTo("warning"));
    }

    @Test
    void normalBloodPressureIsSilent() {
        FhirRecord record = patient();
        panel(record, 139, 89, "2026-11-19");

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void onlyTheMostRecentReadingDecides() {
        FhirRecord record = patient();
        panel(record, 172, 104, "2026-11-10");
        panel(record, 128, 78, "2026-11-19");

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void latestReadingOfTheSameDayDecides() {
        FhirRecord record = patient();
        panel(record, 128, 78, "2026-11-19T08:00:00Z");
        panel(record, 162, 90, "2026-11-19T15:00:00Z");

        assertThat(cards(record)).singleElement().satisfies(card -> assertThat(card.summary()).startsWith("BP 162/90"));
    }

    @Test
    void kilopascalsAreConverted() {
        FhirRecord record = patient();
        record.observation("8480-6", 22, "kPa", "2026-11-19");
        record.observation("8462-4", 12, "kPa", "2026-11-19");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("BP 165/90 on 2026-11-19");
        });
    }

    @Test
    void readingExactly30DaysBeforeTheStartCounts() {
        FhirRecord record = patient();
        panel(record, 120, 80, "2026-11-01");

        assertThat(cards(record)).isEmpty();
    }

    @Test
    void noReadingWithin30DaysIsAMissingDataWarning() {
        FhirRecord record = patient();
        panel(record, 120, 80, "2026-10-31");
        record.condition("38341003", "Hypertensive disorder", "2018-01-01");

        assertThat(cards(record)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).isEqualTo(
                    "No blood pressure in last 30 days: cannot exclude uncontrolled hypertension (EU contraindication).");
            assertThat(card.detail()).contains("Cannot assess: missing blood pressure").contains("Hypertensive disorder");
            assertThat(card.suggestions()).singleElement().satisfies(s -> {
                assertThat(s.label()).isEqualTo("Record BP");
                assertThat(s.actions().get(0).resource().get("resourceType").asText()).isEqualTo("Task");
            });
        });
    }

    @Test
    void preliminaryOrEnteredInErrorReadingsAreNotUsed() {
        FhirRecord record = patient();
        panel(record, 180, 110, "2026-11-19").put("status", "entered-in-error");
        panel(record, 175, 105, "2026-11-20").put("status", "preliminary");

        assertThat(cards(record)).singleElement()
                .satisfies(card -> assertThat(card.summary()).startsWith("No blood pressure in last 30 days"));
    }

    @Test
    void usProfileSuppressesTheRuleAndEuProfileKeepsIt() {
        FhirRecord high = patient();
        panel(high, 170, 100, "2026-11-19");
        FhirRecord missing = patient();

        assertThat(cardsOf(call("order-sign", high, TODAY, "US"), RULE)).isEmpty();
        assertThat(cardsOf(call("order-sign", missing, TODAY, "US"), RULE)).isEmpty();
        assertThat(cardsOf(call("order-sign", high, TODAY, "EU"), RULE)).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

}
