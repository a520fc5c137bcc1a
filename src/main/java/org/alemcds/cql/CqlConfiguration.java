package org.alemcds.cql;

import ca.uhn.fhir.context.FhirContext;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.alemcds.hooks.CdsProperties;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class CqlConfiguration {

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    @Bean
    ValueSetIndex valueSetIndex(FhirContext fhirContext) {
        return valueSets(fhirContext);
    }

    /** The project's value sets (fhir-resources/valuesets), as the rules read them. */
    public static ValueSetIndex valueSets(FhirContext fhirContext) {
        return ValueSetIndex.fromClasspath(fhirContext, "classpath*:fhir-resources/valuesets/*.json");
    }

    /** Translates every service library at start-up and runs each once, so the first real call is warm. */
    @Bean
    CqlRuleEngine cqlRuleEngine(FhirContext fhirContext, ValueSetIndex valueSets, CdsProperties properties) {
        var engine = new CqlRuleEngine(fhirContext, valueSets);
        List<String> libraries = properties.services().stream().map(CdsProperties.Service::library).distinct().toList();
        engine.compile(libraries);
        var patient = new Patient().setGender(Enumerations.AdministrativeGender.UNKNOWN);
        patient.setIdElement(new IdType("Patient", "warm-up"));
        var bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.addEntry().setResource(patient);
        for (String library : libraries) {
            engine.evaluate(library, List.of("Cards"), bundle, "warm-up", Map.of(), ZonedDateTime.now());
        }
        return engine;
    }
}
