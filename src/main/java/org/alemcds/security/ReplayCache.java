package org.alemcds.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code jti} values already seen, each kept until its token expires (CDS Hooks: jti protects against replay).
 * In memory: with several instances behind a load balancer, a replay to another instance is not detected.
 */
class ReplayCache {

    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Instant nextPurge;

    ReplayCache(Clock clock) {
        this.clock = clock;
        this.nextPurge = clock.instant().plus(PURGE_EVERY);
    }

    /** True the first time this issuer's {@code jti} is seen before {@code keepUntil}; false for a replay. */
    boolean firstUse(String issuer, String jti, Instant keepUntil) {
        Instant now = clock.instant();
        purgeIfDue(now);
        String key = issuer + '\n' + jti;
        Instant previous = seen.putIfAbsent(key, keepUntil);
        if (previous == null) {
            return true;
        }
        // an expired entry not yet purged: its token could not pass the exp check anyway, but be exact
        return previous.isBefore(now) && seen.replace(key, previous, keepUntil);
    }

    int size() {
        return seen.size();
    }

    private void purgeIfDue(Instant now) {
        if (now.isAfter(nextPurge)) {
            nextPurge = now.plus(PURGE_EVERY);
            seen.values().removeIf(until -> until.isBefore(now));
        }
    }
}
