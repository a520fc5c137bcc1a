package org.alemcds.rules;

import static org.alemcds.rules.SwitchingData.FINGOLIMOD;
import static org.alemcds.rules.SwitchingData.INTERFERON_BETA_1A;
import static org.alemcds.rules.SwitchingData.LEMTRADA;
import static org.alemcds.rules.SwitchingData.alc;
import static org.alemcds.rules.SwitchingData.stopped;
import static org.alemcds.rules.SwitchingData.wbc;
import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;

/**
 * The switching rules (§4.4) name the drug each card is about, with that drug's own dates, and apply only before
 * the first alemtuzumab infusion: an order that completes an interrupted first course is not a switch.
 */
class SwitchingScopeAndNamingTest {

    private static final ObjectNode GLATIRAMER = FhirRecord.rxnorm("214582", "glatiramer acetate");

    @Test
    void aDrugGroupCardNamesTheDrugTakenLastWithItsOwnDates() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        record.draftAlemtuzumab("2025-03-01", 5);
        stopped(record, GLATIRAMER, "2012-01-01", "2015-06-30"); // stopped years ago, listed first
        stopped(record, INTERFERON_BETA_1A, "2016-01-01", "2025-02-05");
        alc(record, 0.6, "10*9/L", "2025-02-10");
        wbc(record, 5.0, "10*9/L", "2025-02-10");

        var all = orderSign(record, "2025-02-20");
        assertThat(cardsOf(all, "SW-IFN-GA")).as(describe(all)).singleElement().satisfies(card -> {
            assertThat(card.summary()).startsWith("Switch from interferon beta-1a ");
            assertThat(card.detail()).contains("first exposure 2016-01-01").contains("documented end 2025-02-05")
                    .doesNotContain("2012-01-01").doesNotContain("2015-06-30");
        });
    }

    @Test
    void completingAnInterruptedFirstCourseIsNotASwitch() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        stopped(record, FINGOLIMOD, "2020-01-01", "2024-11-01");
        record.administration(LEMTRADA.deepCopy(), "2025-02-03");
        record.administration(LEMTRADA.deepCopy(), "2025-02-04");
        alc(record, 0.1, "10*9/L", "2025-02-10"); // the expected effect of the two infusions given
        record.draftAlemtuzumab("2025-02-20", 3);

        var all = orderSign(record, "2025-02-19");
        assertThat(all).as(describe(all)).noneMatch(card -> card.source().topic().code().startsWith("SW-")
                && !card.source().topic().code().equals("SW-CONCURRENT-DMT"));
    }

    @Test
    void theSameLowCountBeforeAnyInfusionIsStillASwitchingFinding() {
        FhirRecord record = FhirRecord.female("1990-04-02");
        stopped(record, FINGOLIMOD, "2020-01-01", "2024-11-01");
        alc(record, 0.1, "10*9/L", "2025-02-10");
        record.draftAlemtuzumab("2025-02-20", 5);

        assertThat(cardsOf(orderSign(record, "2025-02-19"), "SW-S1P")).hasSize(1);
    }
}
