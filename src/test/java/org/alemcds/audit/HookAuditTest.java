package org.alemcds.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.alemcds.cards.Card;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.HookException;
import org.alemcds.hooks.HookRequest;
import org.alemcds.operations.OperationsMetrics;
import org.alemcds.testing.FhirRecord;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** What one hook call leaves in the audit trail, with the database replaced by a list. */
class HookAuditTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    /** A repository that keeps records in memory, or fails like an unreachable database. */
    static final class Records extends HookCallRepository {
        final List<HookCallRecord> saved = new ArrayList<>();
        boolean down;

        Records() {
            super(null, null);
        }

        @Override
        public void save(HookCallRecord call) {
            if (down) {
                throw new DataAccessResourceFailureException("database down");
            }
            saved.add(call);
        }
    }

    private final Records records = new Records();
    private final HookAudit audit = new HookAudit(
            records, new PatientKeys(new AuditProperties("a-test-secret-a-test-secret-a-test")), Clock.fixed(NOW, ZoneOffset.UTC),
            OperationsMetrics.unregistered(new CdsProperties(null, null, null, null)));

    private static HookRequest request() throws Exception {
        FhirRecord record = FhirRecord.male("1985-02-03");
        return HookRequest.from(new ObjectMapper().readTree(record.hookRequest("patient-view").toString()));
    }

    private static Card card(String uuid, String ruleId, String indicator, String... suggestions) {
        return new Card(uuid, "s", "d", indicator,
                new Card.Source("Alemtuzumab CDS", new Card.Coding("http://alemcds.org/fhir/CodeSystem/rule", ruleId, "t")),
                java.util.Arrays.stream(suggestions).map(s -> new Card.Suggestion("l", s, List.of())).toList(),
                suggestions.length == 0 ? null : "any", List.of());
    }

    @Test
    void answeredCallRecordsEveryCardWithRuleIndicatorAndSuggestions() throws Exception {
        HookRequest request = request();
        audit.start("alemtuzumab-patient-view")
                .answered(request, List.of(card("c1", "rule-a", "warning", "s1", "s2"), card("c2", "rule-b", "info")));

        assertThat(records.saved).singleElement().satisfies(call -> {
            assertThat(call.calledAt()).isEqualTo(NOW);
            assertThat(call.serviceId()).isEqualTo("alemtuzumab-patient-view");
            assertThat(call.hookInstance()).isEqualTo(request.hookInstance());
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.errorClass()).isNull();
            assertThat(call.patientKey()).hasSize(64).doesNotContain(FhirRecord.PATIENT_ID);
            assertThat(call.cards()).containsExactly(
                    new HookCallRecord.IssuedCard("c1", "rule-a", "warning", List.of("s1", "s2")),
                    new HookCallRecord.IssuedCard("c2", "rule-b", "info", List.of()));
        });
    }

    @Test
    void failedCallsRecordTheirStatusAndErrorClass() throws Exception {
        audit.start("alemtuzumab-order-sign").failed(request(), HookException.dataUnavailable("no prefetch"));
        audit.start("alemtuzumab-order-sign").failed(null, HookException.badRequest("not JSON"));
        audit.start("alemtuzumab-order-sign").failed(null, new DataAccessResourceFailureException("down"));
        audit.start("alemtuzumab-order-sign").failed(null, new IllegalStateException("bug"));

        assertThat(records.saved).extracting(HookCallRecord::status).containsExactly(412, 400, 503, 500);
        assertThat(records.saved).extracting(HookCallRecord::errorClass)
                .containsExactly("HookException", "HookException", "DataAccessResourceFailureException", "IllegalStateException");
        assertThat(records.saved.get(1).hookInstance()).isNull();
        assertThat(records.saved.get(1).patientKey()).isNull();
        assertThat(records.saved).allSatisfy(call -> assertThat(call.cards()).isEmpty());
    }

    @Test
    void cardsThatCannotBeRecordedFailTheCallAndAFailedRecordNeverHidesTheError() throws Exception {
        records.down = true;
        HookAudit.Call call = audit.start("alemtuzumab-order-sign");

        assertThatThrownBy(() -> call.answered(request(), List.of(card("c1", "rule-c", "critical"))))
                .isInstanceOf(DataAccessResourceFailureException.class);
        call.failed(request(), new DataAccessResourceFailureException("down")); // does not throw
        assertThat(records.saved).isEmpty();
    }

    @Test
    void aCallIsRecordedOnce() throws Exception {
        HookAudit.Call call = audit.start("alemtuzumab-order-sign");
        call.answered(request(), List.of());
        call.failed(request(), new IllegalStateException("after the answer"));
        assertThat(records.saved).hasSize(1);
    }
}
