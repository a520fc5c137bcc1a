package org.alemcds.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code jti} values already seen, each kept until its token expires (CDS Hooks: jti protects against replay).
 * Kept in the service's database (table {@code client_token_use}), so that every replica sharing the database refuses
 * a token another replica has already accepted: the primary key decides, atomically, which use is the first.
 * Expired entries are deleted at most once a minute, by the call that finds the purge due.
 */
public class ReplayCache {

    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Instant nextPurge;

    public ReplayCache(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.nextPurge = clock.instant();
    }

    /**
     * True the first time this issuer's {@code jti} is seen before {@code keepUntil}; false for a replay.
     *
     * @throws DataAccessException when the database cannot be reached (the caller refuses the token)
     */
    boolean firstUse(String issuer, String jti, Instant keepUntil) {
        Instant now = clock.instant();
        purgeIfDue(now);
        String key = key(issuer, jti);
        try {
            jdbc.sql("INSERT INTO client_token_use (token_key, keep_until) VALUES (?, ?)")
                    .params(key, utc(keepUntil))
                    .update();
            return true;
        } catch (DuplicateKeyException seen) {
            // an expired entry not yet purged: its token could not pass the exp check anyway, but be exact; the
            // condition makes one replica win when two take over the same expired entry at once
            return jdbc.sql("UPDATE client_token_use SET keep_until = ? WHERE token_key = ? AND keep_until < ?")
                    .params(utc(keepUntil), key, utc(now))
                    .update() == 1;
        }
    }

    int size() {
        return jdbc.sql("SELECT COUNT(*) FROM client_token_use").query(Integer.class).single();
    }

    private void purgeIfDue(Instant now) {
        if (!now.isBefore(nextPurge)) {
            nextPurge = now.plus(PURGE_EVERY);
            jdbc.sql("DELETE FROM client_token_use WHERE keep_until < ?").param(utc(now)).update();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String key(String issuer, String jti) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((issuer + '\n' + jti).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
