package org.alemcds.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.alemcds.hooks.CdsProperties;
import org.springframework.stereotype.Component;

/**
 * The service's own Micrometer meters, one place for their names and tags (README "Operations" lists them as
 * Prometheus shows them). Tags take values the service defines — its service ids, rule IDs, indicators, statuses —
 * never a value a client chose, so that no client can grow the number of series.
 */
@Component
public class OperationsMetrics {

    /** Timer with a histogram: every hook call, by service and HTTP status. */
    public static final String HOOK_CALLS = "cds.hook.calls";
    /** Counter: hook calls that ended in an error, by service and HTTP status. */
    public static final String HOOK_ERRORS = "cds.hook.errors";
    /** Counter: cards returned, by service, rule ID and indicator. */
    public static final String CARDS = "cds.cards";
    /** Timer: fetches of missing prefetch data from the client's FHIR server, by outcome (success, failure). */
    public static final String FHIR_FETCH = "cds.fhir.fetch";
    /** Counter: feedback items recorded, by service and outcome (accepted, overridden). */
    public static final String FEEDBACK = "cds.feedback.items";
    /** Counter: resources of a request no rule of the service reads, skipped without being parsed. */
    public static final String RESOURCES_SKIPPED = "cds.resources.skipped";

    static final String UNKNOWN_SERVICE = "unknown";

    private final MeterRegistry registry;
    private final Set<String> serviceIds;
    private final Counter resourcesSkipped;

    public OperationsMetrics(MeterRegistry registry, CdsProperties properties) {
        this.registry = registry;
        this.serviceIds = properties.services().stream().map(CdsProperties.Service::id).collect(Collectors.toSet());
        this.resourcesSkipped = Counter.builder(RESOURCES_SKIPPED)
                .description("Resources of a request that no rule reads, skipped without being parsed")
                .register(registry);
    }

    /** Meters that go nowhere: for parts built outside the application context (tests, tools). */
    public static OperationsMetrics unregistered(CdsProperties properties) {
        return new OperationsMetrics(new CompositeMeterRegistry(), properties);
    }

    /** One card of an answered call: the rule that raised it and its indicator. */
    public record IssuedCard(String ruleId, String indicator) {}

    /** One hook call, answered (200, with its cards) or failed (its status). */
    public void hookCall(String serviceId, int status, Duration latency, Collection<IssuedCard> cards) {
        String service = knownService(serviceId);
        String statusTag = Integer.toString(status);
        Timer.builder(HOOK_CALLS)
                .description("CDS Hooks service calls: latency by service and HTTP status")
                .tags("service", service, "status", statusTag)
                .publishPercentileHistogram()
                .register(registry)
                .record(latency);
        if (status >= 400) {
            Counter.builder(HOOK_ERRORS)
                    .description("CDS Hooks service calls that ended in an error, by HTTP status")
                    .tags("service", service, "status", statusTag)
                    .register(registry)
                    .increment();
        }
        for (IssuedCard card : cards) {
            Counter.builder(CARDS)
                    .description("Cards returned, by rule ID and indicator")
                    .tags("service", service, "rule", card.ruleId(), "indicator", card.indicator())
                    .register(registry)
                    .increment();
        }
    }

    /** One fetch of missing prefetch data from a client's FHIR server. */
    public void fhirFetch(long nanos, boolean succeeded) {
        Timer.builder(FHIR_FETCH)
                .description("Fetches of missing prefetch data from the client's FHIR server")
                .tags("outcome", succeeded ? "success" : "failure")
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Feedback items recorded for a service, by their outcome. */
    public void feedback(String serviceId, String outcome, int count) {
        Counter.builder(FEEDBACK)
                .description("Feedback items received, by outcome")
                .tags("service", knownService(serviceId), "outcome", outcome)
                .register(registry)
                .increment(count);
    }

    /** Resources of a request that were skipped (no rule reads them). */
    public void resourcesSkipped(int count) {
        resourcesSkipped.increment(count);
    }

    private String knownService(String serviceId) {
        return serviceId != null && serviceIds.contains(serviceId) ? serviceId : UNKNOWN_SERVICE;
    }
}
