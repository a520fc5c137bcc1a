package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One pass finds what testing every name with String.contains finds. */
class NameMatcherTest {

    static BitSet bits(int... ordinals) {
        BitSet bits = new BitSet();
        for (int o : ordinals) {
            bits.set(o);
        }
        return bits;
    }

    static BitSet matches(NameMatcher matcher, String text) {
        BitSet found = new BitSet();
        matcher.addMatches(text, found);
        return found;
    }

    @Test
    void findsOverlappingNestedAndRepeatedNames() {
        var matcher = new NameMatcher(Map.of(
                "he", bits(0), "she", bits(1), "his", bits(2), "hers", bits(3), "tysabri", bits(4, 5)));
        assertThat(matches(matcher, "ushers")).isEqualTo(bits(0, 1, 3));
        assertThat(matches(matcher, "this")).isEqualTo(bits(2));
        assertThat(matches(matcher, "stopped tysabri (natalizumab)")).isEqualTo(bits(4, 5));
        assertThat(matches(matcher, "nothing here")).isEqualTo(bits(0));
        assertThat(matches(matcher, "")).isEqualTo(new BitSet());
    }

    @Test
    void answersLikeContainsForRandomNamesAndTexts() {
        Random random = new Random(42);
        Map<String, BitSet> names = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            names.merge(randomWord(random, 1 + random.nextInt(5)), bits(i), (a, b) -> {
                a.or(b);
                return a;
            });
        }
        var matcher = new NameMatcher(names);
        for (int t = 0; t < 2000; t++) {
            String text = randomWord(random, random.nextInt(30));
            BitSet expected = new BitSet();
            names.forEach((name, meaning) -> {
                if (text.contains(name)) {
                    expected.or(meaning);
                }
            });
            assertThat(matches(matcher, text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void anEmptyNameIsInEveryNonEmptyText() {
        var matcher = new NameMatcher(Map.of("", bits(7), "ab", bits(1)));
        assertThat(matches(matcher, "x")).isEqualTo(bits(7));
        assertThat(matches(matcher, "xab")).isEqualTo(bits(1, 7));
        assertThat(matches(matcher, "")).isEqualTo(new BitSet());
    }

    static String randomWord(Random random, int length) {
        List<Character> alphabet = List.of('a', 'b', 'c', ' ', 'é');
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(alphabet.get(random.nextInt(alphabet.size())));
        }
        return word.toString();
    }
}
