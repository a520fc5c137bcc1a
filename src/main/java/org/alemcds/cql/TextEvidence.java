package org.alemcds.cql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads one mention of a term in free text as a clinician would: affirmed, uncertain or negated (a NegEx-style rule
 * set, Chapman et al. 2001). The rule set is data: the trigger value sets {@code text-negation-before},
 * {@code text-negation-after}, {@code text-uncertainty-before}, {@code text-uncertainty-after} and
 * {@code text-scope-end} beside the other value sets. This class only applies it:
 *
 * <ul>
 *   <li>a trigger reaches from itself to the term within one clause: the clause ends at '.', ';', '!', a new line
 *       or a scope-ending word ("but", "however" …); a comma does not end it ("no urticaria, angioedema or wheeze");
 *   <li>a trigger ending in '-' ("non-") or the trigger "?" applies only to the term it touches;
 *   <li>the longest trigger is read first, so "not ruled out" is uncertain, not negated, and a trigger that looks
 *       the other way ("negative for" after a term) says nothing of it;
 *   <li>a negation trigger wins over an uncertainty trigger in the same clause.
 * </ul>
 * Triggers match whole words. Texts are lower-cased by the caller.
 */
final class TextEvidence {

    enum Reading { AFFIRMED, UNCERTAIN, NEGATED }

    static final TextEvidence NONE = new TextEvidence(List.of(), List.of(), List.of(), List.of(), List.of());

    /** How many words before or after a term a trigger may stand (NegEx reads a window of a few words). */
    private static final int WINDOW_WORDS = 6;

    /** A trigger and what it says of a term in its scope; IGNORED: a trigger that looks the other way. */
    private enum Kind { NEGATION, UNCERTAINTY, IGNORED }

    private record Trigger(String text, Kind kind) {}

    /** Triggers read in the window before a term, longest first (a phrase before the triggers inside it). */
    private final List<Trigger> before;
    /** Triggers read in the window after a term, longest first. */
    private final List<Trigger> after;
    private final List<String> scopeEnd;
    /** Every negation and uncertainty trigger. */
    private final Set<String> triggers;

    TextEvidence(List<String> negationBefore, List<String> negationAfter, List<String> uncertaintyBefore,
            List<String> uncertaintyAfter, List<String> scopeEnd) {
        // On a tie in length the window's own direction wins ('none', 'possible' and '?' are triggers both ways).
        this.before = longestFirst(Stream.of(tagged(uncertaintyBefore, Kind.UNCERTAINTY), tagged(negationBefore, Kind.NEGATION),
                tagged(uncertaintyAfter, Kind.IGNORED), tagged(negationAfter, Kind.IGNORED)));
        this.after = longestFirst(Stream.of(tagged(uncertaintyAfter, Kind.UNCERTAINTY), tagged(negationAfter, Kind.NEGATION),
                tagged(uncertaintyBefore, Kind.IGNORED), tagged(negationBefore, Kind.IGNORED)));
        this.scopeEnd = scopeEnd.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        this.triggers = before.stream().map(Trigger::text).collect(Collectors.toUnmodifiableSet());
    }

    private static Stream<Trigger> tagged(List<String> triggers, Kind kind) {
        return triggers.stream().map(t -> new Trigger(t.toLowerCase(Locale.ROOT), kind));
    }

    private static List<Trigger> longestFirst(Stream<Stream<Trigger>> triggers) {
        List<Trigger> all = new ArrayList<>();
        triggers.forEach(t -> t.forEach(all::add));
        all.sort(Comparator.comparingInt((Trigger t) -> t.text().length()).reversed()); // stable: ties keep order
        return List.copyOf(all);
    }

    /** Whether a phrase (lower case) is itself a trigger: a listed name such as "rule out" that qualifies a term. */
    boolean isTrigger(String phrase) {
        return triggers.contains(phrase);
    }

    boolean isEmpty() {
        return before.stream().noneMatch(t -> t.kind() != Kind.IGNORED);
    }

    /** The reading of the term found at [start, end) in text. */
    Reading read(String text, int start, int end) {
        if (isEmpty()) {
            return Reading.AFFIRMED;
        }
        int wordStart = start;
        while (wordStart > 0 && Character.isLetterOrDigit(text.charAt(wordStart - 1))) {
            wordStart--;
        }
        int wordEnd = end;
        while (wordEnd < text.length() && Character.isLetterOrDigit(text.charAt(wordEnd))) {
            wordEnd++;
        }
        EnumSet<Kind> found = EnumSet.noneOf(Kind.class);
        readWindow(new StringBuilder(clauseBefore(text, wordStart)), before, true, found);
        readWindow(new StringBuilder(clauseAfter(text, wordEnd)), after, false, found);
        return found.contains(Kind.NEGATION) ? Reading.NEGATED
                : found.contains(Kind.UNCERTAINTY) ? Reading.UNCERTAIN : Reading.AFFIRMED;
    }

    private static void readWindow(StringBuilder window, List<Trigger> triggers, boolean beforeTerm, EnumSet<Kind> found) {
        for (Trigger trigger : triggers) {
            if (remove(window, trigger.text(), beforeTerm)
                    | (trigger.text().endsWith("-") // "non-" is written "non urticarial" too
                        && remove(window, trigger.text().substring(0, trigger.text().length() - 1) + " ", beforeTerm))) {
                found.add(trigger.kind());
            }
        }
    }

    /** The text before the term back to the clause's start, at most WINDOW_WORDS words. */
    private String clauseBefore(String text, int start) {
        String clause = text.substring(clauseEdge(text, start, -1), start);
        int cut = lastScopeEnd(clause);
        return cut < 0 ? clause : clause.substring(cut);
    }

    /** The text after the term to the clause's end, at most WINDOW_WORDS words. */
    private String clauseAfter(String text, int end) {
        String clause = text.substring(end, clauseEdge(text, end, 1));
        int cut = firstScopeEnd(clause);
        return cut < 0 ? clause : clause.substring(0, cut);
    }

    /** Walks from a position backwards (step -1) or forwards (step 1) to the clause's edge or WINDOW_WORDS words. */
    private static int clauseEdge(String text, int from, int step) {
        int at = from;
        int words = 0;
        boolean inWord = false;
        while (step < 0 ? at > 0 : at < text.length()) {
            char c = text.charAt(step < 0 ? at - 1 : at);
            if (c == '.' || c == ';' || c == '!' || c == '\n') {
                break;
            }
            boolean letter = Character.isLetterOrDigit(c);
            if (!letter && inWord && ++words > WINDOW_WORDS) {
                break;
            }
            inWord = letter;
            at += step;
        }
        return at;
    }

    private int lastScopeEnd(String clause) {
        int last = -1;
        for (String word : scopeEnd) {
            for (int i = clause.indexOf(word); i >= 0; i = clause.indexOf(word, i + 1)) {
                if (isWholeWord(clause, i, i + word.length())) {
                    last = Math.max(last, i + word.length());
                }
            }
        }
        return last;
    }

    private int firstScopeEnd(String clause) {
        int first = -1;
        for (String word : scopeEnd) {
            for (int i = clause.indexOf(word); i >= 0; i = clause.indexOf(word, i + 1)) {
                if (isWholeWord(clause, i, i + word.length()) && (first < 0 || i < first)) {
                    first = i;
                }
            }
        }
        return first;
    }

    /**
     * Blanks every occurrence of the trigger in the window and answers whether one was found. Before the term a
     * trigger ending in a non-letter ("non-", "?") must touch the term (end the window); after it, it must open the
     * window.
     */
    private static boolean remove(StringBuilder window, String trigger, boolean beforeTerm) {
        boolean found = false;
        boolean attached = !Character.isLetterOrDigit(trigger.charAt(trigger.length() - 1));
        for (int i = window.indexOf(trigger); i >= 0; i = window.indexOf(trigger, i + 1)) {
            int end = i + trigger.length();
            boolean counts = attached
                    ? (beforeTerm ? window.substring(end).isBlank() && isWordStart(window, i) : window.substring(0, i).isBlank())
                    : isWholeWord(window, i, end);
            if (counts) {
                found = true;
                for (int k = i; k < end; k++) {
                    window.setCharAt(k, ' ');
                }
            }
        }
        return found;
    }

    private static boolean isWordStart(CharSequence text, int i) {
        return i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
    }

    private static boolean isWholeWord(CharSequence text, int start, int end) {
        boolean startsWord = !Character.isLetterOrDigit(text.charAt(start));
        boolean endsWord = !Character.isLetterOrDigit(text.charAt(end - 1));
        return (startsWord || start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1)))
                && (endsWord || end == text.length() || !Character.isLetterOrDigit(text.charAt(end)));
    }
}
