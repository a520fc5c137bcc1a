package org.alemcds.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code cds.audit.*} configuration.
 *
 * @param patientIdSecret key of the HMAC-SHA256 that stands for the patient id in the audit trail; blank means the
 *     audit records no patient key
 */
@ConfigurationProperties(prefix = "cds.audit")
public record AuditProperties(String patientIdSecret) {

    public AuditProperties {
        patientIdSecret = patientIdSecret == null ? "" : patientIdSecret;
    }
}
