package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import org.alemcds.cql.TextEvidence.Reading;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * Free text as clinicians write it, read with the rule set kept beside the value sets (text-* trigger sets): the
 * reading of the value set's term in each phrase, and whether the text then counts as a member (Common."Is In").
 * A negated mention is no finding; an uncertain one still is (a suspected anaphylaxis or PML must not vanish).
 */
class TextEvidenceTest {

    private static final String VS = "http://alemcds.org/fhir/ValueSet/";

    @ParameterizedTest(name = "[{0}] {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
        urticaria      | no urticaria                                         | NEGATED
        urticaria      | No urticaria or angioedema                           | NEGATED
        hsr-feature    | no urticaria, angioedema or wheeze                   | NEGATED
        hsr-feature    | denies wheeze                                        | NEGATED
        hsr-feature    | Patient denied wheezing during the infusion          | NEGATED
        hsr-feature    | negative for angioedema                              | NEGATED
        hsr-feature    | without angioedema                                   | NEGATED
        hsr-feature    | w/o stridor                                          | NEGATED
        urticaria      | non-urticarial rash                                  | NEGATED
        urticaria      | non urticarial erythema                              | NEGATED
        hsr-feature    | no evidence of anaphylaxis                           | NEGATED
        hsr-feature    | no signs of bronchospasm                             | NEGATED
        hsr-feature    | free of angioedema                                   | NEGATED
        hsr-feature    | anaphylaxis ruled out                                | NEGATED
        hsr-feature    | anaphylaxis was excluded by the allergist            | NEGATED
        hsr-feature    | Angioedema: absent                                   | NEGATED
        hsr-feature    | hypotension not present                              | NEGATED
        hsr-feature    | never had anaphylaxis                                | NEGATED
        urticaria      | hives: none                                          | NEGATED
        hiv-infection  | HIV infection excluded                               | NEGATED
        hsr-feature    | no history of anaphylaxis                            | NEGATED
        hsr-feature    | possible anaphylaxis                                 | UNCERTAIN
        hsr-feature    | suspected angioedema                                 | UNCERTAIN
        hsr-feature    | ?anaphylaxis                                         | UNCERTAIN
        hsr-feature    | anaphylaxis?                                         | UNCERTAIN
        hsr-feature    | anaphylaxis cannot be excluded                       | UNCERTAIN
        hsr-feature    | anaphylaxis not ruled out                            | UNCERTAIN
        hsr-feature    | probable bronchospasm                                | UNCERTAIN
        hsr-feature    | rule out anaphylaxis                                 | UNCERTAIN
        hsr-feature    | query angioedema                                     | UNCERTAIN
        urticaria      | urticaria                                            | AFFIRMED
        urticaria      | Urticaria after infusion day 2                       | AFFIRMED
        urticaria      | rash, urticaria                                      | AFFIRMED
        urticaria      | no fever but urticaria                               | AFFIRMED
        urticaria      | no fever; urticaria on day 3                         | AFFIRMED
        urticaria      | no rash initially, then urticaria                    | AFFIRMED
        hsr-feature    | flushing and wheeze                                  | AFFIRMED
        hsr-feature    | severe anaphylaxis requiring adrenaline              | AFFIRMED
        hsr-feature    | wheeze, not controlled by salbutamol                 | AFFIRMED
        malignancy     | non-Hodgkin lymphoma                                 | AFFIRMED
        hsr-feature    | history of anaphylaxis to penicillin                 | AFFIRMED
        hsr-feature    | denies fever. Wheeze on auscultation                 | AFFIRMED
        hsr-feature    | anaphylaxis confirmed; no wheeze today               | AFFIRMED
        urticaria      | flushing                                             |
        hsr-feature    | Fever, negative for angioedema                       | NEGATED
        irr-manifestation | Fever, negative for angioedema                    | AFFIRMED
        """)
    void eachPhraseReadsAsAClinicianWould(String valueSet, String phrase, Reading expected) {
        ValueSetInfo vs = new ValueSetInfo().withId(VS + valueSet);
        assertThat(ValueSetIndexTest.INDEX.reading(phrase, vs)).isEqualTo(expected);
        assertThat(ValueSetIndexTest.INDEX.in(new CodeableConcept().setText(phrase), vs))
                .as("a member unless denied or not named").isEqualTo(expected != null && expected != Reading.NEGATED);
    }
}
