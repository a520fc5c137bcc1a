package org.alemcds.hooks;

import org.springframework.http.HttpStatus;

/** A request the service answers with an error status and an OperationOutcome, never a 500. */
public class HookException extends RuntimeException {

    private final HttpStatus status;

    public HookException(HttpStatus status, String message) {
        // No stack trace: this is the answer to a bad request, not a fault, and malformed requests must stay cheap.
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static HookException badRequest(String message) {
        return new HookException(HttpStatus.BAD_REQUEST, message);
    }

    public static HookException notFound(String message) {
        return new HookException(HttpStatus.NOT_FOUND, message);
    }

    public static HookException dataUnavailable(String message) {
        return new HookException(HttpStatus.PRECONDITION_FAILED, message);
    }
}
