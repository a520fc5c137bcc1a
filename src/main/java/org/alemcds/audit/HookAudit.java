package org.alemcds.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.alemcds.cards.Card;
import org.alemcds.hooks.HookException;
import org.alemcds.hooks.HookRequest;
import org.alemcds.operations.OperationsMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The audit trail of hook calls. Every call, answered or failed, leaves one record (time, service, hookInstance,
 * the rules fired with their indicators, latency, HTTP status and error class, a keyed hash of the patient id) in the
 * database and one log line; an answered call also records every card it issued, so that feedback can be checked
 * against them. Nothing identifying a patient is logged or stored.
 *
 * <p>The cards are recorded before the answer leaves: when they cannot be, the call fails (503) rather than issue
 * cards the service would not recognise in feedback.
 */
@Component
public class HookAudit {

    private static final Logger log = LoggerFactory.getLogger(HookAudit.class);
    private static final int MAX_ID_LENGTH = 100;

    private final HookCallRepository repository;
    private final PatientKeys patientKeys;
    private final Clock clock;
    private final OperationsMetrics metrics;

    public HookAudit(HookCallRepository repository, PatientKeys patientKeys, Clock clock, OperationsMetrics metrics) {
        this.repository = repository;
        this.patientKeys = patientKeys;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Starts the record of one call to the service {@code serviceId} (as named in the request path). */
    public Call start(String serviceId) {
        return start(serviceId, null);
    }

    /** Starts the record of one call from the authenticated client {@code clientIssuer} (null: authentication off). */
    public Call start(String serviceId, String clientIssuer) {
        return new Call(safe(serviceId), clientIssuer, clock.instant(), System.nanoTime());
    }

    /** One hook call being answered; record it exactly once, with {@link #answered} or {@link #failed}. */
    public final class Call {

        private final String serviceId;
        private final String clientIssuer;
        private final Instant startedAt;
        private final long startedNanos;
        private boolean recorded;

        private Call(String serviceId, String clientIssuer, Instant startedAt, long startedNanos) {
            this.serviceId = serviceId;
            this.clientIssuer = clientIssuer;
            this.startedAt = startedAt;
            this.startedNanos = startedNanos;
        }

        /** Records the answered call and its cards; throws when they cannot be stored. */
        public void answered(HookRequest request, List<Card> cards) {
            List<HookCallRecord.IssuedCard> issued = cards.stream()
                    .map(card -> new HookCallRecord.IssuedCard(
                            card.uuid(),
                            card.source().topic().code(),
                            card.indicator(),
                            card.suggestions() == null
                                    ? List.of()
                                    : card.suggestions().stream().map(Card.Suggestion::uuid).toList(),
                            card.ruleIds()))
                    .toList();
            save(record(request, 200, null, issued));
        }

        /** Records a call that ended in {@code error}; never throws (the error itself is what the client gets). */
        public void failed(HookRequest request, RuntimeException error) {
            if (recorded) {
                return;
            }
            int status = error instanceof HookException e
                    ? e.status().value()
                    : error instanceof DataAccessException ? 503 : 500;
            try {
                save(record(request, status, error.getClass().getSimpleName(), List.of()));
            } catch (RuntimeException e) {
                log.error("Audit record of a failed hook call could not be stored ({}): service={} status={}",
                        e.getClass().getSimpleName(), serviceId, status);
            }
        }

        private HookCallRecord record(
                HookRequest request, int status, String errorClass, List<HookCallRecord.IssuedCard> cards) {
            long micros = (System.nanoTime() - startedNanos) / 1_000;
            return new HookCallRecord(
                    startedAt,
                    serviceId,
                    request == null ? null : safe(request.hookInstance()),
                    request == null ? null : patientKeys.keyOf(request.patientId()),
                    status,
                    errorClass,
                    micros,
                    cards,
                    clientIssuer);
        }

        private void save(HookCallRecord call) {
            repository.save(call);
            recorded = true;
            metrics.hookCall(call.serviceId(), call.status(), Duration.ofNanos(call.latencyMicros() * 1_000),
                    call.cards().stream().map(c -> new OperationsMetrics.IssuedCard(c.ruleId(), c.indicator())).toList());
            String cards = call.cards().stream()
                    .map(c -> c.ruleId() + ":" + c.indicator())
                    .collect(Collectors.joining(","));
            String latencyMs = String.format(Locale.ROOT, "%.1f", call.latencyMicros() / 1000.0);
            // the same facts as fields of a structured (JSON) log line (logging.structured.format.console); names
            // clear of the format's own members (ECS writes service and error objects)
            LoggingEventBuilder line = log.atInfo()
                    .addKeyValue("cdsService", call.serviceId())
                    .addKeyValue("httpStatus", call.status())
                    .addKeyValue("latencyMs", call.latencyMicros() / 1000.0)
                    .addKeyValue("cards", cards);
            if (call.hookInstance() != null) {
                line = line.addKeyValue("hookInstance", call.hookInstance());
            }
            if (call.errorClass() != null) {
                line = line.addKeyValue("errorClass", call.errorClass());
            }
            if (call.patientKey() != null) {
                line = line.addKeyValue("patientKey", call.patientKey());
            }
            line.log("hook-call service={} hookInstance={} status={}{} latencyMs={} patientKey={} cards=[{}]",
                    call.serviceId(),
                    call.hookInstance(),
                    call.status(),
                    call.errorClass() == null ? "" : " error=" + call.errorClass(),
                    latencyMs,
                    call.patientKey(),
                    cards);
        }
    }

    /** An identifier from the client, made safe for a log line and a column: printable, bounded. */
    static String safe(String id) {
        if (id == null) {
            return null;
        }
        String cleaned = id.replaceAll("[^A-Za-z0-9._:/-]", "?");
        return cleaned.length() > MAX_ID_LENGTH ? cleaned.substring(0, MAX_ID_LENGTH) : cleaned;
    }
}
