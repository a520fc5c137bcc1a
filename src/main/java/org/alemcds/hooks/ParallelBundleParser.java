package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Parses a large bundle in parts on several threads. HAPI parses a resource tree on one thread, and parsing a
 * ~300-resource prefetch was a third of an order-sign call; split over the cores, one call waits for its share.
 *
 * <p>Each part is the bundle with a slice of its entries, parsed by HAPI as a bundle (ids from {@code fullUrl} and
 * everything else as usual); the parts' entries are joined in their order. HAPI links a bundle's references to the
 * bundle's resources within a part only; nothing here reads those links (references are matched by their literal
 * value, see {@code PatientRecords}). A malformed entry fails the parse as before: the first failing part in entry
 * order decides the error.
 *
 * <p>The calling thread parses parts as well, in order, taking every part no worker has started yet, so a busy pool
 * never makes a call slower than parsing on its own thread. One instance serves all calls; {@link #close} stops it.
 */
public final class ParallelBundleParser implements AutoCloseable {

    /** Below this many entries per part, splitting costs more than it saves. */
    static final int MIN_ENTRIES_PER_PART = 32;

    private final FhirContext fhirContext;
    private final int threads;
    private final ExecutorService workers;

    /**
     * @param threads threads one parse may use, the caller's included; 1 parses on the calling thread only
     */
    public ParallelBundleParser(FhirContext fhirContext, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.fhirContext = fhirContext;
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonThreads());
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "fhir-parse-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Parses one resource from its JSON object; a bundle with many entries in parts. */
    public IBaseResource parse(ObjectNode tree) {
        return parseAll(List.of(tree)).get(0).get();
    }

    /**
     * Parses resources from their JSON objects, together: the bundles among them are cut into parts of about equal
     * size, and all parts are shared out among the threads.
     *
     * @return per tree, in order, the parsed resource; {@code get} throws that tree's parse failure
     */
    public List<Supplier<IBaseResource>> parseAll(List<ObjectNode> trees) {
        int total = 0;
        for (ObjectNode tree : trees) {
            total += entries(tree) == null ? 1 : entries(tree).size();
        }
        if (workers == null || total < 2 * MIN_ENTRIES_PER_PART) {
            return trees.stream().<Supplier<IBaseResource>>map(tree -> () -> JsonTreeParser.parse(fhirContext, tree))
                    .toList();
        }
        // Two parts per thread or more: a thread that finishes early takes another part.
        int partSize = Math.max(MIN_ENTRIES_PER_PART, (total + 2 * threads - 1) / (2 * threads));
        List<List<FutureTask<IBaseResource>>> partsOfTrees = new ArrayList<>(trees.size());
        List<FutureTask<IBaseResource>> all = new ArrayList<>();
        for (ObjectNode tree : trees) {
            List<FutureTask<IBaseResource>> parts = new ArrayList<>();
            for (ObjectNode part : split(tree, partSize)) {
                parts.add(new FutureTask<>(() -> JsonTreeParser.parse(fhirContext, part)));
            }
            partsOfTrees.add(parts);
            all.addAll(parts);
        }
        all.subList(1, all.size()).forEach(workers::execute);
        all.forEach(FutureTask::run); // takes the parts no worker has started; a no-op for the others
        return partsOfTrees.stream().<Supplier<IBaseResource>>map(parts -> () -> joined(parts)).toList();
    }

    /** The first part's resource, with the entries of the further parts of the same bundle added in order. */
    private static IBaseResource joined(List<FutureTask<IBaseResource>> parts) {
        IBaseResource first = result(parts.get(0));
        for (FutureTask<IBaseResource> part : parts.subList(1, parts.size())) {
            ((Bundle) first).getEntry().addAll(((Bundle) result(part)).getEntry());
        }
        return first;
    }

    /** A bundle's entries, or null when the tree is no bundle with entries. */
    private static ArrayNode entries(ObjectNode tree) {
        return "Bundle".equals(tree.path("resourceType").asText()) && tree.get("entry") instanceof ArrayNode entries
                ? entries
                : null;
    }

    /** The tree itself, or for a bundle of more than {@code partSize} entries: its fields with slices of them. */
    static List<ObjectNode> split(ObjectNode tree, int partSize) {
        ArrayNode entries = entries(tree);
        if (entries == null || entries.size() <= partSize) {
            return List.of(tree);
        }
        int size = entries.size();
        int parts = (size + partSize - 1) / partSize;
        List<ObjectNode> slices = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            ArrayNode slice = entries.arrayNode();
            for (int e = size * i / parts; e < size * (i + 1) / parts; e++) {
                slice.add(entries.get(e)); // the entry's own tree, shared and only read
            }
            ObjectNode part = tree.objectNode();
            tree.fields().forEachRemaining(f -> part.set(f.getKey(), f.getKey().equals("entry") ? slice : f.getValue()));
            slices.add(part);
        }
        return slices;
    }

    private static IBaseResource result(FutureTask<IBaseResource> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // as if parsed on this thread: the caller turns it into a 400
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while parsing the request's FHIR data", e);
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
