package org.alemcds.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A FHIR Bulk Data export for tests: the resources of several {@link FhirRecord}s written as {@code $export} writes
 * them, one NDJSON file per resource type ({@code Observation.ndjson}, or {@code .ndjson.gz} for a type marked
 * compressed), with room for lines a broken exporter would write.
 */
public final class BulkExport {

    private final Map<String, List<String>> linesByType = new LinkedHashMap<>();
    private final Set<String> compressed = new HashSet<>();

    public BulkExport add(FhirRecord record) {
        record.resources().forEach(this::add);
        return this;
    }

    public BulkExport add(ObjectNode resource) {
        return line(resource.get("resourceType").asText(), resource.toString());
    }

    /** Any text as the next line of the type's file (e.g. a truncated record). */
    public BulkExport line(String type, String text) {
        linesByType.computeIfAbsent(type, t -> new ArrayList<>()).add(text);
        return this;
    }

    /** The number of lines the type's file has so far (the next line added is this + 1). */
    public int lines(String type) {
        return linesByType.getOrDefault(type, List.of()).size();
    }

    public BulkExport gzip(String type) {
        compressed.add(type);
        return this;
    }

    public Path writeTo(Path directory) {
        try {
            Files.createDirectories(directory);
            for (var entry : linesByType.entrySet()) {
                boolean gz = compressed.contains(entry.getKey());
                Path file = directory.resolve(entry.getKey() + (gz ? ".ndjson.gz" : ".ndjson"));
                try (OutputStream raw = Files.newOutputStream(file);
                        OutputStream out = gz ? new GZIPOutputStream(raw) : raw;
                        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                    for (String line : entry.getValue()) {
                        writer.write(line);
                        writer.write('\n');
                    }
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
