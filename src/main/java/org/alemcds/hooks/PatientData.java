package org.alemcds.hooks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;

/**
 * One patient's data for a hook call.
 *
 * @param bundle the prefetch (or fetched) resources and the draft orders, de-duplicated
 * @param decidedOrderIds ids of the draft orders being decided (all drafts on order-sign, the selections on
 *     order-select)
 * @param missingPrefetchKeys prefetch keys the client did not supply in full: absent, an OperationOutcome, or a search
 *     bundle the client paginated (a {@code next} link)
 * @param nextPages for a paginated prefetch key, the URL of its next page
 * @param hasPatient whether the Patient resource is in the bundle
 */
public record PatientData(
        String patientId,
        Bundle bundle,
        List<String> decidedOrderIds,
        Set<String> missingPrefetchKeys,
        Map<String, String> nextPages,
        boolean hasPatient) {}
