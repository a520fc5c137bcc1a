package org.alemcds.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cds.security.governance.*}: who may read the governance report ({@code /governance/**}).
 *
 * @param token the bearer token of governance readers (set it from the environment, CDS_SECURITY_GOVERNANCE_TOKEN;
 *     at least {@value #MIN_TOKEN_LENGTH} characters). With client authentication on, a client JWT whose
 *     {@code scope} holds {@value GovernanceAccessFilter#SCOPE} is accepted as well. Neither: the report is refused.
 */
@ConfigurationProperties(prefix = "cds.security.governance")
public record GovernanceAccessProperties(String token) {

    static final int MIN_TOKEN_LENGTH = 32;

    public GovernanceAccessProperties {
        token = token == null || token.isBlank() ? null : token.trim();
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("cds.security.governance.token is shorter than " + MIN_TOKEN_LENGTH
                    + " characters; use a long random value (e.g. openssl rand -hex 32)");
        }
    }
}
