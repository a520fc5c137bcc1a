package org.alemcds.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.alemcds.audit.H2FileCompaction;
import org.alemcds.audit.RetentionPurge;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Storage growth on the embedded H2 file database, as configured in application.yaml: the size of its file. Under a
 * constant load the file levels off at its live data plus what a second of commits holds (the store's retention
 * time), a plateau that depends on the load; what it keeps growing by is the live data, measured once the compaction
 * has caught up. With a retention period the live data stops growing, and so does the file.
 */
class StorageGrowthH2Test extends StorageGrowthContract {

    /** Settling: the compaction run until the file has not shrunk for {@link #QUIET}, at most this long. */
    static final Duration SETTLE = Duration.ofSeconds(10);
    static final Duration QUIET = Duration.ofSeconds(2);

    @Autowired
    DataSource dataSource;

    @Autowired
    H2FileCompaction compaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Override
    long bytesOnDisk() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            String url = connection.getMetaData().getURL(); // jdbc:h2:file:<path>;SETTING=...
            String path = url.substring("jdbc:h2:file:".length()).split(";")[0];
            return Files.size(Path.of(path + ".mv.db"));
        }
    }

    @Override
    long settled() throws Exception {
        // the file shrinks as chunks pass the store's 1 s retention time and are moved: settled once it has not
        // shrunk for twice that
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long size = bytesOnDisk();
        long lastShrunk = System.nanoTime();
        while (System.nanoTime() - lastShrunk < QUIET.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            compaction.compact();
            long now = bytesOnDisk();
            if (now < size) {
                size = now;
                lastShrunk = System.nanoTime();
            }
        }
        return size;
    }

    @Test
    void underAConstantLoadTheFileStopsGrowingOnceRetentionApplies() throws Exception {
        // a retention of 2 s stands for the configured days: after 2 s as many calls are purged as are recorded
        var purge = new RetentionPurge(jdbc, transactions, Duration.ofSeconds(2), Clock.systemUTC());
        int[] tenths = {0};
        Runnable purgeEveryHalfSecond = () -> {
            if (++tenths[0] % 5 == 0) {
                purge.purge();
            }
        };
        long start = System.nanoTime();
        record(CALLS, purgeEveryHalfSecond);
        long first = settled();
        record(CALLS, purgeEveryHalfSecond);
        long second = settled();
        System.out.printf("storage with retention (H2, 2 s, %d calls/s): %d bytes after %d calls, %d after %d more "
                        + "(%d ms)%n", CALLS_PER_SECOND, first, CALLS, second, CALLS, (System.nanoTime() - start) / 1_000_000);
        // without retention the second run adds its live data (~1 KiB a call, the test above); with it, the space of
        // the calls purged is reused
        assertThat(second - first).as("growth over %d more calls once retention applies", CALLS)
                .isLessThanOrEqualTo(CALLS * maxBytesPerCall() / 4);
    }
}
