package org.alemcds.rules;

import static org.alemcds.rules.MonitoringFixtures.definitions;
import static org.alemcds.rules.MonitoringFixtures.monthlyPanel;
import static org.alemcds.rules.SwitchingData.DIMETHYL_FUMARATE;
import static org.alemcds.rules.SwitchingData.FINGOLIMOD;
import static org.alemcds.rules.SwitchingData.INTERFERON_BETA_1A;
import static org.alemcds.rules.SwitchingData.LEMTRADA;
import static org.alemcds.rules.SwitchingData.TERIFLUNOMIDE;
import static org.alemcds.rules.SwitchingData.stopped;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.alemcds.testing.RuleHarness.patientView;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencds.cqf.cql.engine.runtime.Tuple;

/**
 * One result, one reading (LabResults): every rule that reads a platelet count, a lymphocyte count (ALC) or a
 * creatinine reads the same record the same way, whatever unit spelling the laboratory used (UCUM or a common
 * non-UCUM spelling; catalogue §2.5), and a count whose unit cannot be read is missing for all of them.
 */
class LabReadingConsistencyTest {

    private static final String TODAY = "2025-03-01";

    /** Course 1 given 2024-12-01..05; course 2 drafted for today. */
    private static FhirRecord treatedAndOrdered() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        for (int day = 1; day <= 5; day++) {
            record.administration(LEMTRADA.deepCopy(), "2024-12-0" + day);
        }
        record.draftAlemtuzumab(TODAY, 3);
        return record;
    }

    @ParameterizedTest(name = "platelets {0} {1}")
    @CsvSource({
        "80, 10*9/L", "80, 10^9/L", "80, 10*3/uL", "80, K/uL", "80, 10^3/µL", "80, G/L", "80, GPt/L", "80, /nL",
        "80000, /uL", "80000, cells/uL", "80000, /mm3", "80000, {cells}/uL",
    })
    void everyRuleReadsOnePlateletCountTheSameWay(double value, String unit) {
        FhirRecord record = treatedAndOrdered();
        record.observation("777-3", value, unit, "2025-02-25");

        var sign = orderSign(record, TODAY);
        var view = patientView(record, TODAY);
        assertThat(cardsOf(sign, "RCI-THROMBOCYTOPENIA")).as(describe(sign)).singleElement()
                .satisfies(card -> assertThat(card.summary()).contains("platelets 80"));
        assertThat(cardsOf(view, "MON-PLT")).as(describe(view)).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("critical");
            assertThat(card.summary()).startsWith("Platelets 80 ×10⁹/L");
        });
        assertThat(cardsOf(sign, "LAB-REQ")).allSatisfy(card -> assertThat(card.detail()).doesNotContain("cannot interpret"));
    }

    /** The eGFR RCI-ORGAN reads from 3.0 mg/dL (computed once): every other spelling must give the same. */
    private static String referenceEgfr;

    private static String egfrOf(FhirRecord record) {
        var sign = orderSign(record, TODAY);
        var card = cardsOf(sign, "RCI-ORGAN");
        assertThat(card).as(describe(sign)).hasSize(1);
        Matcher m = Pattern.compile("eGFR (\\d+)").matcher(card.get(0).summary() + " " + card.get(0).detail());
        assertThat(m.find()).as(card.get(0).summary()).isTrue();
        return m.group(1);
    }

    private static FhirRecord withCreatinine(double value, String unit) {
        FhirRecord record = treatedAndOrdered();
        record.observation("2160-0", 0.8, "mg/dL", "2024-11-20");
        record.observation("2160-0", value, unit, "2025-02-25");
        return record;
    }

    // 3.0 mg/dL = 265.2 µmol/L (÷ 88.4) = 0.2652 mmol/L = 30 mg/L (eGFR < 30); baseline 0.8 mg/dL before course 1.
    @ParameterizedTest(name = "creatinine {0} {1}")
    @CsvSource({"3.0, mg/dL", "265.2, umol/L", "265.2, µmol/L", "265.2, μmol/l", "0.2652, mmol/L", "30, mg/L"})
    void everyRuleReadsOneCreatinineTheSameWay(double value, String unit) {
        synchronized (LabReadingConsistencyTest.class) {
            if (referenceEgfr == null) {
                referenceEgfr = egfrOf(withCreatinine(3.0, "mg/dL"));
            }
        }
        FhirRecord record = withCreatinine(value, unit);

        assertThat(egfrOf(record)).as("RCI-ORGAN eGFR from " + value + " " + unit).isEqualTo(referenceEgfr);
        var sign = orderSign(record, TODAY);
        assertThat(cardsOf(sign, "LAB-REQ")).allSatisfy(card ->
                assertThat(card.detail()).containsPattern("\\| Creatinine \\| 2025-02-25 \\| \\d+ \\| current"));
        var view = patientView(record, TODAY);
        assertThat(cardsOf(view, "MON-RENAL")).as(unit + "\n" + describe(view)).hasSize(1);
        assertThat(((BigDecimal) definitions(record, TODAY, "patient-view", "MonitoringLabs", List.of("Latest Creatinine mg/dL"))
                .get("Latest Creatinine mg/dL")).doubleValue()).isCloseTo(3.0, within(0.001));
        assertThat(scheduleLastDate(record, "creatinine")).isEqualTo("2025-02-25");
    }

    @Test
    void aCreatinineWhoseUnitCannotBeReadIsMissingForEveryRule() {
        FhirRecord record = withCreatinine(3.0, "U/L");

        var sign = orderSign(record, TODAY);
        assertThat(cardsOf(sign, "RCI-ORGAN")).as(describe(sign)).singleElement()
                .satisfies(card -> assertThat(card.summary() + " " + card.detail()).contains("cannot interpret unit"));
        assertThat(cardsOf(sign, "LAB-REQ")).singleElement().satisfies(card -> assertThat(card.detail())
                .containsPattern("\\| Creatinine \\| 2024-11-20 \\| \\d+ \\| \\*\\*cannot interpret unit"));
        var view = patientView(record, TODAY);
        assertThat(cardsOf(view, "MON-RENAL")).as(describe(view)).isEmpty();
        assertThat(scheduleLastDate(record, "creatinine")).as("the baseline is the last readable creatinine").isEqualTo("2024-11-20");
    }

    /** The last date the monitoring schedule (MonitoringSchedule "Schedule") holds for one item. */
    private static String scheduleLastDate(FhirRecord record, String item) {
        Object schedule = definitions(record, TODAY, "patient-view", "MonitoringSchedule", List.of("Schedule")).get("Schedule");
        for (Object value : (Iterable<?>) schedule) {
            Map<String, Object> elements = ((Tuple) value).getElements();
            if (item.equals(elements.get("item"))) {
                return String.valueOf(elements.get("lastDate"));
            }
        }
        return null;
    }

    /** The switching rules that judge an ALC after the stop of their drug (catalogue §4.4), all in one record. */
    private static final List<String> ALC_SWITCHING_RULES = List.of("SW-FUMARATE-ALC", "SW-TERI-ALC", "SW-S1P", "SW-IFN-GA");

    /** Before course 1: four DMTs stopped on 2025-01-10, course planned from 2025-02-20. */
    private static FhirRecord switchingToAlemtuzumab() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        stopped(record, DIMETHYL_FUMARATE, "2023-06-01", "2025-01-10");
        stopped(record, TERIFLUNOMIDE, "2023-06-01", "2025-01-10");
        stopped(record, FINGOLIMOD, "2023-06-01", "2025-01-10");
        stopped(record, INTERFERON_BETA_1A, "2023-06-01", "2025-01-10");
        record.draftAlemtuzumab("2025-02-20", 5);
        return record;
    }

    /** The same lymphocyte count, 0.8 ×10⁹/L, in each spelling; "%" is 20% of a same-time WBC of 4.0 ×10⁹/L. */
    private static final String[] READABLE_ALC = {
        "0.8, 10*9/L", "0.8, 10^9/L", "0.8, G/L", "0.8, GPt/L", "0.8, /nL", "0.8, 10*3/uL", "0.8, K/uL", "0.8, 10^3/µL",
        "800, /uL", "800, cells/uL", "800, {cells}/uL", "800, /mm3", "20, %",
    };

    @ParameterizedTest(name = "ALC {0} {1}")
    @CsvSource({
        "0.8, 10*9/L", "0.8, 10^9/L", "0.8, G/L", "0.8, GPt/L", "0.8, /nL", "0.8, 10*3/uL", "0.8, K/uL", "0.8, 10^3/µL",
        "800, /uL", "800, cells/uL", "800, {cells}/uL", "800, /mm3", "20, %",
        // Unreadable (§2.5: treated as missing): an unknown unit, a percentage without a same-time WBC.
        "0.8, mg/dL", "20, %no-wbc",
    })
    void everyRuleReadsOneLymphocyteCountTheSameWay(double value, String spelling) {
        boolean readable = List.of(READABLE_ALC).contains((value == 20 || value == 800 ? String.valueOf((int) value) : String.valueOf(value)) + ", " + spelling);
        String unit = spelling.equals("%no-wbc") ? "%" : spelling;

        // Before course 1: the switching ALC rules and the work-up (LAB-REQ) read the count.
        FhirRecord switching = switchingToAlemtuzumab();
        switching.observation("731-0", value, unit, "2025-02-03");
        if (spelling.equals("%")) {
            switching.observation("6690-2", 4.0, "10*9/L", "2025-02-03");
        }
        var sign = orderSign(switching, "2025-02-01");
        for (String rule : ALC_SWITCHING_RULES) {
            var cards = assertThat(cardsOf(sign, rule)).as(rule + " " + spelling + "\n" + describe(sign));
            if (!readable && rule.equals("SW-IFN-GA")) {
                cards.isEmpty(); // its header: a CBC whose unit cannot be interpreted is left to LAB-REQ
            } else {
                cards.singleElement().satisfies(card -> assertThat(card.summary() + " " + card.detail())
                        .containsPattern(readable ? "ALC 0\\.80? ×10⁹/L" : "cannot interpret unit"));
            }
        }
        assertThat(cardsOf(sign, "LAB-REQ")).singleElement().satisfies(card -> assertThat(card.detail())
                .containsPattern("\\| Lymphocytes \\(ALC\\) \\| " + (readable ? "2025-02-03 \\| \\d+ \\| current" : "— \\| — \\| \\*\\*cannot interpret unit")));

        // After a course: the monitoring schedule counts a CBC as done only when its lymphocyte count can be read.
        FhirRecord treated = FhirRecord.male("1985-06-10");
        for (int day = 1; day <= 5; day++) {
            treated.administration(LEMTRADA.deepCopy(), "2024-12-0" + day);
        }
        monthlyPanel(treated, "2025-01-20");
        treated.observation("6690-2", 4.0, "10*9/L", "2025-02-20");
        treated.observation("777-3", 240, "10*9/L", "2025-02-20");
        var lymphocytes = treated.observation("731-0", value, unit, "2025-02-20");
        if (spelling.equals("%no-wbc")) {
            lymphocytes.put("effectiveDateTime", "2025-02-20T10:30:00Z"); // not the WBC's specimen time
        }
        assertThat(scheduleLastDate(treated, "CBC")).isEqualTo(readable ? "2025-02-20" : "2025-01-20");
    }

    @ParameterizedTest(name = "TSH {0} {1} range {2}-{3} flag {4}: out of range {5}")
    @CsvSource({
        "0.1, mIU/L, , , , true", "2.0, mIU/L, , , , false", "0.1, uIU/mL, , , , true", "6.0, mU/L, , , , true",
        "2.0, mIU/L, 2.5, 5.0, , true", "6.0, mIU/L, 0.3, 8.0, , false", "3.0, pmol/L, , , H, true",
        // a unit that is not a TSH unit, without a range or a flag: neither rule judges it
        "0.1, pmol/L, , , , false",
    })
    void theThyroidCautionAndTheMonitoringReadOneTshTheSameWay(double value, String unit, Double low, Double high,
            String flag, boolean outOfRange) {
        FhirRecord record = treatedAndOrdered();
        var tsh = record.observation("3016-3", value, unit, "2025-02-25");
        if (low != null) {
            var range = tsh.putArray("referenceRange").addObject();
            range.putObject("low").put("value", low).put("unit", unit);
            range.putObject("high").put("value", high).put("unit", unit);
        }
        if (flag != null) {
            tsh.putArray("interpretation").addObject().putArray("coding").addObject()
                    .put("system", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation").put("code", flag);
        }

        var sign = orderSign(record, TODAY);
        var view = patientView(record, TODAY);
        assertThat(cardsOf(sign, "RCI-THYROID")).as(describe(sign)).hasSize(outOfRange ? 1 : 0);
        assertThat(cardsOf(view, "MON-THYROID-ABN")).as(describe(view)).hasSize(outOfRange ? 1 : 0);
    }
}
