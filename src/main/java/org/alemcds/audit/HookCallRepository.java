package org.alemcds.audit;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores hook-call audit records and the cards they issued, in one transaction per call. A card is one row (its
 * suggestions' uuids in it): each commit writes as few index pages as the lookups need.
 */
@Repository
public class HookCallRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    public HookCallRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    @Transactional
    public void save(HookCallRecord call) {
        KeyHolder key = new GeneratedKeyHolder();
        var calledAt = call.calledAt().atOffset(ZoneOffset.UTC);
        jdbc.sql("""
                        INSERT INTO hook_call (called_at, service_id, hook_instance, patient_key, http_status, error_class,
                                               latency_micros, card_count, client_issuer)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(calledAt, call.serviceId(), call.hookInstance(), call.patientKey(), call.status(),
                        call.errorClass(), call.latencyMicros(), call.cards().size(), call.clientIssuer())
                .update(key, "id");
        long callId = key.getKeyAs(Number.class).longValue();
        if (call.cards().isEmpty()) {
            return;
        }
        List<Object[]> cards = new ArrayList<>();
        List<Object[]> combinedRules = new ArrayList<>();
        for (HookCallRecord.IssuedCard card : call.cards()) {
            String suggestions = card.suggestionUuids().isEmpty() ? null : String.join(" ", card.suggestionUuids());
            cards.add(new Object[] {card.uuid(), callId, card.ruleId(), card.indicator(), calledAt, suggestions});
            if (card.ruleIds().size() > 1) { // a combined card: the rules it covers (a single-rule card is its rule_id)
                card.ruleIds().stream().distinct().forEach(r -> combinedRules.add(new Object[] {card.uuid(), r}));
            }
        }
        batch.batchUpdate("""
                INSERT INTO issued_card (card_uuid, hook_call_id, rule_id, indicator, issued_at, suggestion_uuids)
                VALUES (?, ?, ?, ?, ?, ?)""", cards);
        if (!combinedRules.isEmpty()) {
            batch.batchUpdate("INSERT INTO issued_card_rule (card_uuid, rule_id) VALUES (?, ?)", combinedRules);
        }
    }
}
