package org.alemcds.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The executable jar that {@code mvn package} built (failsafe runs after it) stays lean: under 120 MB, without the
 * libraries the service never loads (README "Operations").
 */
class LeanJarIT {

    static final long MAX_BYTES = 120L * 1024 * 1024;

    @Test
    void theJarIsUnder120MbWithoutTheLibrariesTheServiceNeverLoads() throws Exception {
        Path jar = Path.of("target", "alemtuzumab-cds.jar");
        assertThat(jar).isRegularFile();
        assertThat(Files.size(jar)).as("jar size in bytes").isLessThan(MAX_BYTES);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> libraries = zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("BOOT-INF/lib/")).toList();
            assertThat(libraries).anyMatch(n -> n.contains("hapi-fhir-structures-r4-"));
            for (String left : List.of("sqlite-jdbc", "plantuml", "icu4j", "Saxon-HE", "jena-", "hapi-fhir-validation",
                    "org.hl7.fhir.r4b", "hapi-fhir-converter", "org.hl7.fhir.dstu2")) {
                assertThat(libraries).as(left).noneMatch(n -> n.contains(left));
            }
        }
    }
}
