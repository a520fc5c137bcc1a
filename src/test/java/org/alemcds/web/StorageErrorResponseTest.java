package org.alemcds.web;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockHttpServletRequest;

class StorageErrorResponseTest {

    @Test
    void anUnreachableDatabaseIs503WithAnOperationOutcome() {
        var response = new ErrorResponses(FhirContext.forR4Cached())
                .storage(new DataAccessResourceFailureException("down"), new MockHttpServletRequest("POST", "/cds-services/x"));
        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getBody()).contains("\"resourceType\":\"OperationOutcome\"").doesNotContain("down");
    }
}
