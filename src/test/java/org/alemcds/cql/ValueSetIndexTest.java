package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.alemcds.cql.ValueSetIndex.Terms;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/** The terminology test shared by Common."Is In", the retrieve filter and the engine's {@code in} operator. */
class ValueSetIndexTest {

    static final ValueSetIndex INDEX =
            ValueSetIndex.fromClasspath(FhirContext.forR4Cached(), "classpath*:fhir-resources/valuesets/*.json");
    static final ValueSetInfo ALEMTUZUMAB = vs("http://alemcds.org/fhir/ValueSet/alemtuzumab-product");
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    static ValueSetInfo vs(String url) {
        return new ValueSetInfo().withId(url);
    }

    @Test
    void aCodingMatchesBySystemAndCode() {
        assertThat(INDEX.in(new CodeableConcept().addCoding(new Coding(RXNORM, "1594659", null)), ALEMTUZUMAB)).isTrue();
        assertThat(INDEX.in(new CodeableConcept().addCoding(new Coding("http://other", "1594659", null)), ALEMTUZUMAB))
                .as("same code, other system").isFalse();
    }

    @Test
    void aListedNameMatchesInADisplayOrTheTextWhateverTheCase() {
        var localCode = new CodeableConcept().addCoding(new Coding("urn:local", "X1", "LEMTRADA 12 mg/1.2 mL"));
        assertThat(INDEX.in(localCode, ALEMTUZUMAB)).isTrue();
        assertThat(INDEX.in(new CodeableConcept().setText("Alemtuzumab infusion"), ALEMTUZUMAB)).isTrue();
        assertThat(INDEX.in(new CodeableConcept().setText("natalizumab"), ALEMTUZUMAB)).isFalse();
    }

    @Test
    void aCodeOfTheNameSystemIsReadAsAName() {
        var named = new Code().withSystem(ValueSetIndex.INGREDIENT_NAME_SYSTEM).withCode("Lemtrada (alemtuzumab)");
        assertThat(INDEX.in(named, ALEMTUZUMAB)).isTrue();
        assertThat(INDEX.in(Terms.of(new Coding(ValueSetIndex.INGREDIENT_NAME_SYSTEM, "lemtrada", null)), ALEMTUZUMAB))
                .isTrue();
    }

    @Test
    void preparedTermsOfSeveralConceptsAnswerLikeEachConcept() {
        var unrelated = Terms.of(new CodeableConcept().setText("blood pressure"));
        var product = Terms.of(new CodeableConcept().addCoding(new Coding(RXNORM, "117055", null)));
        assertThat(INDEX.in(Terms.union(List.of(unrelated)), ALEMTUZUMAB)).isFalse();
        assertThat(INDEX.in(Terms.union(List.of(unrelated, product)), ALEMTUZUMAB)).isTrue();
        assertThat(INDEX.in(Terms.NONE, ALEMTUZUMAB)).isFalse();
        assertThat(INDEX.in((CodeableConcept) null, ALEMTUZUMAB)).isFalse();
    }

    @Test
    void anUnknownValueSetIsAnError() {
        assertThatThrownBy(() -> INDEX.in(new CodeableConcept().setText("x"), vs("http://example.org/unknown")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown value set");
    }

    /** A concept in a value set only through an uncertain mention reads as an unconfirmed finding (TextEvidence.cql). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
        possible HIV infection                          | true
        ? stroke                                        | true
        suspected anaphylaxis to alemtuzumab            | true
        cannot rule out HIV infection                   | true
        HIV infection                                   | false
        possible stroke. HIV infection                  | false
        no evidence of HIV infection                    | false
        blood pressure                                  | false
        """)
    void aConceptNamedOnlyUncertainly(String text, boolean expected) {
        var terms = Terms.of(new CodeableConcept().setText(text));
        assertThat(INDEX.isNamedOnlyUncertainly(terms)).isEqualTo(expected);
        assertThat(INDEX.in(terms, vs("http://alemcds.org/fhir/ValueSet/hiv-infection")))
                .as("an uncertain mention is still a member").isEqualTo(text.contains("HIV") && !text.startsWith("no "));
    }

    @Test
    void aListedCodeWinsOverAnUncertainText() {
        var coded = new CodeableConcept().setText("possible HIV infection")
                .addCoding(new Coding("http://snomed.info/sct", "86406008", null));
        assertThat(INDEX.isNamedOnlyUncertainly(Terms.of(coded))).isFalse();
        assertThat(INDEX.isNamedOnlyUncertainly(Terms.NONE)).isFalse();
    }
}
