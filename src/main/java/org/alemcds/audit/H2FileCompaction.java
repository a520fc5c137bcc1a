package org.alemcds.audit;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file from growing far beyond its data. Every commit writes a new chunk of the changed index
 * pages (tens of KB for an answered call) to the end of the file; older chunks stay partly live, so their space is
 * never reused unless their live pages are rewritten. H2 does that in its background writer, which does not run
 * with {@code WRITE_DELAY=0} (needed so that a commit is in the file before the answer leaves). This does it instead:
 * chunks less than {@value #TARGET_FILL_RATE}% live are rewritten, a bounded amount each time, and their space
 * becomes free for new chunks once the store's retention time (the {@code RETENTION_TIME} of the JDBC URL) passes.
 * Freed space is reused, but a file never shrinks by that alone: the chunks near its end are then moved into the free
 * space before them (a bounded amount each time, as H2's background writer would) and the file is truncated, so
 * that it stays at its live data plus what the retention time holds. Chunks are moved only when nothing was committed
 * since the previous run: a move beside a large open transaction (a bulk insert of 100,000 rows) failed inside H2 and
 * closed the database, so moves wait for a quiet store.
 */
public class H2FileCompaction {

    private static final Logger log = LoggerFactory.getLogger(H2FileCompaction.class);
    static final int TARGET_FILL_RATE = 70;
    static final int MAX_BYTES_PER_RUN = 16 * 1024 * 1024;
    /** Below this share of the file in use, chunks are moved towards its start and the file is truncated (H2's own). */
    static final int MOVE_BELOW_FILL_RATE = 90;
    static final int MAX_BYTES_MOVED_PER_RUN = 4 * 1024 * 1024;

    private final DataSource dataSource;
    /** The store's version after the previous run; unchanged at the next run means nothing was committed between. */
    private volatile long versionAfterLastRun = -1;

    public H2FileCompaction(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Rewrites the live pages of sparse chunks; true when it rewrote any. */
    public boolean compact() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)) {
                return false;
            }
            var session = connection.unwrap(JdbcConnection.class).getSession();
            if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
                return false; // a server or in-memory database: not this file's to compact
            }
            MVStore store = local.getDatabase().getStore().getMvStore();
            if (store.getFileStore() == null) {
                return false;
            }
            boolean quiet = store.getCurrentVersion() == versionAfterLastRun;
            boolean rewritten = store.compact(TARGET_FILL_RATE, MAX_BYTES_PER_RUN);
            if (rewritten) {
                store.commit(); // the rewritten pages are written now, not with the next call's commit (idle: never)
            }
            if (quiet && store.getFileStore() instanceof RandomAccessStore file
                    && file.getFillRate() < MOVE_BELOW_FILL_RATE) {
                file.compactMoveChunks(100, MAX_BYTES_MOVED_PER_RUN, store); // only space past the retention time
            }
            versionAfterLastRun = store.getCurrentVersion();
            return rewritten;
        } catch (SQLException | RuntimeException e) {
            log.warn("Compaction of the embedded database file failed ({})", e.getClass().getSimpleName());
            return false;
        }
    }
}
