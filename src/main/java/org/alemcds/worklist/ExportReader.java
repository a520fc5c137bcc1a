package org.alemcds.worklist;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Streams the NDJSON files of a FHIR Bulk Data export ({@code $export}: one resource per line, {@code .ndjson} or
 * {@code .ndjson.gz}) one record at a time, so that memory does not grow with the export.
 *
 * <p>Only the top-level fields that place a record are read here (resourceType, id, subject/patient reference); the
 * rest of the line is checked for JSON syntax and kept as text. A line that is not a JSON object with a
 * resourceType is reported with its file and line number, counted and skipped.
 */
final class ExportReader {

    /** Receives each well-formed record. */
    interface RecordSink {
        void accept(ExportRecord record) throws IOException;
    }

    /** Receives the file and line of each malformed record, with the reason. */
    interface ProblemSink {
        void malformed(String where, String reason);
    }

    /** Compressed NDJSON is counted as this many bytes of text when the export's size is estimated. */
    static final int GZIP_RATIO_ESTIMATE = 8;

    private static final JsonFactory JSON = new JsonFactory();

    private final List<Path> files;

    ExportReader(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("Not a directory: " + directory);
        }
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(ExportReader::isNdjson).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("No .ndjson or .ndjson.gz files in " + directory);
        }
    }

    static boolean isNdjson(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".ndjson") || name.endsWith(".ndjson.gz"));
    }

    List<Path> files() {
        return files;
    }

    /**
     * The size of the export as NDJSON text, estimated for a compressed file from the size its gzip trailer states
     * (modulo 4 GiB, of the last member only) or a usual ratio, whichever is larger. Shards that still come out too
     * large are split when read ({@link PatientShards}).
     */
    long estimatedTextBytes() throws IOException {
        long total = 0;
        for (Path file : files) {
            long size = Files.size(file);
            total += isGzip(file) ? Math.max(size * GZIP_RATIO_ESTIMATE, gzipTrailerSize(file)) : size;
        }
        return total;
    }

    private static long gzipTrailerSize(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            if (channel.size() < 4) {
                return 0;
            }
            var trailer = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(trailer, channel.size() - 4);
            return Integer.toUnsignedLong(trailer.getInt(0));
        }
    }

    long fileBytes() throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }

    private static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    /**
     * Reads every file in name order.
     *
     * @param bytesRead told how many bytes of the files (as stored) have been read, for a progress bar
     * @return the number of well-formed records
     */
    long read(RecordSink records, ProblemSink problems, LongConsumer bytesRead) throws IOException {
        long count = 0;
        long before = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            long start = before;
            try (InputStream raw = new CountingStream(Files.newInputStream(file), n -> bytesRead.accept(start + n));
                    InputStream in = isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw;
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
                long lineNumber = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    ExportRecord record;
                    try {
                        record = place(name, lineNumber, line);
                    } catch (MalformedRecord e) {
                        problems.malformed(name + ":" + lineNumber, e.getMessage());
                        continue;
                    }
                    records.accept(record);
                    count++;
                }
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                problems.malformed(name, "unreadable gzip data (" + e.getMessage() + "); the rest of the file is skipped");
            }
            before += Files.size(file);
        }
        return count;
    }

    /** Reads the fields that place a record; the whole line is tokenised, so any JSON syntax error is found here. */
    static ExportRecord place(String file, long lineNumber, String line) throws MalformedRecord {
        String type = null;
        String id = null;
        String patientReference = null;
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedRecord("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "resourceType" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "id" -> id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "subject", "patient" -> {
                        String reference = value == JsonToken.START_OBJECT ? referenceIn(parser) : skip(parser);
                        if (reference != null && patientReference == null) {
                            patientReference = reference;
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new MalformedRecord("more than one JSON value on the line");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedRecord("invalid JSON at column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedRecord("unreadable: " + e.getMessage());
        }
        if (type == null || type.isBlank()) {
            throw new MalformedRecord("no resourceType");
        }
        String patientId = type.equals("Patient") ? id : patientIdOf(patientReference);
        if (type.equals("Patient") && (id == null || id.isBlank())) {
            throw new MalformedRecord("a Patient without an id");
        }
        return new ExportRecord(file, lineNumber, type, id, patientId, line);
    }

    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    private static String referenceIn(JsonParser parser) throws IOException {
        String reference = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("reference") && value == JsonToken.VALUE_STRING) {
                reference = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return reference;
    }

    /** The id of a {@code Patient/<id>} reference (absolute or versioned forms included), else null. */
    static String patientIdOf(String reference) {
        if (reference == null) {
            return null;
        }
        int at = reference.lastIndexOf("Patient/");
        if (at < 0 || (at > 0 && reference.charAt(at - 1) != '/')) {
            return null;
        }
        String rest = reference.substring(at + "Patient/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? null : id;
    }

    static final class MalformedRecord extends Exception {
        MalformedRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Counts the bytes read from the underlying file. */
    private static final class CountingStream extends FilterInputStream {
        private final LongConsumer progress;
        private long count;

        CountingStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }
    }
}
