package org.alemcds.governance;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.alemcds.hooks.HookException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read endpoints for CDS governance. {@code GET /governance/override-rates?from=...&to=...}: per rule ID, the cards
 * issued in [from, to), how many were accepted and overridden, the override rate and the top coded override reasons.
 * {@code from} and {@code to} are dates (UTC midnight) or RFC 3339 date-times; the default period is the 30 days up
 * to now.
 */
@RestController
public class GovernanceController {

    static final int DEFAULT_DAYS = 30;

    private final OverrideRates overrideRates;
    private final Clock clock;

    public GovernanceController(OverrideRates overrideRates, Clock clock) {
        this.overrideRates = overrideRates;
        this.clock = clock;
    }

    @GetMapping(path = "/governance/override-rates", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> overrideRates(
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_DAYS, ChronoUnit.DAYS) : instant("from", from);
        if (!start.isBefore(end)) {
            throw HookException.badRequest("'from' must be before 'to'.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", start.toString());
        body.put("to", end.toString());
        body.put("basis", "cards issued in [from, to); each card counted once by its latest feedback outcome;"
                + " overrideRate = overridden / issued");
        body.put("rules", overrideRates.between(start, end));
        return body;
    }

    private static Instant instant(String name, String value) {
        try {
            Instant instant = value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(value).toInstant();
            if (instant.isBefore(Instant.parse("1970-01-01T00:00:00Z"))
                    || instant.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
                throw HookException.badRequest("'" + name + "' is out of range.");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw HookException.badRequest(
                    "'" + name + "' must be a date (2026-01-31) or an RFC 3339 date-time (2026-01-31T00:00:00Z).");
        }
    }
}
