package org.alemcds.web;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.alemcds.hooks.HookException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error leaves as a FHIR OperationOutcome with a status a client can act on, never a stack trace. */
@RestControllerAdvice
public class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");

    private final FhirContext fhirContext;

    public ErrorResponses(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @ExceptionHandler(HookException.class)
    ResponseEntity<String> hook(HookException e) {
        ResponseEntity<String> answer = outcome(e.status(), e.getMessage());
        if (e.retryAfter() == null) {
            return answer;
        }
        return ResponseEntity.status(answer.getStatusCode())
                .headers(answer.getHeaders())
                .header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(answer.getBody());
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<String> notFound(Exception e) {
        return outcome(HttpStatus.NOT_FOUND, "No such endpoint.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
        return outcome(HttpStatus.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not allowed here.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e) {
        return outcome(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the request as application/json.");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<String> unreadable(HttpMessageNotReadableException e) {
        return outcome(HttpStatus.BAD_REQUEST, "The request body could not be read.");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<String> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return outcome(HttpStatus.NOT_ACCEPTABLE, "This service answers in JSON only.");
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<String> storage(DataAccessException e, HttpServletRequest request) {
        log.error("Storage unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getClass().getSimpleName());
        return outcome(HttpStatus.SERVICE_UNAVAILABLE, "The service cannot reach its database; try again later.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) {
        // the class and where it was thrown, never the message: it may quote the patient's record (a date, an id)
        StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        log.error("Unexpected error on {} {}: {} at {}", request.getMethod(), request.getRequestURI(),
                e.getClass().getName(), at);
        return outcome(HttpStatus.INTERNAL_SERVER_ERROR, "The service could not evaluate this request.");
    }

    /** A library's message code ({@code HAPI-1861: }) and a Java exception class name ({@code java.lang.X: }). */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\bHAPI-\\d+:\\s*|\\b(?:[a-z][a-z0-9_]*\\.)*[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*");

    /** The message without internals: a client reads what was wrong with its request, not how the service failed. */
    static String forClient(String message) {
        if (message == null || message.isBlank()) {
            return "The request could not be processed.";
        }
        return INTERNALS.matcher(message).replaceAll("").trim();
    }

    public ResponseEntity<String> outcome(HttpStatusCode status, String message) {
        message = forClient(message);
        var outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(status.is5xxServerError() ? OperationOutcome.IssueSeverity.FATAL : OperationOutcome.IssueSeverity.ERROR)
                .setCode(issueType(status.value()))
                .setDiagnostics(message);
        return ResponseEntity.status(status)
                .contentType(FHIR_JSON)
                .body(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }

    /** Writes the same OperationOutcome from a servlet filter, before any controller. */
    public void write(HttpServletResponse response, HttpStatusCode status, String message) throws IOException {
        ResponseEntity<String> entity = outcome(status, message);
        response.setStatus(status.value());
        response.setContentType(FHIR_JSON.toString());
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(entity.getBody());
        response.getWriter().flush();
    }

    private static OperationOutcome.IssueType issueType(int status) {
        return switch (status) {
            case 400 -> OperationOutcome.IssueType.INVALID;
            case 401, 403 -> OperationOutcome.IssueType.SECURITY;
            case 404 -> OperationOutcome.IssueType.NOTFOUND;
            case 412 -> OperationOutcome.IssueType.INCOMPLETE;
            case 413 -> OperationOutcome.IssueType.TOOLONG;
            default -> OperationOutcome.IssueType.EXCEPTION;
        };
    }
}
