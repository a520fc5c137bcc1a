package org.alemcds.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.alemcds.testing.MigratedDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The jti replay cache in the shared database: what one replica saw, every replica refuses, until it expires. */
class ReplayCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final JdbcClient database = MigratedDatabase.h2InMemory();
    private final MovingClock clock = new MovingClock();

    @Test
    void aJtiSeenByOneReplicaIsRefusedByAnother() {
        ReplayCache first = new ReplayCache(database, clock);
        ReplayCache second = new ReplayCache(database, clock);
        Instant expiry = NOW.plus(Duration.ofMinutes(5));

        assertThat(first.firstUse("https://ehr.example.org", "jti-1", expiry)).isTrue();
        assertThat(second.firstUse("https://ehr.example.org", "jti-1", expiry)).as("replay on the other replica").isFalse();
        assertThat(first.firstUse("https://ehr.example.org", "jti-1", expiry)).as("replay on the same replica").isFalse();
        assertThat(second.firstUse("https://other-ehr.example.org", "jti-1", expiry))
                .as("the same jti from another issuer is another token").isTrue();
    }

    @Test
    void anExpiredEntryIsPurgedAndItsJtiMayBeUsedAgain() {
        ReplayCache cache = new ReplayCache(database, clock);
        assertThat(cache.firstUse("iss", "old", NOW.plusSeconds(30))).isTrue();
        assertThat(cache.firstUse("iss", "kept", NOW.plusSeconds(3600))).isTrue();

        clock.now = NOW.plusSeconds(61); // the first entry has expired and a purge is due
        assertThat(cache.firstUse("iss", "new", NOW.plusSeconds(600))).isTrue();
        assertThat(cache.size()).as("expired entry deleted, live ones kept").isEqualTo(2);
        assertThat(cache.firstUse("iss", "old", NOW.plusSeconds(600))).isTrue();
        assertThat(cache.firstUse("iss", "kept", NOW.plusSeconds(600))).isFalse();
    }

    @Test
    void anExpiredEntryNotYetPurgedIsTakenOverOnce() {
        ReplayCache first = new ReplayCache(database, clock);
        ReplayCache second = new ReplayCache(database, clock);
        assertThat(first.firstUse("iss", "jti", NOW.plusSeconds(10))).isTrue();
        clock.now = NOW.plusSeconds(20); // expired; the next purge is not due yet
        assertThat(second.firstUse("iss", "jti", NOW.plusSeconds(600))).isTrue();
        assertThat(first.firstUse("iss", "jti", NOW.plusSeconds(600))).isFalse();
    }

    @Test
    void noClientTextIsStored() {
        new ReplayCache(database, clock).firstUse("https://ehr.example.org", "a-very-long-jti-" + "x".repeat(500),
                NOW.plusSeconds(60));
        String key = database.sql("SELECT token_key FROM client_token_use").query(String.class).single();
        assertThat(key).matches("[0-9a-f]{64}");
    }
}
