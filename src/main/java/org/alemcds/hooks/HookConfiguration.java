package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.alemcds.cards.CardAssembler;
import org.alemcds.cards.CardDefinitions;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.operations.OperationsMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class HookConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemDefaultZone();
    }

    @Bean
    CardDefinitions cardDefinitions(ObjectMapper mapper) {
        return CardDefinitions.fromClasspath(mapper, "classpath*:fhir-resources/cards/*.json");
    }

    @Bean
    CardAssembler cardAssembler(CardDefinitions definitions, ObjectMapper mapper) {
        return CardAssembler.combining(definitions, mapper);
    }

    @Bean
    FhirServerFetcher fhirServerFetcher(FhirContext fhirContext, CdsProperties properties, OperationsMetrics metrics) {
        return new FhirServerFetcher(fhirContext, properties.fhirClient(), metrics);
    }

    @Bean
    PatientDataAssembler patientDataAssembler(
            FhirContext fhirContext, FhirServerFetcher fetcher, OperationsMetrics metrics) {
        return new PatientDataAssembler(fhirContext, fetcher, metrics::resourcesSkipped);
    }

    @Bean
    HookService hookService(
            CdsProperties properties,
            PatientDataAssembler assembler,
            CqlRuleEngine engine,
            CardAssembler cards,
            Clock clock) {
        return new HookService(properties, assembler, engine, cards, clock);
    }
}
