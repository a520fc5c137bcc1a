package org.alemcds.hooks;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** A request the service answers with an error status and an OperationOutcome, never a 500. */
public class HookException extends RuntimeException {

    private final HttpStatus status;
    private final Duration retryAfter;

    public HookException(HttpStatus status, String message) {
        this(status, message, null);
    }

    private HookException(HttpStatus status, String message, Duration retryAfter) {
        // No stack trace: this is the answer to a bad request, not a fault, and malformed requests must stay cheap.
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    /** When the client may try again (a Retry-After header), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** 503: the service is at capacity; the client may retry after {@code retryAfter}. */
    public static HookException busy(String message, Duration retryAfter) {
        return new HookException(HttpStatus.SERVICE_UNAVAILABLE, message, retryAfter);
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
