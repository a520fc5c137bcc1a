package org.alemcds.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as the project's Jib configuration builds it, without a Docker daemon: {@code jib:buildTar}
 * to an OCI tarball, then its configuration read back — non-root user, JVM flags, ports, entrypoint, JSON logs — and
 * its layers (the application's classes, CQL and libraries; not what the lean jar leaves out).
 *
 * <p>No registry but Maven Central is reachable here, so the Java base image (eclipse-temurin:17-jre) cannot be
 * pulled: the build uses a one-layer stand-in base given as {@code tar://} (Jib reads a {@code docker save} tarball).
 * The image is therefore checked, not run; the real base is the pom's {@code jib.base.image}.
 */
class ContainerImageIT {

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void jibBuildsANonRootOciImageOfTheService() throws Exception {
        Path base = standInBaseImage(work.resolve("base.tar"));
        Path image = work.resolve("image.tar");
        Path log = work.resolve("jib.log");
        Process maven = new ProcessBuilder(maven(), "-B", "-q", "jib:buildTar",
                "-Djib.from.image=tar://" + base.toAbsolutePath(),
                "-Djib.outputPaths.tar=" + image.toAbsolutePath(),
                "-Djib.outputPaths.digest=" + work.resolve("digest"),
                "-Djib.outputPaths.imageId=" + work.resolve("id"),
                "-Djib.outputPaths.imageJson=" + work.resolve("image.json"))
                .directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(maven.waitFor(8, TimeUnit.MINUTES)).as("jib:buildTar finishes").isTrue();
        assertThat(maven.exitValue()).as(Files.readString(log)).isZero();

        Map<String, byte[]> blobs = entries(Files.newInputStream(image), false);
        assertThat(blobs).containsKeys("oci-layout", "index.json");
        JsonNode index = mapper.readTree(blobs.get("index.json"));
        JsonNode manifest = mapper.readTree(blob(blobs, index.at("/manifests/0/digest").asText()));
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        JsonNode config = mapper.readTree(blob(blobs, manifest.at("/config/digest").asText())).get("config");

        assertThat(config.get("User").asText()).isEqualTo("65532:65532");
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75");
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("org.alemcds.AlemtuzumabCdsApplication");
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.get("ExposedPorts").has("8081/tcp")).as("the management port").isTrue();
        assertThat(config.get("Env").toString()).contains("LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs");

        List<String> files = new ArrayList<>();
        for (JsonNode layer : manifest.get("layers")) {
            byte[] compressed = blob(blobs, layer.get("digest").asText());
            files.addAll(entries(new java.io.ByteArrayInputStream(compressed), true).keySet());
        }
        assertThat(files).contains(
                "app/classes/org/alemcds/AlemtuzumabCdsApplication.class",
                "app/resources/cql/PreCourseChecks.cql",
                "app/resources/db/migration/V1__audit_and_feedback.sql",
                "app/libs/hapi-fhir-structures-r4-8.8.0.jar",
                "app/jib-classpath-file",
                "etc/base-image-stand-in");
        assertThat(files).noneMatch(f -> f.contains("sqlite-jdbc") || f.contains("plantuml") || f.contains("icu4j"));
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static byte[] blob(Map<String, byte[]> entries, String digest) {
        byte[] blob = entries.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(blob).as("blob " + digest).isNotNull();
        return blob;
    }

    /** Every file of a tar (gzipped or not): name to content. */
    private static Map<String, byte[]> entries(InputStream in, boolean gzipped) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(gzipped ? new GZIPInputStream(in) : in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName().replaceFirst("^/", ""), tar.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** A {@code docker save} tarball of a one-layer image holding one marker file: a stand-in for the Java base. */
    private static Path standInBaseImage(Path file) throws Exception {
        byte[] layer = tar(Map.of("etc/base-image-stand-in", "stand-in base image for tests\n".getBytes(StandardCharsets.UTF_8)));
        String diffId = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(layer));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"stand-in/base:test\"],\"Layers\":[\"layer.tar\"]}]";
        Files.write(file, tar(Map.of(
                "manifest.json", manifest.getBytes(StandardCharsets.UTF_8),
                "config.json", config.getBytes(StandardCharsets.UTF_8),
                "layer.tar", layer)));
        return file;
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
