package org.alemcds.rules;

import static org.alemcds.rules.MonitoringFixtures.rule;
import static org.alemcds.rules.MonitoringFixtures.treatedFemale;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * §2.2: final, amended and corrected results decide; a preliminary result may add a warning that cites it and asks
 * for confirmation, but never makes a dangerous value vanish, and the card never quotes an older normal result instead.
 */
class PreliminaryResultTest {

    @Test
    void aDangerousPreliminaryPlateletCountAfterANormalFinalOneIsAWarningThatCitesIt() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 220, "10*9/L", "2025-06-01");
        record.observation("777-3", 40, "10*9/L", "2025-06-08").put("status", "preliminary");

        assertThat(rule(record, "2025-06-10", "MON-PLT")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).contains("Preliminary").contains("40").contains("2025-06-08").doesNotContain("220");
            assertThat(card.detail()).contains("confirm");
        });
    }

    @Test
    void aNormalPreliminaryCountNeverClearsALowFinalOne() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 60, "10*9/L", "2025-06-01");
        record.observation("777-3", 230, "10*9/L", "2025-06-08").put("status", "preliminary");

        assertThat(rule(record, "2025-06-10", "MON-PLT")).singleElement()
                .satisfies(card -> assertThat(card.indicator()).isEqualTo("critical"));
    }

    @Test
    void anOlderPreliminaryCountBeforeTheLatestFinalOneSaysNothing() {
        FhirRecord record = treatedFemale();
        record.observation("777-3", 40, "10*9/L", "2025-06-01").put("status", "preliminary");
        record.observation("777-3", 220, "10*9/L", "2025-06-08");

        assertThat(rule(record, "2025-06-10", "MON-PLT")).isEmpty();
    }

    // A preliminary test is read as a final one would be: outside the pregnancy window, or before a recorded delivery,
    // it shows no current pregnancy.
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPreliminaryPositivePregnancyTestOfAPastPregnancySaysNothing(boolean preliminary) {
        FhirRecord longAgo = FhirRecord.female("1990-04-02");
        ObjectNode old = longAgo.observation("2106-3", "positive", "2023-01-10");
        FhirRecord delivered = FhirRecord.female("1990-04-02");
        ObjectNode beforeDelivery = delivered.observation("2106-3", "positive", "2024-06-01");
        LabFixtures.condition(delivered, "Normal delivery of live infant", "2025-01-20");
        if (preliminary) {
            old.put("status", "preliminary");
            beforeDelivery.put("status", "preliminary");
        }
        for (FhirRecord record : List.of(longAgo, delivered)) {
            record.draftAlemtuzumab("2025-03-01", 5);
            assertThat(cardsOf(orderSign(record, "2025-02-28"), "CI-PREG")).isEmpty();
        }
    }

    @Test
    void aPreliminaryPositivePregnancyTestIsAWarningBeforeTheCourse() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.observation("2106-3", "positive", "2025-02-27").put("status", "preliminary");
        record.draftAlemtuzumab("2025-03-01", 5);

        assertThat(cardsOf(orderSign(record, "2025-02-28"), "CI-PREG")).singleElement().satisfies(card -> {
            assertThat(card.indicator()).isEqualTo("warning");
            assertThat(card.summary()).contains("Preliminary").contains("2025-02-27");
        });
    }
}
