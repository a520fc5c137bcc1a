package org.alemcds.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes what is older than the retention period: hook calls and the cards they issued, with the feedback on those
 * cards (feedback is kept as long as its card, and goes with it), and the report's daily counts of those days.
 */
public class RetentionPurge {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Duration retention;
    private final Clock clock;

    public RetentionPurge(JdbcClient jdbc, TransactionTemplate transactions, Duration retention, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.retention = retention;
        this.clock = clock;
    }

    /** Purges everything issued before now minus the retention period; returns the number of hook calls deleted. */
    public int purge() {
        Instant cutoff = clock.instant().minus(retention);
        var before = cutoff.atOffset(ZoneOffset.UTC);
        Integer calls = transactions.execute(status -> {
            jdbc.sql("DELETE FROM accepted_suggestion WHERE feedback_id IN (SELECT id FROM feedback WHERE card_issued_at < ?)")
                    .param(before).update();
            jdbc.sql("DELETE FROM feedback WHERE card_issued_at < ?").param(before).update();
            jdbc.sql("""
                            DELETE FROM issued_card_rule WHERE card_uuid IN
                              (SELECT card_uuid FROM issued_card WHERE issued_at < ?)""").param(before).update();
            int cards = jdbc.sql("DELETE FROM issued_card WHERE issued_at < ?").param(before).update();
            int deleted = jdbc.sql("""
                            DELETE FROM hook_call WHERE called_at < ?
                              AND NOT EXISTS (SELECT 1 FROM issued_card c WHERE c.hook_call_id = hook_call.id)""")
                    .param(before).update();
            jdbc.sql("DELETE FROM issued_card_day WHERE issued_on < ?").param(before.toLocalDate()).update();
            if (deleted > 0 || cards > 0) {
                log.info("Retention purge: {} hook calls and {} issued cards older than {} deleted", deleted, cards, retention);
            }
            return deleted;
        });
        return calls == null ? 0 : calls;
    }
}
