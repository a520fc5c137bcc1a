package org.alemcds.audit;

import java.time.Instant;
import java.util.List;

/**
 * The audit record of one hook call. Holds no patient data: {@code patientKey} is a keyed hash of the patient id.
 *
 * @param status the HTTP status the call was answered with
 * @param errorClass the class of the error that decided a failed call, else null
 * @param cards the cards returned (empty for a failed call)
 * @param clientIssuer the JWT issuer of the calling client when client authentication is on, else null
 */
public record HookCallRecord(
        Instant calledAt,
        String serviceId,
        String hookInstance,
        String patientKey,
        int status,
        String errorClass,
        long latencyMicros,
        List<IssuedCard> cards,
        String clientIssuer) {

    /** A call from an unauthenticated client. */
    public HookCallRecord(Instant calledAt, String serviceId, String hookInstance, String patientKey, int status,
            String errorClass, long latencyMicros, List<IssuedCard> cards) {
        this(calledAt, serviceId, hookInstance, patientKey, status, errorClass, latencyMicros, cards, null);
    }

    /**
     * A card as issued: its uuid, its topic (source.topic.code: a rule ID, or a combined card's group), the indicator,
     * its suggestions' uuids, and the catalogue rules it covers (its extension's org.alemcds.rules).
     */
    public record IssuedCard(
            String uuid, String ruleId, String indicator, List<String> suggestionUuids, List<String> ruleIds) {

        /** A single-rule card: it covers its topic's rule. */
        public IssuedCard(String uuid, String ruleId, String indicator, List<String> suggestionUuids) {
            this(uuid, ruleId, indicator, suggestionUuids, List.of(ruleId));
        }
    }
}
