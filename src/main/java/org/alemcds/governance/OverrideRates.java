package org.alemcds.governance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Override rates per rule over the cards issued in a period. Each card counts once, by its latest feedback (latest
 * outcomeTimestamp, then latest received): accepted, overridden, or none (ignored, or not reported yet). The
 * override rate is overridden / issued. Override reasons count the distinct cards overridden with each coded reason;
 * free-text comments are never reported (they may name the patient).
 */
@Repository
public class OverrideRates {

    static final int TOP_REASONS = 5;

    private final JdbcClient jdbc;

    public OverrideRates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Reason(String system, String code, String display, long cards) {}

    public record RuleRate(
            String ruleId, long issued, long accepted, long overridden, double overrideRate, List<Reason> topOverrideReasons) {}

    /** The rules that issued cards in [from, to), by rule ID. */
    public List<RuleRate> between(Instant from, Instant to) {
        var start = from.atOffset(ZoneOffset.UTC);
        var end = to.atOffset(ZoneOffset.UTC);
        Map<String, List<Reason>> reasons = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT c.rule_id, f.reason_system, f.reason_code, MAX(f.reason_display) AS display,
                               COUNT(DISTINCT f.card_uuid) AS cards
                        FROM feedback f JOIN issued_card c ON c.card_uuid = f.card_uuid
                        WHERE f.outcome = 'overridden' AND f.reason_code IS NOT NULL
                          AND c.issued_at >= :from AND c.issued_at < :to
                        GROUP BY c.rule_id, f.reason_system, f.reason_code
                        ORDER BY c.rule_id, cards DESC, f.reason_code""")
                .param("from", start)
                .param("to", end)
                .query(rs -> {
                    List<Reason> list = reasons.computeIfAbsent(rs.getString("rule_id"), k -> new ArrayList<>());
                    if (list.size() < TOP_REASONS) {
                        list.add(new Reason(rs.getString("reason_system"), rs.getString("reason_code"),
                                rs.getString("display"), rs.getLong("cards")));
                    }
                });
        return jdbc.sql("""
                        WITH latest AS (
                            SELECT f.card_uuid, f.outcome,
                                   ROW_NUMBER() OVER (PARTITION BY f.card_uuid ORDER BY f.outcome_at DESC, f.id DESC) AS n
                            FROM feedback f JOIN issued_card c ON c.card_uuid = f.card_uuid
                            WHERE c.issued_at >= :from AND c.issued_at < :to)
                        SELECT c.rule_id,
                               COUNT(*) AS issued,
                               SUM(CASE WHEN l.outcome = 'accepted' THEN 1 ELSE 0 END) AS accepted,
                               SUM(CASE WHEN l.outcome = 'overridden' THEN 1 ELSE 0 END) AS overridden
                        FROM issued_card c LEFT JOIN latest l ON l.card_uuid = c.card_uuid AND l.n = 1
                        WHERE c.issued_at >= :from AND c.issued_at < :to
                        GROUP BY c.rule_id
                        ORDER BY c.rule_id""")
                .param("from", start)
                .param("to", end)
                .query((rs, row) -> {
                    long issued = rs.getLong("issued");
                    long overridden = rs.getLong("overridden");
                    return new RuleRate(
                            rs.getString("rule_id"),
                            issued,
                            rs.getLong("accepted"),
                            overridden,
                            issued == 0 ? 0.0 : Math.round(10_000.0 * overridden / issued) / 10_000.0,
                            reasons.getOrDefault(rs.getString("rule_id"), List.of()));
                })
                .list();
    }
}
