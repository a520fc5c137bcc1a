package org.alemcds.hooks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.util.unit.DataSize;

/**
 * The {@code cds.*} configuration: deployment profile, the services offered, their prefetch templates, and the
 * FHIR client used when a prefetch key is missing.
 */
@ConfigurationProperties(prefix = "cds")
public record CdsProperties(
        String profile, Map<String, String> prefetch, List<Service> services, FhirClient fhirClient) {

    public CdsProperties {
        profile = profile == null ? "UNION" : profile;
        prefetch = prefetch == null ? Map.of() : new LinkedHashMap<>(prefetch);
        services = services == null ? List.of() : List.copyOf(services);
        fhirClient = fhirClient == null ? new FhirClient(null, null, null, false) : fhirClient;
    }

    /** One CDS service: its discovery entry and the CQL library that answers it. */
    public record Service(String id, String hook, String title, String description, String library) {}

    /**
     * The FHIR client that fetches missing prefetch data.
     *
     * @param connectTimeout to open a connection to the client's FHIR server
     * @param readTimeout for each HTTP response (headers and body), each page of a search
     * @param totalTimeout for all missing prefetch keys together, all pages included
     * @param requireHttps refuse to send the access token to an http:// fhirServer (on in the prod profile)
     * @param maxBytesPerRequest response bytes one hook call may fetch, all keys and pages together; beyond it a 412
     * @param maxConcurrentFetches hook calls fetching from FHIR servers at once, service-wide; the heap must hold
     *     this many times {@code maxBytesPerRequest} of JSON and its parsed resources
     * @param queueWait how long a call waits for a fetch slot before it is refused with a 503 and Retry-After
     */
    public record FhirClient(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, boolean requireHttps,
            DataSize maxBytesPerRequest, Integer maxConcurrentFetches, Duration queueWait) {
        @ConstructorBinding
        public FhirClient {
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(2) : readTimeout;
            totalTimeout = totalTimeout == null ? Duration.ofSeconds(5) : totalTimeout;
            maxBytesPerRequest = maxBytesPerRequest == null ? DataSize.ofMegabytes(16) : maxBytesPerRequest;
            maxConcurrentFetches = maxConcurrentFetches == null || maxConcurrentFetches < 1 ? 4 : maxConcurrentFetches;
            queueWait = queueWait == null ? Duration.ofSeconds(1) : queueWait;
        }

        /** The timeouts and https rule, with the default byte budget and concurrency. */
        public FhirClient(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, boolean requireHttps) {
            this(connectTimeout, readTimeout, totalTimeout, requireHttps, null, null, null);
        }
    }
}
