package org.alemcds.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error endpoint: errors the servlet container itself raises (a malformed request line, an
 * oversized header …) leave as a FHIR OperationOutcome like every other error, and a direct request to
 * {@code /error}, which Spring Boot answers with a 500, is a 404.
 */
@RestController
public class ErrorEndpoint implements ErrorController {

    private final ErrorResponses responses;

    public ErrorEndpoint(ErrorResponses responses) {
        this.responses = responses;
    }

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        if (status == null || !status.isError()) {
            return responses.outcome(HttpStatus.NOT_FOUND, "No such endpoint.");
        }
        return responses.outcome(status, status.is5xxServerError()
                ? "The service could not evaluate this request."
                : "The request could not be processed (" + status.getReasonPhrase() + ").");
    }
}
