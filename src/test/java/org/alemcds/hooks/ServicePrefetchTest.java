package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.alemcds.cql.DataRequirements;
import org.alemcds.cql.DataRequirements.TypeRequirement;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Test;

/** Prefetch templates derived from the rules' data requirements (README "Departures and decisions (protocol)"). */
class ServicePrefetchTest {

    /** The templates of application.yaml ({@code cds.prefetch}), as the service is configured. */
    private static final Map<String, String> CONFIGURED = configured();

    private static Map<String, String> configured() {
        var yaml = new org.springframework.beans.factory.config.YamlPropertiesFactoryBean();
        yaml.setResources(new org.springframework.core.io.ClassPathResource("application.yaml"));
        Map<String, String> templates = new java.util.LinkedHashMap<>();
        yaml.getObject().forEach((key, value) -> {
            if (key.toString().startsWith("cds.prefetch.")) {
                templates.put(key.toString().substring("cds.prefetch.".length()), value.toString());
            }
        });
        return templates;
    }
    private static final String VS = "http://alemcds.org/fhir/ValueSet/";

    private static ServicePrefetch of(String library, boolean applicabilityFirst) {
        var engine = RuleHarness.ENGINE;
        return ServicePrefetch.derive(CONFIGURED, engine.dataRequirements(library, Set.of()),
                applicabilityFirst ? engine.dataRequirements(library, Set.of(HookService.APPLICABLE)) : null,
                engine.terminology());
    }

    @Test
    void orderSignAsksForEveryConfiguredTypeItsRulesRead() {
        ServicePrefetch orderSign = of("PreCourseChecks", false);

        assertThat(orderSign.required()).isEqualTo(CONFIGURED);
        assertThat(orderSign.advertised()).isEqualTo(orderSign.required());
    }

    @Test
    void patientViewAdvertisesOnlyWhatDecidesWhetherAlemtuzumabWasEverGiven() {
        ServicePrefetch patientView = of("MonitoringChecks", true);

        assertThat(patientView.advertised().keySet())
                .containsExactlyInAnyOrder("medicationRequests", "medicationAdministrations");
        assertThat(patientView.required()).containsKeys("patient", "observations", "conditions")
                .doesNotContainKey("imagingStudies") // no monitoring rule reads imaging studies
                .containsAllEntriesOf(patientView.advertised());
    }

    @Test
    void everyTypeTheRulesReadIsAskedForExceptWhatComesWithTheDraftOrders() {
        assertThat(ServicePrefetch.unasked(CONFIGURED, RuleHarness.ENGINE.dataRequirements("PreCourseChecks", Set.of())))
                .containsExactly("ImmunizationRecommendation");
        assertThat(ServicePrefetch.unasked(CONFIGURED, RuleHarness.ENGINE.dataRequirements("MonitoringChecks", Set.of())))
                .isEmpty();
    }

    @Test
    void aTypeReadOnlyByFullyCodedValueSetsIsQueriedByCodeAndOneMatchedByNamesBroadly() {
        var coded = new DataRequirements(Map.of("DiagnosticReport",
                new TypeRequirement(false, Set.of("code"), Set.of(VS + "cervical-cytology"), Set.of())));
        var named = new DataRequirements(Map.of("DiagnosticReport",
                new TypeRequirement(false, Set.of("code"), Set.of(VS + "mri-neuraxis"), Set.of())));
        var templates = Map.of("diagnosticReports", "DiagnosticReport?patient={{context.patientId}}");

        assertThat(ServicePrefetch.derive(templates, coded, null, RuleHarness.ENGINE.terminology()).required())
                .containsEntry("diagnosticReports", "DiagnosticReport?patient={{context.patientId}}"
                        + "&code=http://loinc.org|10524-7,http://loinc.org|19762-4,http://loinc.org|47527-7");
        assertThat(ServicePrefetch.derive(templates, named, null, RuleHarness.ENGINE.terminology()).required())
                .containsEntry("diagnosticReports", "DiagnosticReport?patient={{context.patientId}}");
    }

    @Test
    void theTypeOfATemplateIsItsPathBeforeTheQueryOrId() {
        assertThat(ServicePrefetch.typeOf("Patient/{{context.patientId}}")).isEqualTo("Patient");
        assertThat(ServicePrefetch.typeOf("MedicationRequest?patient={{context.patientId}}&_include=MedicationRequest:medication"))
                .isEqualTo("MedicationRequest");
    }
}
