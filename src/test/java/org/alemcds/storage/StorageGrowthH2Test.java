package org.alemcds.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;

/** Storage growth on the embedded H2 file database, as configured in application.yaml: the size of its file. */
class StorageGrowthH2Test extends StorageGrowthContract {

    @Autowired
    DataSource dataSource;

    @Override
    long bytesOnDisk() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            String url = connection.getMetaData().getURL(); // jdbc:h2:file:<path>;SETTING=...
            String path = url.substring("jdbc:h2:file:".length()).split(";")[0];
            return Files.size(Path.of(path + ".mv.db"));
        }
    }
}
