package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.LEMTRADA;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.alemcds.testing.RuleHarness.patientView;
import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One quantitative hCG, one reading (§4.2, §4.5, §4.8): CI-PREG, LAB-HCG and MON-PREG read the same result the same
 * way in every unit a laboratory writes (UCUM or a common non-UCUM spelling). Positive ≥ 25 IU/L, negative < 5 IU/L,
 * between: indeterminate (DEFAULT assay cut-offs).
 */
class HcgReadingConsistencyTest {

    private static final String TODAY = "2025-03-01";

    /** Course 1 given 2024-12-01..05; a second course drafted for today; one serum hCG yesterday. */
    private static FhirRecord record(double value, String unit) {
        FhirRecord record = FhirRecord.female("1990-04-02");
        for (int day = 1; day <= 5; day++) {
            record.administration(LEMTRADA.deepCopy(), "2024-12-0" + day);
        }
        record.observation("19080-1", value, unit, "2025-02-28");
        record.draftAlemtuzumab(TODAY, 3);
        return record;
    }

    @ParameterizedTest(name = "{0} {1} reads {2}")
    @CsvSource({
        "300, m[IU]/mL, positive", "2, m[IU]/mL, negative", "12, m[IU]/mL, indeterminate",
        "300, [IU]/L, positive", "2, [IU]/L, negative", "12, [IU]/L, indeterminate",
        "300, mIU/mL, positive", "2, mIU/mL, negative",
        "300, IU/L, positive", "2, IU/L, negative",
        "300, mU/mL, positive", "2, mU/mL, negative",
        "300, U/L, positive", "2, U/L, negative",
        "0.3, [IU]/mL, positive", "0.002, [IU]/mL, negative",
        "0.3, IU/mL, positive", "0.002, IU/mL, negative", "0.012, IU/mL, indeterminate",
        "300000, m[IU]/L, positive", "2000, m[IU]/L, negative",
    })
    void everyRuleReadsTheSameHcgTheSameWay(double value, String unit, String reading) {
        FhirRecord record = record(value, unit);
        var sign = orderSign(record, TODAY);
        var view = patientView(record, TODAY);

        boolean positive = reading.equals("positive");
        boolean negative = reading.equals("negative");
        assertThat(cardsOf(sign, "CI-PREG")).as("CI-PREG\n" + describe(sign)).hasSize(positive ? 1 : 0);
        // LAB-HCG: silent when the test is negative (done) or positive (CI-PREG speaks); asks for a test otherwise.
        assertThat(cardsOf(sign, "LAB-HCG")).as("LAB-HCG\n" + describe(sign)).hasSize(positive || negative ? 0 : 1);
        assertThat(cardsOf(view, "MON-PREG")).as("MON-PREG\n" + describe(view)).hasSize(positive ? 1 : 0);
    }
}
