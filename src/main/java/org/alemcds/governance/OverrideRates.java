package org.alemcds.governance;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Override rates per rule over the cards issued in a period. Each card counts once, by its latest feedback (latest
 * outcomeTimestamp, then latest received): accepted, overridden, or none (ignored, or not reported yet). The
 * override rate is overridden / issued. Override reasons count the distinct cards overridden with each coded reason;
 * free-text comments are never reported (they may name the patient). A combined card (a course checklist, a work-up)
 * counts under its own topic and once for each rule it covers ({@code issued_card_rule}), its feedback likewise.
 *
 * <p>Aggregated in the database and indexed: issued cards of whole past days come from per-day counts
 * ({@code issued_card_day}), the rest from {@code issued_card} by its {@code issued_at} index, and outcomes from the
 * feedback rows alone (each carries its card's rule and issue time), so a report over a million cards reads a few
 * thousand rows.
 */
@Repository
public class OverrideRates {

    static final int TOP_REASONS = 5;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public OverrideRates(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    public record Reason(String system, String code, String display, long cards) {}

    public record RuleRate(
            String ruleId, long issued, long accepted, long overridden, double overrideRate, List<Reason> topOverrideReasons) {}

    /** The rules that issued cards in [from, to), by rule ID. */
    public List<RuleRate> between(Instant from, Instant to) {
        var start = from.atOffset(ZoneOffset.UTC);
        var end = to.atOffset(ZoneOffset.UTC);
        Map<String, long[]> counts = new TreeMap<>(); // rule ID -> issued, accepted, overridden
        issued(from, to).forEach((rule, n) -> counts.computeIfAbsent(rule, k -> new long[3])[0] += n);
        // each card once, by its latest feedback; only cards with feedback have rows here
        jdbc.sql("""
                        WITH latest AS (
                            SELECT f.card_uuid, f.rule_id, f.outcome,
                                   ROW_NUMBER() OVER (PARTITION BY f.card_uuid ORDER BY f.outcome_at DESC, f.id DESC) AS n
                            FROM feedback f
                            WHERE f.card_issued_at >= :from AND f.card_issued_at < :to),
                        counted AS (
                            SELECT rule_id, outcome FROM latest WHERE n = 1
                            UNION ALL
                            SELECT r.rule_id, l.outcome FROM latest l
                            JOIN issued_card_rule r ON r.card_uuid = l.card_uuid WHERE l.n = 1)
                        SELECT rule_id,
                               SUM(CASE WHEN outcome = 'accepted' THEN 1 ELSE 0 END) AS accepted,
                               SUM(CASE WHEN outcome = 'overridden' THEN 1 ELSE 0 END) AS overridden
                        FROM counted
                        GROUP BY rule_id""")
                .param("from", start)
                .param("to", end)
                .query(rs -> {
                    long[] c = counts.computeIfAbsent(rs.getString("rule_id"), k -> new long[3]);
                    c[1] += rs.getLong("accepted");
                    c[2] += rs.getLong("overridden");
                });
        Map<String, List<Reason>> reasons = new LinkedHashMap<>();
        jdbc.sql("""
                        WITH overrides AS (
                            SELECT f.rule_id, f.card_uuid, f.reason_system, f.reason_code, f.reason_display
                            FROM feedback f
                            WHERE f.outcome = 'overridden' AND f.reason_code IS NOT NULL
                              AND f.card_issued_at >= :from AND f.card_issued_at < :to),
                        counted AS (
                            SELECT * FROM overrides
                            UNION ALL
                            SELECT r.rule_id, o.card_uuid, o.reason_system, o.reason_code, o.reason_display
                            FROM overrides o JOIN issued_card_rule r ON r.card_uuid = o.card_uuid)
                        SELECT rule_id, reason_system, reason_code, MAX(reason_display) AS display,
                               COUNT(DISTINCT card_uuid) AS cards
                        FROM counted
                        GROUP BY rule_id, reason_system, reason_code
                        ORDER BY rule_id, cards DESC, reason_code""")
                .param("from", start)
                .param("to", end)
                .query(rs -> {
                    List<Reason> list = reasons.computeIfAbsent(rs.getString("rule_id"), k -> new ArrayList<>());
                    if (list.size() < TOP_REASONS) {
                        list.add(new Reason(rs.getString("reason_system"), rs.getString("reason_code"),
                                rs.getString("display"), rs.getLong("cards")));
                    }
                });
        List<RuleRate> rates = new ArrayList<>();
        counts.forEach((rule, c) -> {
            if (c[0] > 0) {
                rates.add(new RuleRate(rule, c[0], c[1], c[2],
                        Math.round(10_000.0 * c[2] / c[0]) / 10_000.0, reasons.getOrDefault(rule, List.of())));
            }
        });
        return rates;
    }

    /**
     * Cards issued per rule in [from, to): whole UTC days that are over from the daily counts, counted once and
     * kept; the partial days at either end, and today, from the cards themselves.
     */
    private Map<String, Long> issued(Instant from, Instant to) {
        Map<String, Long> issued = new HashMap<>();
        LocalDate firstWhole = LocalDate.ofInstant(from.minusNanos(1), ZoneOffset.UTC).plusDays(1);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate wholeEnd = min(LocalDate.ofInstant(to, ZoneOffset.UTC), today); // days [firstWhole, wholeEnd)
        if (!firstWhole.isBefore(wholeEnd)) {
            countCards(from, to, issued);
            return issued;
        }
        countDays(firstWhole, wholeEnd);
        jdbc.sql("""
                        SELECT rule_id, SUM(cards) AS cards FROM issued_card_day
                        WHERE issued_on >= ? AND issued_on < ? AND rule_id <> '*' GROUP BY rule_id""")
                .params(firstWhole, wholeEnd)
                .query(rs -> {
                    issued.merge(rs.getString(1), rs.getLong(2), Long::sum);
                });
        countCards(from, startOf(firstWhole), issued);
        countCards(startOf(wholeEnd), to, issued);
        return issued;
    }

    private void countCards(Instant from, Instant to, Map<String, Long> into) {
        if (!from.isBefore(to)) {
            return;
        }
        jdbc.sql("""
                        SELECT rule_id, COUNT(*) FROM issued_card WHERE issued_at >= ? AND issued_at < ?
                        GROUP BY rule_id""")
                .params(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))
                .query(rs -> {
                    into.merge(rs.getString(1), rs.getLong(2), Long::sum);
                });
        jdbc.sql("""
                        SELECT r.rule_id, COUNT(*) FROM issued_card_rule r
                        JOIN issued_card c ON c.card_uuid = r.card_uuid
                        WHERE c.issued_at >= ? AND c.issued_at < ? GROUP BY r.rule_id""")
                .params(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))
                .query(rs -> {
                    into.merge(rs.getString(1), rs.getLong(2), Long::sum);
                });
    }

    /** Makes sure the daily counts of the days [from, to), all over, are stored. */
    public void countDays(LocalDate from, LocalDate to) {
        Set<LocalDate> counted = new HashSet<>(jdbc.sql(
                        "SELECT issued_on FROM issued_card_day WHERE rule_id = '*' AND issued_on >= ? AND issued_on < ?")
                .params(from, to)
                .query(LocalDate.class)
                .list());
        for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
            if (counted.contains(day)) {
                continue;
            }
            LocalDate d = day;
            try {
                transactions.executeWithoutResult(status -> {
                    var start = startOf(d).atOffset(ZoneOffset.UTC);
                    var end = startOf(d.plusDays(1)).atOffset(ZoneOffset.UTC);
                    jdbc.sql("""
                                    INSERT INTO issued_card_day (issued_on, rule_id, cards)
                                    SELECT CAST(? AS DATE), rule_id, SUM(n) FROM (
                                        SELECT rule_id, COUNT(*) AS n FROM issued_card
                                        WHERE issued_at >= ? AND issued_at < ? GROUP BY rule_id
                                        UNION ALL
                                        SELECT r.rule_id, COUNT(*) AS n FROM issued_card_rule r
                                        JOIN issued_card c ON c.card_uuid = r.card_uuid
                                        WHERE c.issued_at >= ? AND c.issued_at < ? GROUP BY r.rule_id) per_rule
                                    GROUP BY rule_id""")
                            .params(d, start, end, start, end)
                            .update();
                    jdbc.sql("""
                                    INSERT INTO issued_card_day (issued_on, rule_id, cards)
                                    SELECT CAST(? AS DATE), '*', COUNT(*) FROM issued_card
                                    WHERE issued_at >= ? AND issued_at < ?""")
                            .params(d, start, end)
                            .update();
                });
            } catch (DuplicateKeyException e) {
                // a concurrent report counted this day first
            }
        }
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
