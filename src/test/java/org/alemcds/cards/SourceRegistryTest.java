package org.alemcds.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/** The source registry (fhir-resources/sources.json) and what a card shows of its sources. */
class SourceRegistryTest {

    private final SourceRegistry registry = RuleHarness.DEFINITIONS.sources();

    @Test
    void everyDocumentIsFullyCitedAndEveryEntryIsUsed() {
        Set<String> cited = new TreeSet<>();
        RuleHarness.DEFINITIONS.all().values()
                .forEach(d -> d.sources().forEach(s -> cited.add(registry.tagOf(s).orElseThrow())));
        assertThat(registry.all().keySet()).as("registry entries no template cites").isEqualTo(cited);
        registry.all().forEach((tag, document) -> {
            assertThat(document.label()).as(tag).isNotBlank().doesNotContain(tag + " ");
            assertThat(document.citation()).as(tag).isNotBlank();
            assertThat(document.edition()).as(tag).isNotBlank();
            if (document.url() != null) {
                assertThat(document.url()).as(tag).startsWith("https://");
            }
        });
    }

    @Test
    void aTagWithASectionCitesItsDocumentOnceWithTheSectionsInTheLink() {
        var citation = registry.cite(List.of(
                "L-US-ISI Contraindications", "L-US-ISI REMS", "L-EU-A20", "S1 Table 1", "L-US-ISI"));
        assertThat(citation.label()).isEqualTo("LEMTRADA US Important Safety Information; "
                + "EMA Article 20 referral: Lemtrada (2020); Hassoun et al. 2016, alemtuzumab in clinical practice");
        assertThat(citation.url()).isEqualTo("https://www.lemtradahcp.com/");
        assertThat(citation.links()).extracting(Card.Link::label).containsExactly(
                "LEMTRADA US Important Safety Information — Contraindications, REMS",
                "EMA Article 20 referral: Lemtrada (2020)",
                "Hassoun et al. 2016, alemtuzumab in clinical practice — Table 1");
        assertThat(citation.links()).allSatisfy(l -> assertThat(l.type()).isEqualTo("absolute"));
    }

    @Test
    void longestTagWinsAndUnknownTagsAreNotGuessed() {
        assertThat(registry.tagOf("L-US dosing (lemtradahcp)")).contains("L-US dosing (lemtradahcp)");
        assertThat(registry.tagOf("S1 Table 3")).contains("S1");
        assertThat(registry.tagOf("S12")).isEmpty();
        assertThat(registry.tagOf("L-US-ISIX")).isEmpty();
    }

    @Test
    void aLongListNamesThreeDocumentsAndLinksThemAll() {
        var citation = registry.cite(List.of("L-US-BW", "L-US-ISI", "L-EU-A20", "S1 Table 3", "S2 Methods"));
        assertThat(citation.label()).endsWith(" and 2 more").startsWith("LEMTRADA US Prescribing Information; ");
        assertThat(citation.links()).hasSize(5);
    }
}
