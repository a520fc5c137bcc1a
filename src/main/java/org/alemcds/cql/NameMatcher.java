package org.alemcds.cql;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds, in one pass over a text, every listed name it contains (Aho–Corasick), and answers the union of what those
 * names stand for. The same as testing {@code text.contains(name)} for every name, without the product of texts and
 * names: a concept is tested against the names of a hundred value sets.
 */
final class NameMatcher {

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        Node fail;
        /** What the names ending here, or at a suffix of here, stand for. */
        final BitSet found = new BitSet();
    }

    private final Node root = new Node();

    /** @param names each name (matched as written) and what it stands for */
    NameMatcher(Map<String, BitSet> names) {
        names.forEach((name, meaning) -> {
            Node node = root;
            for (int i = 0; i < name.length(); i++) {
                node = node.next.computeIfAbsent(name.charAt(i), c -> new Node());
            }
            node.found.or(meaning);
        });
        linkFailures();
    }

    private void linkFailures() {
        ArrayDeque<Node> queue = new ArrayDeque<>();
        root.fail = root;
        for (Node child : root.next.values()) {
            child.fail = root;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            node.found.or(node.fail.found); // breadth first: the failure node is already complete
            for (Map.Entry<Character, Node> edge : node.next.entrySet()) {
                Node fail = node.fail;
                while (fail != root && !fail.next.containsKey(edge.getKey())) {
                    fail = fail.fail;
                }
                Node target = fail.next.get(edge.getKey());
                edge.getValue().fail = target != null && target != edge.getValue() ? target : root;
                queue.add(edge.getValue());
            }
        }
    }

    /** Adds to {@code into} what every name contained in {@code text} stands for. */
    void addMatches(String text, BitSet into) {
        if (!text.isEmpty()) {
            into.or(root.found); // an empty name is contained in any text
        }
        Node node = root;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            Node next = node.next.get(c);
            while (next == null && node != root) {
                node = node.fail;
                next = node.next.get(c);
            }
            node = next == null ? root : next;
            if (!node.found.isEmpty()) {
                into.or(node.found);
            }
        }
    }
}
