package org.alemcds.rules;

import static org.alemcds.rules.LabFixtures.START;
import static org.alemcds.rules.LabFixtures.TODAY;
import static org.alemcds.rules.LabFixtures.complete;
import static org.alemcds.rules.LabFixtures.female;
import static org.alemcds.rules.LabFixtures.male;
import static org.alemcds.rules.LabFixtures.report;
import static org.alemcds.rules.LabFixtures.routineLabs;
import static org.alemcds.rules.LabFixtures.serology;
import static org.alemcds.testing.RuleHarness.call;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSelect;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/** LAB-REQ (catalogue §4.5): the aggregated pre-course work-up card. */
class LabWorkupTest {

    private static List<Card> workup(FhirRecord record) {
        return cardsOf(orderSign(record, TODAY), "LAB-REQ");
    }

    private static Card single(FhirRecord record) {
        List<Card> cards = workup(record);
        assertThat(cards).hasSize(1);
        return cards.get(0);
    }

    private static JsonNode resourceOf(Card.Suggestion suggestion) {
        assertThat(suggestion.actions()).singleElement().satisfies(a -> assertThat(a.type()).isEqualTo("create"));
        return suggestion.actions().get(0).resource();
    }

    @Test
    void completeWorkupIsSilent() {
        assertThat(workup(complete(female()))).isEmpty();
        assertThat(workup(complete(male()))).isEmpty();
    }

    @Test
    void nothingOnRecordListsEveryRowInOneWarningCard() {
        Card card = single(male());

        assertThat(card.indicator()).isEqualTo("warning");
        // 14 rows for a man in the UNION profile: 9 routine rows (thyroid split in TSH and T3/fT4, UPCR [US]),
        // 4 serology/IGRA rows, skin exam [US]. HIV and VZV are handled by CI-HIV and LAB-VZV.
        assertThat(card.summary())
                .startsWith("Pre-course work-up incomplete: 14 missing/stale (CBC, LFTs, creatinine/eGFR, TSH, ")
                .endsWith(" more). Order before alemtuzumab.")
                .doesNotContain("HIV")
                .doesNotContain("VZV")
                .hasSizeLessThanOrEqualTo(140);
        assertThat(card.detail())
                .contains("| Item | Test | Last result | Age (days) | Status |")
                .contains("| CBC with differential | WBC | — | — | **missing** |")
                .contains("| Hepatitis B serology | Anti-HBc | — | — | **missing** |")
                .contains("| Baseline skin examination [US] | Skin examination | — | — | **missing** |")
                .doesNotContain("HPV screen");
        // the sources are the card's source and links, not a line of the detail
        assertThat(card.source().label()).startsWith("Hassoun et al. 2016");
        assertThat(card.links()).extracting(Card.Link::url).contains("https://www.lemtradahcp.com/");
        assertThat(card.suggestions()).hasSize(14);
        assertThat(card.selectionBehavior()).isEqualTo("any");
        assertThat(card.overrideReasons()).hasSize(3);

        JsonNode cbc = resourceOf(card.suggestions().get(0));
        assertThat(cbc.get("resourceType").asText()).isEqualTo("ServiceRequest");
        assertThat(cbc.at("/code/text").asText()).isEqualTo("CBC with differential: WBC, Lymphocytes (ALC), Platelets");
        assertThat(cbc.at("/subject/reference").asText()).isEqualTo("Patient/" + FhirRecord.PATIENT_ID);

        JsonNode tsh = resourceOf(card.suggestions().get(3));
        assertThat(tsh.at("/code/coding/0/system").asText()).isEqualTo(FhirRecord.LOINC);
        assertThat(tsh.at("/code/coding/0/code").asText()).isEqualTo("3016-3");

        JsonNode igra = resourceOf(card.suggestions().get(12));
        assertThat(igra.at("/code/coding/0/code").asText()).isEqualTo("71773-6");
    }

    @Test
    void womenAlsoNeedHpvScreening() {
        FhirRecord record = female();
        routineLabs(record, "2026-11-20");
        serology(record, "2026-11-20");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");

        Card card = single(record);

        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo("Pre-course work-up incomplete: 1 missing/stale (HPV/cytology). Order before alemtuzumab.");
        assertThat(card.suggestions()).singleElement()
                .satisfies(s -> assertThat(resourceOf(s).at("/code/coding/0/code").asText()).isEqualTo("30167-1"));
    }

    @Test
    void cervicalCytologyReportCompletesTheHpvRow() {
        FhirRecord record = female();
        routineLabs(record, "2026-11-20");
        serology(record, "2026-11-20");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");
        ObjectNode cytology = report(record, "Cervical cytology", "2026-03-01", "NILM");
        cytology.set("code", FhirRecord.concept(FhirRecord.LOINC, "10524-7", null));

        assertThat(workup(record)).isEmpty();
    }

    @Test
    void hpvTwelveMonthLimitIsInclusive() {
        FhirRecord onLimit = female();
        routineLabs(onLimit, "2026-11-20");
        serology(onLimit, "2026-11-20");
        LabFixtures.procedure(onLimit, "Full body skin examination", "2026-10-01");
        onLimit.observation("30167-1", "negative", "2025-12-01"); // START - 12 months

        FhirRecord tooOld = female();
        routineLabs(tooOld, "2026-11-20");
        serology(tooOld, "2026-11-20");
        LabFixtures.procedure(tooOld, "Full body skin examination", "2026-10-01");
        tooOld.observation("30167-1", "negative", "2025-11-30");

        assertThat(workup(onLimit)).isEmpty();
        assertThat(single(tooOld).detail()).contains("| HPV screen / cervical cytology | HPV test or cervical cytology | 2025-11-30 | 366 | **stale** (older than 12 months) |");
    }

    @Test
    void routineLabThirtyDayLimitIsInclusive() {
        FhirRecord onLimit = male();
        routineLabsExcept(onLimit, "2026-11-20", "2160-0", "33914-3");
        serology(onLimit, "2026-11-20");
        LabFixtures.procedure(onLimit, "Full body skin examination", "2026-10-01");
        onLimit.observation("2160-0", 0.9, "mg/dL", "2026-11-01"); // START - 30 days
        onLimit.observation("33914-3", 95, "mL/min/{1.73_m2}", "2026-11-01");

        FhirRecord stale = male();
        routineLabsExcept(stale, "2026-11-20", "2160-0");
        serology(stale, "2026-11-20");
        LabFixtures.procedure(stale, "Full body skin examination", "2026-10-01");
        stale.observation("2160-0", 0.9, "mg/dL", "2026-10-31"); // START - 31 days

        assertThat(workup(onLimit)).isEmpty();
        Card card = single(stale);
        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).isEqualTo("Pre-course work-up incomplete: 1 missing/stale (creatinine/eGFR). Order before alemtuzumab.");
        assertThat(card.detail()).contains("| Kidney panel | Creatinine | 2026-10-31 | 31 | **stale** (older than 30 days) |")
                .contains("| Kidney panel | eGFR | 2026-11-20 | 11 | current |");
        // only the creatinine is missing: one coded ServiceRequest
        assertThat(card.suggestions()).singleElement()
                .satisfies(s -> assertThat(resourceOf(s).at("/code/coding/0/code").asText()).isEqualTo("2160-0"));
    }

    @Test
    void infoItemsAloneGiveAnInfoCardAndEachMissingRowOneSuggestion() {
        FhirRecord record = male();
        routineLabsExcept(record, "2026-11-20", "1988-5", "4537-7", "3053-6");
        serology(record, "2026-11-20");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");

        Card card = single(record);

        assertThat(card.indicator()).isEqualTo("info");
        assertThat(card.summary()).isEqualTo("Pre-course work-up incomplete: 2 missing/stale (T3/fT4, CRP/ESR). Order before alemtuzumab.");
        assertThat(card.suggestions()).hasSize(2);
        assertThat(resourceOf(card.suggestions().get(0)).at("/code/coding/0/code").asText()).isEqualTo("3053-6");
        assertThat(resourceOf(card.suggestions().get(1)).at("/code/text").asText()).isEqualTo("CRP and ESR: CRP, ESR");
        assertThat(resourceOf(card.suggestions().get(1)).at("/code/coding").isMissingNode()).isTrue();
    }

    @Test
    void cardLevelIsTheHighestMissingLevel() {
        FhirRecord record = male();
        routineLabsExcept(record, "2026-11-20", "1988-5", "3016-3");
        serology(record, "2026-11-20");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");

        Card card = single(record);

        assertThat(card.indicator()).isEqualTo("warning");
        assertThat(card.summary()).contains("2 missing/stale (TSH, CRP/ESR)");
    }

    @Test
    void serologyNinetyDayLimitIsInclusiveForNegatives() {
        FhirRecord onLimit = male();
        routineLabs(onLimit, "2026-11-20");
        serologyExcept(onLimit, "2026-11-20", "16128-1");
        LabFixtures.procedure(onLimit, "Full body skin examination", "2026-10-01");
        onLimit.observation("16128-1", "negative", "2026-09-02"); // START - 90 days

        FhirRecord stale = male();
        routineLabs(stale, "2026-11-20");
        serologyExcept(stale, "2026-11-20", "16128-1");
        LabFixtures.procedure(stale, "Full body skin examination", "2026-10-01");
        stale.observation("16128-1", "negative", "2026-09-01");

        assertThat(workup(onLimit)).isEmpty();
        Card card = single(stale);
        assertThat(card.summary()).contains("1 missing/stale (HCV Ab)");
        assertThat(card.detail()).contains("| Hepatitis C antibody | HCV Ab | 2026-09-01 | 91 | **stale** (older than 90 days) |");
    }

    @Test
    void positiveSerologyNeverGoesStale() {
        FhirRecord record = male();
        routineLabs(record, "2026-11-20");
        serologyExcept(record, "2026-11-20", "16933-4", "71773-6");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");
        record.observation("16933-4", "positive", "2019-05-01");
        record.observation("71773-6", "positive", "2020-02-01");

        assertThat(workup(record)).isEmpty();
    }

    @Test
    void indeterminateIgraWithinNinetyDaysMustBeRepeated() {
        FhirRecord record = male();
        routineLabs(record, "2026-11-20");
        serologyExcept(record, "2026-11-20", "71773-6");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");
        record.observation("71773-6", "indeterminate", "2026-11-15");

        Card card = single(record);
        assertThat(card.summary()).contains("1 missing/stale (IGRA)");
        assertThat(card.detail()).contains("| IGRA (QuantiFERON) | IGRA | 2026-11-15 | 16 | **equivocal/indeterminate**: repeat |");
    }

    @Test
    void localQuantiferonCodeIsRecognisedByName() {
        FhirRecord record = male();
        routineLabs(record, "2026-11-20");
        serologyExcept(record, "2026-11-20", "71773-6");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");
        ObjectNode quantiferon = record.observation("71773-6", "negative", "2026-11-10");
        quantiferon.set("code", FhirRecord.concept("http://lab.example.org/codes", "QFT", "QuantiFERON-TB Gold Plus"));

        assertThat(workup(record)).isEmpty();
    }

    @Test
    void preliminaryAndEnteredInErrorResultsDoNotCount() {
        FhirRecord record = male();
        routineLabsExcept(record, "2026-11-20", "3016-3", "1742-6");
        serology(record, "2026-11-20");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");
        record.observation("3016-3", 1.8, "m[IU]/L", "2026-11-25").put("status", "preliminary");
        record.observation("1742-6", 22, "U/L", "2026-11-25").put("status", "entered-in-error");

        Card card = single(record);
        assertThat(card.summary()).contains("2 missing/stale (LFTs, TSH)");
        assertThat(card.detail()).contains("| Liver panel | ALT | — | — | **missing** |").contains("| TSH | TSH | — | — | **missing** |");
    }

    @Test
    void resultsAfterTheCourseStartDoNotCount() {
        FhirRecord record = male();
        routineLabsExcept(record, "2026-11-20", "3016-3");
        serology(record, "2026-11-20");
        LabFixtures.procedure(record, "Full body skin examination", "2026-10-01");
        record.observation("3016-3", 1.8, "m[IU]/L", "2026-12-02");

        assertThat(single(record).summary()).contains("1 missing/stale (TSH)");
    }

    @Test
    void countsInCellsPerMicrolitreAreInterpretedButUnknownUnitsAreNot() {
        FhirRecord perMicrolitre = male();
        routineLabsExcept(perMicrolitre, "2026-11-20", "777-3", "6690-2");
        serology(perMicrolitre, "2026-11-20");
        LabFixtures.procedure(perMicrolitre, "Full body skin examination", "2026-10-01");
        perMicrolitre.observation("777-3", 250000, "/uL", "2026-11-20");
        perMicrolitre.observation("6690-2", 6.1, "10*3/uL", "2026-11-20");

        FhirRecord unknownUnit = male();
        routineLabsExcept(unknownUnit, "2026-11-20", "777-3");
        serology(unknownUnit, "2026-11-20");
        LabFixtures.procedure(unknownUnit, "Full body skin examination", "2026-10-01");
        unknownUnit.observation("777-3", 250, "bananas", "2026-11-20");

        assertThat(workup(perMicrolitre)).isEmpty();
        Card card = single(unknownUnit);
        assertThat(card.summary()).contains("1 missing/stale (CBC)");
        assertThat(card.detail()).contains("| CBC with differential | Platelets | — | — | **cannot interpret unit** (treated as missing) |");
        assertThat(card.suggestions()).singleElement()
                .satisfies(s -> assertThat(resourceOf(s).at("/code/coding/0/code").asText()).isEqualTo("777-3"));
    }

    @Test
    void lymphocytePercentageNeedsAWbcFromTheSameSpecimen() {
        FhirRecord sameSpecimen = male();
        routineLabsExcept(sameSpecimen, "2026-11-20", "731-0");
        serology(sameSpecimen, "2026-11-20");
        LabFixtures.procedure(sameSpecimen, "Full body skin examination", "2026-10-01");
        sameSpecimen.observation("26474-7", 28, "%", "2026-11-20");

        FhirRecord otherTime = male();
        routineLabsExcept(otherTime, "2026-11-20", "731-0");
        serology(otherTime, "2026-11-20");
        LabFixtures.procedure(otherTime, "Full body skin examination", "2026-10-01");
        otherTime.observation("26474-7", 28, "%", "2026-11-18");

        assertThat(workup(sameSpecimen)).isEmpty();
        assertThat(single(otherTime).detail()).contains("| CBC with differential | Lymphocytes (ALC) | — | — | **cannot interpret unit** (treated as missing) |");
    }

    @Test
    void usRowsAreLeftOutInTheEuProfile() {
        FhirRecord record = male();
        routineLabsExcept(record, "2026-11-20", "2890-2");
        serology(record, "2026-11-20");

        assertThat(cardsOf(call("order-sign", record, TODAY, "EU"), "LAB-REQ")).isEmpty();
        assertThat(single(record).summary()).contains("2 missing/stale (UPCR, skin exam)");
        assertThat(cardsOf(call("order-sign", record, TODAY, "US"), "LAB-REQ")).singleElement()
                .satisfies(c -> assertThat(c.summary()).contains("2 missing/stale (UPCR, skin exam)"));
    }

    @Test
    void sameCardOnOrderSelect() {
        FhirRecord record = male();
        assertThat(cardsOf(orderSelect(record, TODAY), "LAB-REQ")).singleElement()
                .satisfies(c -> assertThat(c.summary()).startsWith("Pre-course work-up incomplete: 14 missing/stale"));
    }

    @Test
    void agesAreCountedFromThePlannedCourseStart() {
        FhirRecord record = male();
        record.observation("3016-3", 1.8, "m[IU]/L", "2026-11-21");
        assertThat(single(record).detail()).contains("| TSH | TSH | 2026-11-21 | 10 | current |");
        assertThat(START).isEqualTo("2026-12-01");
    }

    static void routineLabsExcept(FhirRecord record, String date, String... left) {
        FhirRecord scratch = FhirRecord.male("1985-06-15");
        routineLabs(scratch, date);
        List<String> skip = List.of(left);
        for (JsonNode entry : scratch.recordBundle().get("entry")) {
            JsonNode resource = entry.get("resource");
            if (resource.get("resourceType").asText().equals("Observation")
                    && !skip.contains(resource.at("/code/coding/0/code").asText())) {
                ObjectNode copy = ((ObjectNode) resource).deepCopy();
                copy.remove("id");
                record.add(copy);
            }
        }
    }

    static void serologyExcept(FhirRecord record, String date, String... left) {
        List<String> skip = List.of(left);
        for (String loinc : new String[] {"5196-1", "16933-4", "16128-1", "24110-9", "71773-6", "56888-1"}) {
            if (!skip.contains(loinc)) {
                record.observation(loinc, "negative", date);
            }
        }
    }
}
