package org.alemcds.worklist;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Groups an export's records by patient without holding the export in memory: records are spread over temporary
 * shard files by a hash of the patient id (one sequential pass), then each shard, small enough for memory, is read
 * back and grouped. Every record of a patient lands in the same shard.
 */
final class PatientShards implements Closeable {

    /** The patient records of one shard, grouped by patient id in first-seen order. */
    interface ShardVisitor {
        void visit(int shard, Map<String, List<ExportRecord>> patients) throws IOException;
    }

    private final Path directory;
    private final DataOutputStream[] writers;
    private final long[] records;

    PatientShards(Path temporaryParent, int shardCount) throws IOException {
        this.directory = temporaryParent == null
                ? Files.createTempDirectory("worklist-shards")
                : Files.createTempDirectory(temporaryParent, "worklist-shards");
        this.writers = new DataOutputStream[shardCount];
        this.records = new long[shardCount];
    }

    /** Enough shards for each to hold about {@code shardBytes} of NDJSON text. */
    static int shardCountFor(long exportTextBytes, long shardBytes) {
        long count = (exportTextBytes + shardBytes - 1) / shardBytes;
        return (int) Math.max(1, Math.min(4096, count));
    }

    int shardCount() {
        return writers.length;
    }

    /** A mix of the id's hash (not the plain hash, which {@code --part} uses to split patients between jobs). */
    static int shardOf(String patientId, int shardCount) {
        return (int) (((patientId.hashCode() * 0x9E3779B97F4A7C15L) >>> 33) % shardCount);
    }

    void add(ExportRecord record) throws IOException {
        int shard = shardOf(record.patientId(), writers.length);
        DataOutputStream out = writers[shard];
        if (out == null) {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file(shard)), 1 << 16));
            writers[shard] = out;
        }
        out.writeUTF(record.patientId());
        out.writeUTF(record.file());
        out.writeLong(record.line());
        out.writeUTF(record.type());
        out.writeUTF(record.id() == null ? "" : record.id());
        byte[] json = record.json().getBytes(StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
        records[shard]++;
    }

    private Path file(int shard) {
        return directory.resolve("shard-" + shard + ".bin");
    }

    /** Closes the shard files, then visits each shard in turn and deletes it. */
    void visit(ShardVisitor visitor) throws IOException {
        for (DataOutputStream writer : writers) {
            if (writer != null) {
                writer.close();
            }
        }
        for (int shard = 0; shard < writers.length; shard++) {
            if (writers[shard] == null) {
                continue;
            }
            Map<String, List<ExportRecord>> patients = new LinkedHashMap<>();
            try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file(shard)), 1 << 16))) {
                for (long i = 0; i < records[shard]; i++) {
                    String patientId = in.readUTF();
                    String file = in.readUTF();
                    long line = in.readLong();
                    String type = in.readUTF();
                    String id = in.readUTF();
                    byte[] json = new byte[in.readInt()];
                    in.readFully(json);
                    patients.computeIfAbsent(patientId, key -> new ArrayList<>())
                            .add(new ExportRecord(file, line, type, id.isEmpty() ? null : id, patientId, new String(json, StandardCharsets.UTF_8)));
                }
            } catch (EOFException e) {
                throw new IOException("Shard file " + file(shard) + " ended early", e);
            }
            Files.deleteIfExists(file(shard));
            visitor.visit(shard, patients);
        }
    }

    @Override
    public void close() throws IOException {
        for (DataOutputStream writer : writers) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // being deleted anyway
                }
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
