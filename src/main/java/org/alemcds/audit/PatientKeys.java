package org.alemcds.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The keyed hash that stands for a patient id in the audit trail: HMAC-SHA256 with the configured secret, so calls
 * about one patient can be linked by whoever holds the secret and by no one else. Without a secret there is no key.
 */
@Component
public class PatientKeys {

    private static final Logger log = LoggerFactory.getLogger(PatientKeys.class);
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec secret;

    public PatientKeys(AuditProperties properties) {
        String configured = properties.patientIdSecret();
        if (configured.isBlank()) {
            log.warn("cds.audit.patient-id-secret is not set: the audit trail records no patient key.");
            secret = null;
        } else {
            if (configured.length() < 32) {
                log.warn("cds.audit.patient-id-secret is shorter than 32 characters: use a long random secret.");
            }
            secret = new SecretKeySpec(configured.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        }
    }

    /** The hex HMAC-SHA256 of the patient id, or null without a secret or a patient id. */
    public String keyOf(String patientId) {
        if (secret == null || patientId == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(patientId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
