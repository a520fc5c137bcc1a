package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.orderSign;

import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

class PremedicationScratchTest {
    @Test
    void print() {
        FhirRecord record = FhirRecord.female("1990-01-01");
        record.draftAlemtuzumab("2026-03-02", 5);
        System.out.println("CARDS>>\n" + RuleHarness.describe(orderSign(record, "2026-03-01")));
    }
}
