package org.alemcds.rules;

import static org.alemcds.rules.MonitoringFixtures.allMonitoringDone;
import static org.alemcds.rules.MonitoringFixtures.definitions;
import static org.alemcds.rules.MonitoringFixtures.treatedMale;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencds.cqf.cql.engine.runtime.Tuple;

/**
 * The worklist's signals (MonitoringSchedule "Signals") are the patient-view cards (MonitoringChecks "Cards") of the
 * abnormal-result rules
 * (MON-PLT, MON-RENAL, MON-THYROID-ABN, MON-CYTOPENIA), rule and indicator alike, and each states its finding
 * with the value; the worklist reads them as data, never a card's text.
 */
class MonitoringSignalsTest {

    static final String TODAY = "2026-06-01";
    static final String DRAWN = "2026-05-25";
    static final Set<String> SIGNAL_RULES = Set.of("MON-PLT", "MON-RENAL", "MON-THYROID-ABN", "MON-CYTOPENIA");

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("nothing abnormal", (Consumer<FhirRecord>) r -> {}, Set.of(), ""),
                Arguments.of("platelets below 100", (Consumer<FhirRecord>) r -> r.observation("777-3", 85, "10*9/L", DRAWN),
                        Set.of("MON-PLT critical"), "Platelets 85 ×10⁹/L (2026-05-25)"),
                Arguments.of("platelets below the lower limit", (Consumer<FhirRecord>) r -> r.observation("777-3", 120, "10*9/L", DRAWN),
                        Set.of("MON-PLT warning"), "Platelets 120 ×10⁹/L (2026-05-25)"),
                Arguments.of("preliminary low platelets", (Consumer<FhirRecord>) r ->
                                r.observation("777-3", 60, "10*9/L", DRAWN).put("status", "preliminary"),
                        Set.of("MON-PLT warning"), "Preliminary platelets 60 ×10⁹/L (2026-05-25)"),
                Arguments.of("creatinine rise with hematuria", (Consumer<FhirRecord>) r -> {
                            r.observation("2160-0", 0.8, "mg/dL", "2025-02-20");
                            r.observation("2160-0", 1.4, "mg/dL", DRAWN);
                            r.observation("5794-3", "2+", DRAWN);
                        },
                        Set.of("MON-RENAL critical"), "creatinine 1.4 mg/dL (2026-05-25)"),
                Arguments.of("high TSH", (Consumer<FhirRecord>) r -> r.observation("3016-3", 8.2, "mIU/L", DRAWN),
                        Set.of("MON-THYROID-ABN warning"), "TSH 8.2 mIU/L (2026-05-25), above range"),
                Arguments.of("low leukocytes", (Consumer<FhirRecord>) r -> r.observation("6690-2", 2.5, "10*9/L", DRAWN),
                        Set.of("MON-CYTOPENIA warning"), "WBC 2.5 ×10⁹/L (2026-05-25)"),
                Arguments.of("preliminary creatinine rise", (Consumer<FhirRecord>) r -> {
                            r.observation("2160-0", 0.8, "mg/dL", "2025-02-20");
                            r.observation("2160-0", 1.4, "mg/dL", DRAWN).put("status", "preliminary");
                        },
                        Set.of("MON-RENAL warning"), "Preliminary creatinine 1.4 mg/dL (2026-05-25)"),
                Arguments.of("preliminary new hematuria", (Consumer<FhirRecord>) r ->
                                r.observation("13945-1", 9, "/[HPF]", DRAWN).put("status", "preliminary"),
                        Set.of("MON-RENAL warning"), "Preliminary urine RBC 9 /HPF (2026-05-25)"),
                Arguments.of("preliminary high TSH", (Consumer<FhirRecord>) r ->
                                r.observation("3016-3", 8.2, "mIU/L", DRAWN).put("status", "preliminary"),
                        Set.of("MON-THYROID-ABN warning"), "Preliminary TSH 8.2 mIU/L (2026-05-25)"),
                Arguments.of("preliminary low leukocytes", (Consumer<FhirRecord>) r ->
                                r.observation("6690-2", 2500, "/uL", DRAWN).put("status", "preliminary"),
                        Set.of("MON-CYTOPENIA warning"), "Preliminary WBC 2.5 ×10⁹/L (2026-05-25)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void signalsAreTheAbnormalResultCards(String name, Consumer<FhirRecord> results, Set<String> expected, String finding) {
        FhirRecord record = treatedMale();
        allMonitoringDone(record, "2026-05-10");
        results.accept(record);

        Set<String> fromCards = new TreeSet<>();
        for (Object card : (Iterable<?>) definitions(record, TODAY, "patient-view", "MonitoringChecks", List.of("Cards")).get("Cards")) {
            Map<String, Object> c = ((Tuple) card).getElements();
            if (SIGNAL_RULES.contains(c.get("ruleId"))) {
                fromCards.add(c.get("ruleId") + " " + c.get("indicator"));
            }
        }
        Object signals = definitions(record, TODAY, "patient-view", "MonitoringSchedule", List.of("Signals")).get("Signals");
        Set<String> fromSignals = new TreeSet<>();
        StringBuilder findings = new StringBuilder();
        for (Object signal : (Iterable<?>) signals) {
            Map<String, Object> s = ((Tuple) signal).getElements();
            fromSignals.add(s.get("ruleId") + " " + s.get("indicator"));
            findings.append(s.get("finding")).append('\n');
        }

        assertThat(fromSignals).isEqualTo(fromCards).isEqualTo(new TreeSet<>(expected));
        assertThat(findings.toString()).contains(finding);
    }
}
