package org.alemcds.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code cds.storage.*} configuration (README "Storage configuration").
 *
 * @param retention how long hook calls and issued cards are kept (feedback goes with its card); older ones are purged
 * @param purgeInterval how often the purge runs
 * @param compactInterval how often the embedded H2 file's partly empty chunks are rewritten (ignored on PostgreSQL)
 */
@ConfigurationProperties(prefix = "cds.storage")
public record StorageProperties(Duration retention, Duration purgeInterval, Duration compactInterval) {

    public StorageProperties {
        retention = retention == null ? Duration.ofDays(400) : retention;
        purgeInterval = purgeInterval == null ? Duration.ofHours(1) : purgeInterval;
        compactInterval = compactInterval == null ? Duration.ofSeconds(1) : compactInterval;
    }
}
