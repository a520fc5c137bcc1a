package org.alemcds.cql;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.terminology.CodeSystemInfo;
import org.opencds.cqf.cql.engine.terminology.TerminologyProvider;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Terminology for the CQL engine, built from the expanded ValueSet resources in {@code fhir-resources/valuesets}.
 *
 * <p>Membership is a hash lookup on system|code. Codes of the {@link #INGREDIENT_NAME_SYSTEM} system in an expansion
 * are ingredient or brand names: a coding whose display (or a CQL-made text code) contains such a name is a member,
 * so that a medication coded locally, or at a product level the expansion lacks, is still recognised by its name.
 * A name found in text that denies it ("no urticaria", "denies wheeze", "non-urticarial") is not a finding: each
 * occurrence is read by {@link TextEvidence}, whose rule set is the {@code text-*} trigger value sets. A name
 * mentioned uncertainly ("suspected anaphylaxis") still makes a member (a suspicion must not vanish); whether a concept
 * is named only so is {@link #isNamedOnlyUncertainly}, which the rules read as an unconfirmed diagnosis.
 */
public final class ValueSetIndex implements TerminologyProvider {

    public static final String INGREDIENT_NAME_SYSTEM = "http://alemcds.org/fhir/CodeSystem/ingredient-name";
    private static final String TRIGGERS = "http://alemcds.org/fhir/ValueSet/text-";

    private record Expansion(int ordinal, Set<String> keys, List<String> names, List<Code> codes) {}

    private final Map<String, Expansion> byUrl;
    /** For each system|code key, the ordinals of the value sets that list it. */
    private final Map<String, BitSet> valueSetsByKey = new HashMap<>();
    /** Finds the listed names in a text; each name stands for the ordinals of the value sets that list it. */
    private final NameMatcher valueSetsByName;
    /** Reads each name found in a text as affirmed, uncertain or negated. */
    private final TextEvidence textEvidence;

    private ValueSetIndex(Map<String, Expansion> byUrl) {
        this.byUrl = byUrl;
        Map<String, BitSet> byName = new HashMap<>();
        for (Expansion expansion : byUrl.values()) {
            int ordinal = expansion.ordinal();
            expansion.keys().forEach(k -> valueSetsByKey.computeIfAbsent(k, x -> new BitSet()).set(ordinal));
            expansion.names().forEach(n -> byName.computeIfAbsent(n, x -> new BitSet()).set(ordinal));
        }
        this.valueSetsByName = new NameMatcher(byName);
        this.textEvidence = new TextEvidence(triggers("negation-before"), triggers("negation-after"),
                triggers("uncertainty-before"), triggers("uncertainty-after"), triggers("scope-end"));
    }

    private List<String> triggers(String name) {
        Expansion expansion = byUrl.get(TRIGGERS + name);
        return expansion == null ? List.of() : expansion.codes().stream().map(Code::getCode).toList();
    }

    /**
     * How a text mentions the names of a value set: affirmed when one mention is, else uncertain when one is, else
     * negated; null when it names none of them.
     */
    TextEvidence.Reading reading(String text, ValueSetInfo valueSet) {
        String lower = text.toLowerCase(Locale.ROOT);
        int ordinal = expansion(valueSet).ordinal();
        TextEvidence.Reading[] strongest = {null};
        valueSetsByName.forEachOccurrence(lower, (start, end, meaning) -> {
            if (meaning.get(ordinal)) {
                TextEvidence.Reading reading = textEvidence.read(lower, start, end);
                if (strongest[0] == null || reading.ordinal() < strongest[0].ordinal()) {
                    strongest[0] = reading;
                }
            }
        });
        return strongest[0];
    }

    public static ValueSetIndex fromClasspath(FhirContext fhirContext, String pattern) {
        var parser = fhirContext.newJsonParser();
        Map<String, Expansion> byUrl = new HashMap<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = resource.getInputStream()) {
                    ValueSet vs = parser.parseResource(ValueSet.class, in);
                    byUrl.put(vs.getUrl(), expansionOf(vs, byUrl.size()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read value sets " + pattern, e);
        }
        return new ValueSetIndex(Map.copyOf(byUrl));
    }

    private static Expansion expansionOf(ValueSet vs, int ordinal) {
        Set<String> keys = new HashSet<>();
        List<String> names = new ArrayList<>();
        List<Code> codes = new ArrayList<>();
        for (var contains : vs.getExpansion().getContains()) {
            if (INGREDIENT_NAME_SYSTEM.equals(contains.getSystem())) {
                names.add(contains.getCode().toLowerCase(Locale.ROOT));
            } else {
                keys.add(key(contains.getSystem(), contains.getCode()));
            }
            codes.add(new Code()
                    .withSystem(contains.getSystem())
                    .withCode(contains.getCode())
                    .withDisplay(contains.getDisplay()));
        }
        return new Expansion(ordinal, Set.copyOf(keys), List.copyOf(names), List.copyOf(codes));
    }

    private static String key(String system, String code) {
        return system + "|" + code;
    }

    public Set<String> urls() {
        return byUrl.keySet();
    }

    private Expansion expansion(ValueSetInfo valueSet) {
        Expansion expansion = byUrl.get(valueSet.getId());
        if (expansion == null) {
            throw new IllegalArgumentException("Unknown value set " + valueSet.getId());
        }
        return expansion;
    }

    @Override
    public boolean in(Code code, ValueSetInfo valueSet) {
        return code != null
                && in(Terms.of(new Coding(code.getSystem(), code.getCode(), code.getDisplay())), valueSet);
    }

    /**
     * What a terminology test reads of one or more concepts: the system|code keys of their codings and, lower-cased,
     * the texts a listed name may appear in (coding displays, concept texts, codes of the ingredient-name system).
     * Prepared once, it answers any number of value-set tests: the value sets it belongs to are found on the first
     * test and remembered.
     */
    public static final class Terms {

        public static final Terms NONE = new Terms(List.of(), List.of());

        private final List<String> keys;
        private final List<String> texts;
        private volatile Membership membership; // found by the first test, for the index that tested

        Terms(List<String> keys, List<String> texts) {
            this.keys = keys;
            this.texts = texts;
        }

        public List<String> keys() {
            return keys;
        }

        public List<String> texts() {
            return texts;
        }

        public static Terms of(CodeableConcept concept) {
            if (concept == null) {
                return NONE;
            }
            List<String> keys = new ArrayList<>(concept.getCoding().size());
            List<String> texts = new ArrayList<>(concept.getCoding().size() + 1);
            for (Coding coding : concept.getCoding()) {
                add(coding, keys, texts);
            }
            addText(concept.getText(), texts);
            return new Terms(keys, texts);
        }

        public static Terms of(Coding coding) {
            if (coding == null) {
                return NONE;
            }
            List<String> keys = new ArrayList<>(1);
            List<String> texts = new ArrayList<>(1);
            add(coding, keys, texts);
            return new Terms(keys, texts);
        }

        public static Terms union(List<Terms> terms) {
            List<String> keys = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (Terms each : terms) {
                keys.addAll(each.keys());
                texts.addAll(each.texts());
            }
            return new Terms(keys, texts);
        }

        private static void add(Coding coding, List<String> keys, List<String> texts) {
            if (coding.getCode() != null) {
                keys.add(key(coding.getSystem(), coding.getCode()));
                if (INGREDIENT_NAME_SYSTEM.equals(coding.getSystem())) {
                    addText(coding.getCode(), texts);
                }
            }
            addText(coding.getDisplay(), texts);
        }

        private static void addText(String text, List<String> texts) {
            if (text != null && !text.isBlank()) {
                texts.add(text.toLowerCase(Locale.ROOT));
            }
        }
    }

    /**
     * A concept is in a value set when one of its codings is (system|code, or a listed name in its display) or its
     * text contains a listed name: the test behind CQL's {@code Common."Is In"} and the retrieve filter.
     */
    public boolean in(CodeableConcept concept, ValueSetInfo valueSet) {
        return concept != null && in(Terms.of(concept), valueSet);
    }

    public boolean in(Terms terms, ValueSetInfo valueSet) {
        return membership(terms).memberOf().get(expansion(valueSet).ordinal());
    }

    /**
     * Whether the terms are in some value set only through names their text mentions uncertainly ("possible HIV
     * infection", "? stroke", "suspected anaphylaxis"): no code of theirs is listed and no listed name is affirmed
     * (an affirmed mention of any listed term makes the whole concept a finding, the side on which a card keeps its
     * level). The rules read such a concept as an unconfirmed diagnosis. Answered from the membership found once per
     * terms, without reading the text again.
     */
    public boolean isNamedOnlyUncertainly(Terms terms) {
        Membership membership = membership(terms);
        return membership.confirmed().isEmpty() && !membership.memberOf().isEmpty();
    }

    /**
     * Ordinals, in {@code index}, of the value sets some terms belong to (by code, or by a name mentioned affirmed
     * or uncertain) and of those they belong to by code or affirmed name ({@code confirmed}, a subset).
     */
    private record Membership(ValueSetIndex index, BitSet memberOf, BitSet confirmed) {}

    /** The value sets whose codes or names the terms contain; found on the first test and remembered. */
    private Membership membership(Terms terms) {
        Membership membership = terms.membership;
        if (membership == null || membership.index() != this) {
            BitSet confirmed = new BitSet();
            for (String key : terms.keys()) {
                BitSet withKey = valueSetsByKey.get(key);
                if (withKey != null) {
                    confirmed.or(withKey);
                }
            }
            BitSet uncertain = new BitSet();
            for (String text : terms.texts()) {
                addMentionedNames(text, confirmed, uncertain);
            }
            BitSet memberOf = confirmed;
            if (!uncertain.isEmpty()) {
                memberOf = (BitSet) confirmed.clone();
                memberOf.or(uncertain);
            }
            membership = new Membership(this, memberOf, confirmed);
            terms.membership = membership; // threads sharing terms (NONE) may each compute the same answer
        }
        return membership;
    }

    private static final Comparator<Mention> LONGEST_FIRST = Comparator.comparingInt(m -> m.start() - m.end());

    /** One occurrence of a listed name in a text: where it is and what it stands for. */
    private record Mention(int start, int end, BitSet meaning) {
        boolean isInside(Mention other) {
            return other.start() <= start && end <= other.end() && other != this;
        }
    }

    /**
     * Adds the value sets of the names the text mentions without denying them: to {@code confirmed} when a mention
     * is affirmed, else to {@code uncertain}. A name inside a longer listed name is part of that term ("infection" in
     * "? HIV infection"): when the longer one is uncertain, so is it (NegEx reads the longest term; a trigger that
     * touches its term, "?", reaches only the longer name's first word). A listed name that is itself a trigger
     * ("rule out" in not-a-patient-diagnosis) qualifies a term: it affirms nothing.
     */
    private void addMentionedNames(String text, BitSet confirmed, BitSet uncertain) {
        if (textEvidence.isEmpty()) {
            valueSetsByName.addMatches(text, confirmed);
            return;
        }
        List<Mention> mentions = new ArrayList<>(2);
        valueSetsByName.forEachOccurrence(text, (start, end, meaning) -> mentions.add(new Mention(start, end, meaning)));
        if (mentions.isEmpty()) {
            return;
        }
        List<Mention> uncertainMentions = new ArrayList<>(1);
        if (mentions.size() > 1) {
            mentions.sort(LONGEST_FIRST);
        }
        for (Mention mention : mentions) {
            if (isSubset(mention.meaning(), confirmed)) {
                continue; // nothing left to add
            }
            switch (textEvidence.read(text, mention.start(), mention.end())) {
                case AFFIRMED -> (uncertainMentions.stream().anyMatch(mention::isInside)
                        || textEvidence.isTrigger(text.substring(mention.start(), mention.end())) ? uncertain : confirmed)
                        .or(mention.meaning());
                case UNCERTAIN -> {
                    uncertain.or(mention.meaning());
                    uncertainMentions.add(mention);
                }
                case NEGATED -> { }
            }
        }
    }

    private static boolean isSubset(BitSet bits, BitSet of) {
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            if (!of.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Iterable<Code> expand(ValueSetInfo valueSet) {
        return expansion(valueSet).codes();
    }

    @Override
    public Code lookup(Code code, CodeSystemInfo codeSystem) {
        return code;
    }
}
