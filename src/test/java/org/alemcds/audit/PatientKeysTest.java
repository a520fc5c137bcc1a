package org.alemcds.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatientKeysTest {

    @Test
    void isHmacSha256OfThePatientIdWithTheConfiguredSecret() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        var keys = new PatientKeys(new AuditProperties("Jefe"));
        assertThat(keys.keyOf("what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void differsBySecretAndNeverContainsTheId() {
        String id = "mrn-0012345";
        String one = new PatientKeys(new AuditProperties("secret-one-secret-one-secret-one")).keyOf(id);
        String two = new PatientKeys(new AuditProperties("secret-two-secret-two-secret-two")).keyOf(id);
        assertThat(one).hasSize(64).doesNotContain(id).isNotEqualTo(two);
    }

    @Test
    void withoutASecretThereIsNoKey() {
        assertThat(new PatientKeys(new AuditProperties("")).keyOf("p1")).isNull();
        assertThat(new PatientKeys(new AuditProperties(null)).keyOf("p1")).isNull();
        assertThat(new PatientKeys(new AuditProperties("Jefe")).keyOf(null)).isNull();
    }

    @Test
    void clientIdentifiersAreMadeSafeForALogLine() {
        assertThat(HookAudit.safe("abc-123\nFORGED status=200")).isEqualTo("abc-123?FORGED?status?200");
        assertThat(HookAudit.safe("x".repeat(500))).hasSize(100);
        assertThat(HookAudit.safe(null)).isNull();
    }
}
