package org.alemcds.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alemcds.hooks.CdsProperties;
import org.alemcds.playground.SamplePatients;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A demo FHIR R4 server at {@code /fhir}, off by default ({@code cds.demo.fhir=true}): the sample patients, read-only,
 * served by HAPI's plain RESTful server over an in-memory store, so that the service's FHIR fallback and the CDS Hooks
 * sandbox work with nothing else running. CORS comes from the application's filter (all paths). Fictional data only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cds.demo.fhir", havingValue = "true")
public class DemoFhirConfiguration {

    public static final String PATH = "/fhir";
    private static final Logger log = LoggerFactory.getLogger(DemoFhirConfiguration.class);

    @Bean
    ServletRegistrationBean<RestfulServer> demoFhirServer(FhirContext fhirContext, SamplePatients samples, ObjectMapper mapper,
            CdsProperties properties) {
        Map<Class<? extends IBaseResource>, Map<String, IBaseResource>> byType = new LinkedHashMap<>();
        // every type the service's prefetch asks for is searchable, with or without samples of it
        for (String template : properties.prefetch().values()) {
            String type = template.split("[/?]", 2)[0];
            byType.put(fhirContext.getResourceDefinition(type).getImplementingClass(), new LinkedHashMap<>());
        }
        var parser = fhirContext.newJsonParser();
        int count = 0;
        for (SamplePatients.Sample sample : samples.all()) {
            Bundle bundle;
            try {
                bundle = parser.parseResource(Bundle.class, mapper.writeValueAsString(sample.bundle()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            for (var entry : bundle.getEntry()) {
                IBaseResource resource = entry.getResource();
                byType.computeIfAbsent(resource.getClass(), k -> new LinkedHashMap<>())
                        .put(resource.getIdElement().getIdPart(), resource);
                count++;
            }
        }
        List<IResourceProvider> providers = new ArrayList<>();
        byType.forEach((type, resources) -> providers.add(new SampleResourceProvider(type, resources, fhirContext)));
        RestfulServer server = new RestfulServer(fhirContext);
        server.setResourceProviders(providers);
        server.setDefaultPrettyPrint(true);
        log.warn("Demo FHIR server ON at {}: {} sample patients ({} resources), read-only, fictional data.",
                PATH, samples.all().size(), count);
        var registration = new ServletRegistrationBean<>(server, PATH + "/*");
        registration.setName("demoFhirServer");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
