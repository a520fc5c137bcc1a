package org.alemcds.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits and CORS: {@code cds.max-request-size} (a hook call carrying a large patient record is a few MB; beyond
 * this the answer is 413), {@code cds.max-header-size} (one request header; beyond it 431, or 401 for Authorization) and {@code cds.cors.allowed-origins} (browser-based CDS clients run on any origin).
 */
@ConfigurationProperties(prefix = "cds")
public record WebProperties(DataSize maxRequestSize, DataSize maxHeaderSize, Cors cors) {

    public WebProperties {
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(5) : maxRequestSize;
        maxHeaderSize = maxHeaderSize == null ? DataSize.ofKilobytes(8) : maxHeaderSize;
        cors = cors == null ? new Cors(null) : cors;
    }

    public record Cors(List<String> allowedOrigins) {
        public Cors {
            allowedOrigins = allowedOrigins == null || allowedOrigins.isEmpty() ? List.of("*") : List.copyOf(allowedOrigins);
        }
    }
}
