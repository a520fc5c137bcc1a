package org.alemcds.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The feedback contract on the default storage: the embedded H2 database file under {@code cds.data-dir}. */
class FeedbackH2Test extends FeedbackContract {

    @Autowired
    DataSource dataSource;

    @Test
    void defaultStorageIsAnH2FileWithDurableCommitsCreatedUnderTheDataDirectory() throws Exception {
        String url = ((HikariDataSource) dataSource).getJdbcUrl();
        assertThat(url).startsWith("jdbc:h2:file:./target/test-data/").contains(";WRITE_DELAY=0");
        String file = url.substring("jdbc:h2:file:".length(), url.indexOf(';')) + ".mv.db";
        assertThat(Files.isRegularFile(Path.of(file))).as(file).isTrue();
        assertThat(jdbc.sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")
                .query(String.class)
                .list())
                .isNotEmpty()
                .containsOnly("0");
    }
}
