package org.alemcds.cli;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.alemcds.cards.CardAssembler;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.explain.Explainer;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.hooks.PatientDataAssembler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Evaluation of a patient record without a hook call: for the {@code evaluate} command and the playground. */
@Configuration(proxyBeanMethods = false)
public class EvaluationConfiguration {

    @Bean
    Explainer explainer(CqlRuleEngine engine) {
        return new Explainer(engine);
    }

    @Bean
    DraftOrders draftOrders(FhirContext fhirContext, ObjectMapper mapper) {
        return new DraftOrders(fhirContext, mapper);
    }

    @Bean
    BundleEvaluator bundleEvaluator(CdsProperties properties, PatientDataAssembler assembler, CqlRuleEngine engine,
            CardAssembler cards, Clock clock, DraftOrders draftOrders, Explainer explainer) {
        return new BundleEvaluator(properties, assembler, engine, cards, clock, draftOrders, explainer);
    }
}
