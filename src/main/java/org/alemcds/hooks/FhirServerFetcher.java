package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the prefetch queries a client did not supply from its {@code fhirServer}, with HAPI's FHIR client, the
 * client's bearer token and bounded timeouts; search bundles are followed through their {@code next} links.
 */
public class FhirServerFetcher {

    private static final Logger log = LoggerFactory.getLogger(FhirServerFetcher.class);
    private static final int MAX_PAGES = 50;

    private final FhirContext fhirContext;

    public FhirServerFetcher(FhirContext fhirContext, CdsProperties.FhirClient settings) {
        this.fhirContext = fhirContext;
        var factory = fhirContext.getRestfulClientFactory();
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setConnectTimeout((int) settings.connectTimeout().toMillis());
        factory.setConnectionRequestTimeout((int) settings.connectTimeout().toMillis());
        factory.setSocketTimeout((int) settings.readTimeout().toMillis());
    }

    /**
     * Runs one relative query (e.g. {@code Observation?patient=123} or {@code Patient/123}) and returns its
     * resources; throws a 412 {@link HookException} when the server cannot answer.
     */
    public List<IBaseResource> fetch(String fhirServer, String accessToken, String query) {
        try {
            IGenericClient client = fhirContext.newRestfulGenericClient(fhirServer);
            if (accessToken != null) {
                client.registerInterceptor(new BearerTokenAuthInterceptor(accessToken));
            }
            String url = fhirServer.replaceAll("/+$", "") + "/" + query;
            IBaseResource result = client.fetchResourceFromUrl(IBaseResource.class, url);
            List<IBaseResource> resources = new ArrayList<>();
            if (result instanceof Bundle bundle) {
                int pages = 0;
                while (bundle != null) {
                    bundle.getEntry().stream()
                            .map(Bundle.BundleEntryComponent::getResource)
                            .filter(r -> r != null && !(r instanceof OperationOutcome))
                            .forEach(resources::add);
                    if (bundle.getLink(Bundle.LINK_NEXT) == null || ++pages >= MAX_PAGES) {
                        break;
                    }
                    bundle = client.loadPage().next(bundle).execute();
                }
            } else if (result != null && !(result instanceof OperationOutcome)) {
                resources.add(result);
            }
            return resources;
        } catch (RuntimeException e) {
            log.warn("FHIR server fetch failed: {}", e.getClass().getSimpleName());
            throw HookException.dataUnavailable(
                    "Prefetch data was missing and could not be fetched from the FHIR server (" + query + ").");
        }
    }
}
