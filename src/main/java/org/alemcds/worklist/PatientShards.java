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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Groups an export's records by patient without holding the export in memory: records are spread over temporary
 * shard files by a hash of the patient id (one sequential pass), then each shard, small enough for memory, is read
 * back and grouped. Every record of a patient lands in the same shard. A shard that came out larger than the budget
 * (the export's size as text is only estimated before it is read) is split again by another hash before it is read.
 */
final class PatientShards implements Closeable {

    /** The patient records of one shard, grouped by patient id in first-seen order. */
    interface ShardVisitor {
        void visit(Map<String, List<ExportRecord>> patients) throws IOException;
    }

    /** Splitting stops here: what is left is one patient's record, or so close to it that it is read as it is. */
    private static final int MAX_DEPTH = 4;

    private final Path directory;
    private final long budgetBytes;
    private final Level top;

    /**
     * @param shardCount shards of the first pass (see {@link #shardCountFor})
     * @param budgetBytes the most JSON text one shard should bring into memory
     */
    PatientShards(Path temporaryParent, int shardCount, long budgetBytes) throws IOException {
        this.directory = temporaryParent == null
                ? Files.createTempDirectory("worklist-shards")
                : Files.createTempDirectory(temporaryParent, "worklist-shards");
        this.budgetBytes = budgetBytes;
        this.top = new Level("s", 0, shardCount);
    }

    /** Enough shards for each to hold about {@code shardBytes} of NDJSON text. */
    static int shardCountFor(long exportTextBytes, long shardBytes) {
        long count = (exportTextBytes + shardBytes - 1) / shardBytes;
        return (int) Math.max(1, Math.min(4096, count));
    }

    int shardCount() {
        return top.writers.length;
    }

    /**
     * A mix of the id's hash, different at each depth (and unlike the plain hash, which {@code --part} uses to split
     * patients between jobs).
     */
    static int shardOf(String patientId, int depth, int shardCount) {
        long mixed = (patientId.hashCode() + 0x632BE59BD9B4E019L * depth) * 0x9E3779B97F4A7C15L;
        return (int) ((mixed >>> 33) % shardCount);
    }

    void add(ExportRecord record) throws IOException {
        top.add(record);
    }

    /** Closes the shard files, then visits each shard in turn (split first if too large) and deletes it. */
    void visit(ShardVisitor visitor) throws IOException {
        top.visit(visitor);
    }

    @Override
    public void close() throws IOException {
        top.closeWriters();
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

    /** The shard files of one depth. */
    private final class Level {
        private final String name;
        private final int depth;
        private final DataOutputStream[] writers;
        private final long[] records;
        private final long[] bytes;

        Level(String name, int depth, int count) {
            this.name = name;
            this.depth = depth;
            this.writers = new DataOutputStream[count];
            this.records = new long[count];
            this.bytes = new long[count];
        }

        private Path file(int shard) {
            return directory.resolve(name + "-" + shard + ".bin");
        }

        void add(ExportRecord record) throws IOException {
            int shard = shardOf(record.patientId(), depth, writers.length);
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
            bytes[shard] += json.length;
        }

        void closeWriters() {
            for (DataOutputStream writer : writers) {
                if (writer != null) {
                    try {
                        writer.close();
                    } catch (IOException ignored) {
                        // the files are deleted anyway
                    }
                }
            }
        }

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
                if (bytes[shard] > budgetBytes && depth < MAX_DEPTH) {
                    var split = new Level(name + "-" + shard, depth + 1, (int) Math.min(4096, bytes[shard] / budgetBytes + 1));
                    try {
                        read(shard, split::add);
                    } finally {
                        Files.deleteIfExists(file(shard));
                    }
                    split.visit(visitor);
                } else {
                    Map<String, List<ExportRecord>> patients = new LinkedHashMap<>();
                    read(shard, record -> patients.computeIfAbsent(record.patientId(), key -> new ArrayList<>()).add(record));
                    Files.deleteIfExists(file(shard));
                    visitor.visit(patients);
                }
            }
        }

        private void read(int shard, ExportReader.RecordSink sink) throws IOException {
            Map<String, String> names = new HashMap<>(); // file names and types: a few, shared by every record
            try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file(shard)), 1 << 16))) {
                for (long i = 0; i < records[shard]; i++) {
                    String patientId = in.readUTF();
                    String file = names.computeIfAbsent(in.readUTF(), n -> n);
                    long line = in.readLong();
                    String type = names.computeIfAbsent(in.readUTF(), n -> n);
                    String id = in.readUTF();
                    byte[] json = new byte[in.readInt()];
                    in.readFully(json);
                    sink.accept(new ExportRecord(file, line, type, id.isEmpty() ? null : id, patientId,
                            new String(json, StandardCharsets.UTF_8)));
                }
            } catch (EOFException e) {
                throw new IOException("Shard file " + file(shard) + " ended early", e);
            }
        }
    }
}
