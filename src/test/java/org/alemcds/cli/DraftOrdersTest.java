package org.alemcds.cli;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.describe;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.alemcds.cards.Card;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The service's own draft order set ({@code fhir-resources/orders}, applied by {@link DraftOrders}) agrees with the
 * premedication rules: written for a course and evaluated with its alemtuzumab order, it raises no card asking for a
 * missing or different premedication, and each premedication order is what its rule suggests when the order is missing.
 * Course day 1 is 2026-03-02; course 1 then ends 2026-03-06, course 2 on 2026-03-04.
 */
class DraftOrdersTest {

    private static final String TODAY = "2026-02-20";
    private static final LocalDate DAY1 = LocalDate.parse("2026-03-02");
    /** The information the premedication family gives on every signed order, whatever is ordered. */
    private static final Set<String> STANDARD_INFORMATION = Set.of("PRE-LISTERIA", "PRE-OBSERVATION", "PRE-CONTRACEPTION");
    private static final DraftOrders DRAFT_ORDERS = new DraftOrders(RuleHarness.FHIR, RuleHarness.MAPPER);

    /** A 36-year-old woman's record holding the order set written for the course, without the order {@code left}. */
    private static FhirRecord withOrderSet(int course, String left) {
        FhirRecord record = FhirRecord.female("1990-01-01");
        DRAFT_ORDERS.write(FhirRecord.PATIENT_ID, DAY1, course, true).stream()
                .filter(order -> !order.path("id").asText().equals("draft-" + left))
                .forEach(record::draft);
        return record;
    }

    @ParameterizedTest(name = "course {0}: {1} infusions, {2} to {3}")
    @CsvSource({"1, 5, 2026-03-02, 2026-03-06", "2, 3, 2026-03-02, 2026-03-04"})
    void theOrderSetRaisesNoCardAskingForAPremedication(int course, int infusions, String first, String last) {
        FhirRecord record = withOrderSet(course, null);
        JsonNode alemtuzumab = record.drafts().get(0);
        assertThat(alemtuzumab.at("/dosageInstruction/0/timing/repeat/count").asInt()).isEqualTo(infusions);
        assertThat(alemtuzumab.at("/dosageInstruction/0/timing/repeat/boundsPeriod/start").asText()).isEqualTo(first);
        assertThat(alemtuzumab.at("/dosageInstruction/0/timing/repeat/boundsPeriod/end").asText()).isEqualTo(last);

        List<Card> cards = orderSign(record, TODAY);

        assertThat(cards.stream().flatMap(c -> c.ruleIds().stream()).filter(id -> id.startsWith("PRE-")))
                .as(describe(cards))
                .isNotEmpty()
                .allMatch(STANDARD_INFORMATION::contains);
    }

    /**
     * Left out, the order is what its rule then suggests: the same product, and wherever the suggestion is structured
     * the same dose, route, frequency and dates. (The H2 blocker is optional for the rule, which suggests nothing when it
     * alone is missing.)
     */
    @ParameterizedTest(name = "{0}: as {1} suggests")
    @CsvSource({
        "acyclovir, PRE-ANTIVIRAL",
        "methylprednisolone, PRE-STEROID",
        "cetirizine, PRE-ANTIHIST-ANTIPYRETIC",
        "paracetamol, PRE-ANTIHIST-ANTIPYRETIC",
    })
    void eachPremedicationIsWhatItsRuleSuggestsWhenItIsMissing(String order, String ruleId) {
        JsonNode written = DRAFT_ORDERS.write(FhirRecord.PATIENT_ID, DAY1, 1, true).stream()
                .filter(o -> o.path("id").asText().equals("draft-" + order))
                .findFirst().orElseThrow();

        List<Card> cards = orderSign(withOrderSet(1, order), TODAY);

        assertThat(cardsOf(cards, ruleId)).as(describe(cards)).hasSize(1);
        JsonNode suggested = cardsOf(cards, ruleId).get(0).suggestions().get(0).actions().get(0).resource();
        SoftAssertions.assertSoftly(softly -> {
            for (String element : List.of("/medicationCodeableConcept/coding/0/system", "/medicationCodeableConcept/coding/0/code",
                    "/dosageInstruction/0/doseAndRate/0/doseQuantity/value", "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
                    "/dosageInstruction/0/route/coding/0/code", "/dosageInstruction/0/timing/repeat/frequency",
                    "/dosageInstruction/0/timing/repeat/period", "/dosageInstruction/0/timing/repeat/periodUnit",
                    "/dosageInstruction/0/timing/repeat/boundsPeriod/start", "/dosageInstruction/0/timing/repeat/boundsPeriod/end")) {
                JsonNode expected = suggested.at(element);
                if (expected.isMissingNode()) {
                    continue;
                }
                JsonNode actual = written.at(element);
                if (expected.isNumber() && actual.isNumber()) {
                    softly.assertThat(actual.decimalValue()).as(element + " of the draft " + order)
                            .isEqualByComparingTo(expected.decimalValue());
                } else {
                    softly.assertThat(actual.asText()).as(element + " of the draft " + order).isEqualTo(expected.asText());
                }
            }
        });
    }

    @Test
    void aProductCodeThatLeavesItsValueSetStopsTheWriting(@TempDir Path dir) throws IOException {
        Path resources = dir.resolve("fhir-resources");
        for (String folder : List.of("orders", "valuesets")) {
            Files.createDirectories(resources.resolve(folder));
            try (var files = Files.list(Path.of("fhir-resources", folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, resources.resolve(folder).resolve(file.getFileName()));
                }
            }
        }
        Path acyclovir = resources.resolve("orders/ActivityDefinition-acyclovir.json");
        ObjectNode definition = (ObjectNode) RuleHarness.MAPPER.readTree(acyclovir.toFile());
        // a methylprednisolone code: not in the antiherpes value set the rules recognise acyclovir by
        ((ObjectNode) definition.at("/productCodeableConcept/coding/0")).put("code", "1743726");
        RuleHarness.MAPPER.writeValue(acyclovir.toFile(), definition);

        try (var loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            DraftOrders changed = new DraftOrders(RuleHarness.FHIR, RuleHarness.MAPPER, loader);

            assertThat(changed.write(FhirRecord.PATIENT_ID, DAY1, 1, false)).hasSize(1);
            assertThatThrownBy(() -> changed.write(FhirRecord.PATIENT_ID, DAY1, 1, true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ActivityDefinition-acyclovir.json")
                    .hasMessageContaining("1743726 is not in the value set it depends on");
        }
    }
}
