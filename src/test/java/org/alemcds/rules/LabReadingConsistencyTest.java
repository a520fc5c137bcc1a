package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.LEMTRADA;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.alemcds.testing.RuleHarness.patientView;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One result, one reading (LabResults): every rule that reads a platelet count or a creatinine reads the same record
 * the same way, whatever unit spelling the laboratory used (UCUM or a common non-UCUM spelling).
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

    @Test
    void everyRuleReadsOneCreatinineTheSameWay() {
        // 3.0 mg/dL = 265.2 µmol/L (÷ 88.4) = 0.2652 mmol/L = 30 mg/L (eGFR < 30); baseline 0.8 mg/dL before course 1.
        Map<String, Double> spellings = new LinkedHashMap<>();
        spellings.put("mg/dL", 3.0);
        spellings.put("umol/L", 265.2);
        spellings.put("µmol/L", 265.2);
        spellings.put("μmol/l", 265.2);
        spellings.put("mmol/L", 0.2652);
        spellings.put("mg/L", 30.0);
        Pattern egfr = Pattern.compile("eGFR (\\d+)");
        Map<String, String> egfrByUnit = new LinkedHashMap<>();
        spellings.forEach((unit, value) -> {
            FhirRecord record = treatedAndOrdered();
            record.observation("2160-0", 0.8, "mg/dL", "2024-11-20");
            record.observation("2160-0", value, unit, "2025-02-25");

            var sign = orderSign(record, TODAY);
            var view = patientView(record, TODAY);
            assertThat(cardsOf(sign, "RCI-ORGAN")).as(unit + "\n" + describe(sign)).singleElement().satisfies(card -> {
                Matcher m = egfr.matcher(card.summary() + " " + card.detail());
                assertThat(m.find()).as(card.summary()).isTrue();
                egfrByUnit.put(unit, m.group(1));
            });
            assertThat(cardsOf(view, "MON-RENAL")).as(unit + "\n" + describe(view)).hasSize(1);
        });
        assertThat(egfrByUnit.values()).as(egfrByUnit.toString()).containsOnly(egfrByUnit.get("mg/dL"));
    }
}
