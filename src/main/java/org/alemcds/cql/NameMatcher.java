package org.alemcds.cql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, in one pass over a text, every listed name it contains (Aho–Corasick), and answers the union of what those
 * names stand for. The same as testing {@code text.contains(name)} for every name, without the product of texts and
 * names: a concept is tested against the names of a hundred value sets.
 *
 * <p>Built once into a table: one row per prefix of a name, one column per character the names use; a step is one
 * array read. A character no name uses leads back to the start.
 */
final class NameMatcher {

    private final Map<Character, Integer> columns = new HashMap<>();
    private final int[] asciiColumns = new int[128];
    private final int width;
    private final int[] next; // next[state * width + column]
    private final BitSet[] found; // what the names ending at a state, or at a suffix of it, stand for (null: nothing)
    private final int[][] lengths; // the lengths of those names (null: none)
    private final BitSet[][] meanings; // what each of those names stands for, by the same index

    /** @param names each name (matched as written) and what it stands for */
    NameMatcher(Map<String, BitSet> names) {
        Arrays.fill(asciiColumns, -1);
        names.keySet().forEach(name -> name.chars().forEach(c -> {
            if (!columns.containsKey((char) c)) {
                int column = columns.size();
                columns.put((char) c, column);
                if (c < 128) {
                    asciiColumns[c] = column;
                }
            }
        }));
        this.width = Math.max(1, columns.size());

        // The trie of the names, then the failure links breadth first, folded into the table.
        List<int[]> children = new ArrayList<>();
        List<BitSet> meanings = new ArrayList<>();
        List<List<Object[]>> outputs = new ArrayList<>(); // per state: {length, meaning} of the names ending there
        children.add(new int[width]);
        meanings.add(new BitSet());
        outputs.add(new ArrayList<>());
        names.forEach((name, meaning) -> {
            int state = 0;
            for (int i = 0; i < name.length(); i++) {
                int column = columns.get(name.charAt(i));
                if (children.get(state)[column] == 0) {
                    children.get(state)[column] = children.size();
                    children.add(new int[width]);
                    meanings.add(new BitSet());
                    outputs.add(new ArrayList<>());
                }
                state = children.get(state)[column];
            }
            meanings.get(state).or(meaning);
            if (!name.isEmpty()) {
                outputs.get(state).add(new Object[] {name.length(), meaning});
            }
        });
        int states = children.size();
        this.next = new int[states * width];
        this.found = new BitSet[states];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int column = 0; column < width; column++) {
            int child = children.get(0)[column];
            next[column] = child;
            if (child != 0) {
                queue.add(child);
            }
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            meanings.get(state).or(meanings.get(fail[state])); // breadth first: the failure state is complete
            outputs.get(state).addAll(outputs.get(fail[state]));
            for (int column = 0; column < width; column++) {
                int child = children.get(state)[column];
                if (child != 0) {
                    fail[child] = next[fail[state] * width + column];
                    next[state * width + column] = child;
                    queue.add(child);
                } else {
                    next[state * width + column] = next[fail[state] * width + column];
                }
            }
        }
        this.lengths = new int[states][];
        this.meanings = new BitSet[states][];
        for (int state = 0; state < states; state++) {
            found[state] = meanings.get(state).isEmpty() ? null : meanings.get(state);
            List<Object[]> out = outputs.get(state);
            if (!out.isEmpty()) {
                lengths[state] = out.stream().mapToInt(o -> (Integer) o[0]).toArray();
                this.meanings[state] = out.stream().map(o -> (BitSet) o[1]).toArray(BitSet[]::new);
            }
        }
    }

    /** Receives each occurrence of a name: where it starts and ends in the text, and what it stands for. */
    interface Occurrences {
        void found(int start, int end, BitSet meaning);
    }

    /** Reports every occurrence of every listed name in {@code text} (an empty name is not reported). */
    void forEachOccurrence(String text, Occurrences sink) {
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int column = c < 128 ? asciiColumns[c] : columns.getOrDefault(c, -1);
            state = column < 0 ? 0 : next[state * width + column];
            int[] ending = lengths[state];
            if (ending != null) {
                for (int k = 0; k < ending.length; k++) {
                    sink.found(i + 1 - ending[k], i + 1, meanings[state][k]);
                }
            }
        }
    }

    /** Adds to {@code into} what every name contained in {@code text} stands for. */
    void addMatches(String text, BitSet into) {
        if (text.isEmpty()) {
            return;
        }
        if (found[0] != null) {
            into.or(found[0]); // an empty name is contained in any text
        }
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int column = c < 128 ? asciiColumns[c] : columns.getOrDefault(c, -1);
            state = column < 0 ? 0 : next[state * width + column];
            if (found[state] != null) {
                into.or(found[state]);
            }
        }
    }
}
