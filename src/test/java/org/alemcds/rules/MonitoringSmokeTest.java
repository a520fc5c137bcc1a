package org.alemcds.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

class MonitoringSmokeTest {
    @Test
    void smoke() {
        var record = MonitoringFixtures.treatedFemale();
        var cards = MonitoringFixtures.view(record, "2025-06-01");
        System.out.println(RuleHarness.describe(cards));
        cards.forEach(c -> System.out.println("----\n" + c.summary() + "\n" + c.detail()));
        assertThat(cards).isNotEmpty();
    }
}
