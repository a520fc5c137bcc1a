package org.alemcds.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.alemcds.cards.Card;

/**
 * One CDS Hooks 2.0 feedback item, validated: the card's uuid, the outcome ({@code accepted} with the accepted
 * suggestions' ids, or {@code overridden} with an optional reason and comment) and when it happened.
 *
 * @param acceptedSuggestions the accepted suggestions' uuids, sorted and distinct
 * @param reasonCode {@code overrideReason.reason.code}, null when the user chose no coded reason
 * @param userComment {@code overrideReason.userComment}: stored, never logged nor reported
 */
public record FeedbackItem(
        String card,
        Outcome outcome,
        Instant outcomeTimestamp,
        List<String> acceptedSuggestions,
        String reasonSystem,
        String reasonCode,
        String reasonDisplay,
        String userComment) {

    public enum Outcome {
        ACCEPTED, OVERRIDDEN;

        public String code() {
            return name().toLowerCase();
        }
    }

    static final int MAX_ID_LENGTH = 64;
    static final int MAX_CODE_LENGTH = 255;
    static final int MAX_TEXT_LENGTH = 1000;
    static final int MAX_COMMENT_LENGTH = 4000;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    /**
     * Validates one element of the {@code feedback} array; adds a message per problem to {@code problems} (prefixed
     * with {@code where}) and returns null when there is any.
     */
    static FeedbackItem from(JsonNode node, String where, Instant now, List<String> problems) {
        int before = problems.size();
        if (node == null || !node.isObject()) {
            problems.add(where + " must be an object");
            return null;
        }
        String card = text(node, "card", where, true, MAX_ID_LENGTH, problems);
        Outcome outcome = null;
        JsonNode outcomeNode = node.get("outcome");
        if (outcomeNode != null && outcomeNode.isTextual() && outcomeNode.asText().equals("accepted")) {
            outcome = Outcome.ACCEPTED;
        } else if (outcomeNode != null && outcomeNode.isTextual() && outcomeNode.asText().equals("overridden")) {
            outcome = Outcome.OVERRIDDEN;
        } else {
            problems.add(where + ".outcome is required and must be 'accepted' or 'overridden'");
        }
        Instant timestamp = timestamp(node.get("outcomeTimestamp"), where + ".outcomeTimestamp", now, problems);

        TreeSet<String> accepted = new TreeSet<>();
        JsonNode suggestions = node.get("acceptedSuggestions");
        boolean hasSuggestions = suggestions != null && !suggestions.isNull();
        if (hasSuggestions) {
            if (!suggestions.isArray()) {
                problems.add(where + ".acceptedSuggestions must be an array");
            } else {
                for (int i = 0; i < suggestions.size(); i++) {
                    String id = text(suggestions.get(i), "id", where + ".acceptedSuggestions[" + i + "]", true,
                            MAX_ID_LENGTH, problems);
                    if (id != null) {
                        accepted.add(id);
                    }
                }
            }
        }
        String reasonSystem = null;
        String reasonCode = null;
        String reasonDisplay = null;
        String userComment = null;
        JsonNode overrideReason = node.get("overrideReason");
        boolean hasOverrideReason = overrideReason != null && !overrideReason.isNull();
        if (hasOverrideReason) {
            String at = where + ".overrideReason";
            if (!overrideReason.isObject()) {
                problems.add(at + " must be an object");
            } else {
                JsonNode reason = overrideReason.get("reason");
                if (reason != null && !reason.isNull()) {
                    if (!reason.isObject()) {
                        problems.add(at + ".reason must be a Coding object");
                    } else {
                        reasonCode = text(reason, "code", at + ".reason", true, MAX_CODE_LENGTH, problems);
                        reasonSystem = text(reason, "system", at + ".reason", false, MAX_TEXT_LENGTH, problems);
                        reasonDisplay = text(reason, "display", at + ".reason", false, MAX_TEXT_LENGTH, problems);
                    }
                }
                userComment = text(overrideReason, "userComment", at, false, MAX_COMMENT_LENGTH, problems);
            }
        }
        if (outcome == Outcome.ACCEPTED) {
            if (!hasSuggestions || (suggestions.isArray() && suggestions.isEmpty())) {
                problems.add(where + ".acceptedSuggestions is required for an 'accepted' outcome");
            }
            if (hasOverrideReason) {
                problems.add(where + ".overrideReason belongs to an 'overridden' outcome, not 'accepted'");
            }
        }
        if (outcome == Outcome.OVERRIDDEN && hasSuggestions && suggestions.isArray() && !suggestions.isEmpty()) {
            problems.add(where + ".acceptedSuggestions belongs to an 'accepted' outcome, not 'overridden'");
        }
        if (problems.size() > before) {
            return null;
        }
        return new FeedbackItem(card, outcome, timestamp, List.copyOf(accepted), reasonSystem, reasonCode,
                reasonDisplay, userComment);
    }

    /**
     * This item with the display of its override reason filled in from {@code declared} (the reasons the service
     * offers on its cards) when the client sent the code without a display; the system, when sent, must match.
     */
    FeedbackItem withDeclaredDisplay(List<Card.Coding> declared) {
        if (reasonCode == null || reasonDisplay != null) {
            return this;
        }
        return declared.stream()
                .filter(c -> c.code().equals(reasonCode) && (reasonSystem == null || reasonSystem.equals(c.system())))
                .findFirst()
                .map(c -> new FeedbackItem(card, outcome, outcomeTimestamp, acceptedSuggestions, c.system(), reasonCode,
                        c.display(), userComment))
                .orElse(this);
    }

    /** The problems as one sentence, the first twenty of them. */
    static String describe(List<String> problems) {
        int shown = Math.min(problems.size(), 20);
        String text = String.join("; ", problems.subList(0, shown));
        return shown < problems.size() ? text + "; and " + (problems.size() - shown) + " more" : text;
    }

    /** Identifies the item by all its content: a repeated identical item has the same key. */
    String key() {
        List<String> parts = new ArrayList<>();
        parts.add(card);
        parts.add(outcome.code());
        parts.add(outcomeTimestamp.toString());
        parts.add(String.join(",", acceptedSuggestions));
        parts.add(String.valueOf(reasonSystem));
        parts.add(String.valueOf(reasonCode));
        parts.add(String.valueOf(reasonDisplay));
        parts.add(String.valueOf(userComment));
        StringBuilder canonical = new StringBuilder();
        for (String part : parts) {
            // length-prefixed, so that no two different items share a canonical form
            canonical.append(part.length()).append(':').append(part).append('|');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String text(
            JsonNode node, String field, String where, boolean required, int maxLength, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(where + " must be an object");
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(where + "." + field + " is required");
            }
            return null;
        }
        if (!value.isTextual() || (required && value.asText().isBlank())) {
            problems.add(where + "." + field + " must be a" + (required ? " non-empty" : "") + " string");
            return null;
        }
        if (value.asText().length() > maxLength) {
            problems.add(where + "." + field + " is longer than " + maxLength + " characters");
            return null;
        }
        return value.asText();
    }

    private static Instant timestamp(JsonNode value, String where, Instant now, List<String> problems) {
        if (value == null || value.isNull()) {
            problems.add(where + " is required");
            return null;
        }
        if (!value.isTextual()) {
            problems.add(where + " must be an RFC 3339 date-time string");
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(where + " must be an RFC 3339 date-time with a time zone, e.g. 2021-12-11T10:05:31Z");
            return null;
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(now.plus(1, ChronoUnit.DAYS))) {
            problems.add(where + " is not a plausible time (before 2000 or more than a day ahead)");
            return null;
        }
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
