package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Prefetch tokens per CDS Hooks 2.0 §Prefetch tokens. */
class FhirTemplatesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode context(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void contextFieldsAreReplaced() throws Exception {
        var context = context("{\"patientId\":\"123\",\"encounterId\":\"456\",\"userId\":\"Practitioner/9\"}");
        assertThat(FhirTemplates.resolve("Patient/{{context.patientId}}", context)).isEqualTo("Patient/123");
        assertThat(FhirTemplates.resolve("Encounter/{{context.encounterId}}", context)).isEqualTo("Encounter/456");
        assertThat(FhirTemplates.resolve("Observation?patient={{context.patientId}}&encounter={{context.encounterId}}"
                + "&code=4548-4&_count=1&_sort=-date", context))
                .isEqualTo("Observation?patient=123&encounter=456&code=4548-4&_count=1&_sort=-date");
    }

    @Test
    void aTemplateWithoutTokensIsUnchanged() throws Exception {
        assertThat(FhirTemplates.resolve("Medication?code=1594660", context("{}"))).isEqualTo("Medication?code=1594660");
    }

    @Test
    void theTypePrefixOfAnIdFieldIsDropped() throws Exception {
        var context = context("{\"patientId\":\"Patient/123\",\"encounterId\":\"Encounter/456\"}");
        assertThat(FhirTemplates.resolve("Patient/{{context.patientId}}", context)).isEqualTo("Patient/123");
        assertThat(FhirTemplates.resolve("Encounter/{{context.encounterId}}", context)).isEqualTo("Encounter/456");
    }

    @Test
    void userTokensComeFromUserId() throws Exception {
        assertThat(FhirTemplates.resolve("Practitioner/{{userPractitionerId}}",
                context("{\"userId\":\"Practitioner/example\"}"))).isEqualTo("Practitioner/example");
        assertThat(FhirTemplates.resolve("PractitionerRole?_id={{userPractitionerRoleId}}&_include=PractitionerRole:practitioner",
                context("{\"userId\":\"PractitionerRole/r1\"}")))
                .isEqualTo("PractitionerRole?_id=r1&_include=PractitionerRole:practitioner");
        assertThat(FhirTemplates.resolve("Patient/{{userPatientId}}", context("{\"userId\":\"Patient/p7\"}")))
                .isEqualTo("Patient/p7");
        assertThat(FhirTemplates.resolve("RelatedPerson/{{userRelatedPersonId}}", context("{\"userId\":\"RelatedPerson/rp\"}")))
                .isEqualTo("RelatedPerson/rp");
        assertThat(FhirTemplates.resolve("{{context.userId}}", context("{\"userId\":\"Practitioner/example\"}")))
                .isEqualTo("Practitioner%2Fexample")
                .as("context.userId is a reference, not an id: it is kept whole (encoded)");
    }

    @Test
    void aUserTokenOfAnotherTypeHasNoValue() throws Exception {
        var practitioner = context("{\"userId\":\"Practitioner/example\"}");
        assertThat(FhirTemplates.resolve("PractitionerRole?_id={{userPractitionerRoleId}}", practitioner)).isNull();
        assertThat(FhirTemplates.resolve("Patient/{{userPatientId}}", practitioner)).isNull();
        assertThat(FhirTemplates.resolve("Practitioner/{{userPractitionerId}}",
                context("{\"userId\":\"PractitionerRole/r1\"}"))).isNull();
        assertThat(FhirTemplates.resolve("Practitioner/{{userPractitionerId}}", context("{}"))).isNull();
        assertThat(FhirTemplates.resolve("X/{{userDeviceId}}", context("{\"userId\":\"Device/d\"}"))).isNull();
    }

    @Test
    void aMissingNullEmptyOrNonPrimitiveFieldHasNoValue() throws Exception {
        var context = context("{\"patientId\":\"1\",\"encounterId\":null,\"blank\":\"\","
                + "\"draftOrders\":{\"resourceType\":\"Bundle\",\"id\":\"b\"},\"selections\":[\"a\"]}");
        assertThat(FhirTemplates.resolve("Encounter/{{context.encounterId}}", context)).isNull();
        assertThat(FhirTemplates.resolve("Encounter/{{context.appointmentId}}", context)).isNull();
        assertThat(FhirTemplates.resolve("X?id={{context.blank}}", context)).isNull();
        assertThat(FhirTemplates.resolve("X?id={{context.draftOrders}}", context)).isNull();
        assertThat(FhirTemplates.resolve("X?id={{context.selections}}", context)).isNull();
        assertThat(FhirTemplates.resolve("Bundle/{{context.draftOrders.id}}", context))
                .as("only root-level fields are tokens").isNull();
    }

    @Test
    void numbersAndSpacesInsideBracesAreAccepted() throws Exception {
        assertThat(FhirTemplates.resolve("Patient/{{ context.patientId }}", context("{\"patientId\":42}")))
                .isEqualTo("Patient/42");
    }

    @Test
    void valuesCannotInjectQueryParametersOrPathSegments() throws Exception {
        var context = context("{\"patientId\":\"1&_include=*\",\"encounterId\":\"../../admin ?x=1#\"}");
        assertThat(FhirTemplates.resolve("Condition?patient={{context.patientId}}", context))
                .isEqualTo("Condition?patient=1%26_include%3D%2A");
        assertThat(FhirTemplates.resolve("Encounter/{{context.encounterId}}", context))
                .isEqualTo("Encounter/..%2F..%2Fadmin%20%3Fx%3D1%23");
    }

    @Test
    void theConfiguredTemplatesResolve() throws Exception {
        var yaml = new org.springframework.beans.factory.config.YamlPropertiesFactoryBean();
        yaml.setResources(new org.springframework.core.io.ClassPathResource("application.yaml"));
        var templates = yaml.getObject().entrySet().stream()
                .filter(e -> e.getKey().toString().startsWith("cds.prefetch."))
                .toList();
        assertThat(templates).hasSizeGreaterThan(5);
        var context = context("{\"patientId\":\"Patient/pat-1\",\"userId\":\"Practitioner/u\"}");
        templates.forEach(e -> assertThat(FhirTemplates.resolve(e.getValue().toString(), context))
                .as(e.getKey().toString()).contains("pat-1").doesNotContain("{{").doesNotContain("Patient%2F"));
    }
}
