package org.alemcds.feedback;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.alemcds.hooks.HookException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores feedback items, all of a request or none, in one transaction that has committed before the caller
 * answers. Each item must name a card this service issued (and, when accepted, suggestions of that card); an item
 * identical to one already stored is not stored again.
 */
@Repository
public class FeedbackRepository {

    /** How often a request is retried when a concurrent request stored an identical item first. */
    private static final int ATTEMPTS = 3;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public FeedbackRepository(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What a request changed: items stored, and items that were already stored (or repeated in the request). */
    public record Result(int recorded, int duplicates) {}

    /**
     * Records the items sent to the service {@code serviceId} by the client {@code clientIssuer} (the JWT issuer when
     * client authentication is on, else null): each card must have been issued by that service to that client.
     */
    public Result record(String serviceId, String clientIssuer, List<FeedbackItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> recordOnce(serviceId, clientIssuer, items));
            } catch (DuplicateKeyException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                // an identical item was stored concurrently: the next attempt sees it as a duplicate
            }
        }
    }

    /** An issued card as feedback needs it: who it was issued by and to, its suggestions, rule and time. */
    private record IssuedCard(String serviceId, String clientIssuer, Set<String> suggestions, String ruleId,
            OffsetDateTime issuedAt) {}

    private Result recordOnce(String serviceId, String clientIssuer, List<FeedbackItem> items) {
        Set<String> cardUuids = new LinkedHashSet<>();
        items.forEach(item -> cardUuids.add(item.card()));
        Map<String, IssuedCard> cards = new HashMap<>();
        if (!cardUuids.isEmpty()) {
            jdbc.sql("""
                            SELECT c.card_uuid, h.service_id, h.client_issuer, c.suggestion_uuids, c.rule_id, c.issued_at
                            FROM issued_card c JOIN hook_call h ON h.id = c.hook_call_id
                            WHERE c.card_uuid IN (:cards)""")
                    .param("cards", cardUuids)
                    .query(rs -> {
                        String suggestions = rs.getString(4);
                        cards.put(rs.getString(1), new IssuedCard(rs.getString(2), rs.getString(3),
                                suggestions == null ? Set.of() : Set.of(suggestions.split(" ")), rs.getString(5),
                                rs.getObject(6, OffsetDateTime.class)));
                    });
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            FeedbackItem item = items.get(i);
            String where = "feedback[" + i + "]";
            IssuedCard card = cards.get(item.card());
            // a card issued to another client is refused like an unknown one: its existence is not confirmed
            if (card == null || !serviceId.equals(card.serviceId())
                    || !Objects.equals(clientIssuer, card.clientIssuer())) {
                problems.add(where + ".card '" + item.card() + "' is not a card this service ('" + serviceId
                        + "') issued to this client");
                continue;
            }
            Set<String> issuedSuggestions = card.suggestions();
            for (String id : item.acceptedSuggestions()) {
                if (!issuedSuggestions.contains(id)) {
                    problems.add(where + ".acceptedSuggestions: '" + id + "' is not a suggestion of card '"
                            + item.card() + "'");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw HookException.badRequest("Feedback not recorded: " + FeedbackItem.describe(problems) + ".");
        }

        var receivedAt = clock.instant().atOffset(ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        int recorded = 0;
        int duplicates = 0;
        for (FeedbackItem item : items) {
            String key = item.key();
            boolean stored = !seen.add(key)
                    || jdbc.sql("SELECT COUNT(*) FROM feedback WHERE item_key = ?")
                                    .param(key)
                                    .query(Long.class)
                                    .single() > 0;
            if (stored) {
                duplicates++;
                continue;
            }
            KeyHolder id = new GeneratedKeyHolder();
            jdbc.sql("""
                            INSERT INTO feedback (item_key, card_uuid, outcome, outcome_at, reason_system, reason_code,
                                                  reason_display, user_comment, received_at, rule_id, card_issued_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(key, item.card(), item.outcome().code(), item.outcomeTimestamp().atOffset(ZoneOffset.UTC),
                            item.reasonSystem(), item.reasonCode(), item.reasonDisplay(), item.userComment(), receivedAt,
                            cards.get(item.card()).ruleId(), cards.get(item.card()).issuedAt())
                    .update(id, "id");
            long feedbackId = id.getKeyAs(Number.class).longValue();
            for (String suggestion : item.acceptedSuggestions()) {
                jdbc.sql("INSERT INTO accepted_suggestion (feedback_id, suggestion_uuid) VALUES (?, ?)")
                        .params(feedbackId, suggestion)
                        .update();
            }
            recorded++;
        }
        return new Result(recorded, duplicates);
    }
}
