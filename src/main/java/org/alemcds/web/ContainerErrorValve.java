package org.alemcds.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * Tomcat's error report for the errors it raises itself, before any servlet or filter runs (a malformed request
 * line, {@code %2f}, {@code %00} or {@code %5c} in the path, a negative Content-Length, headers over the limit): the
 * same OperationOutcome as every other error, with the CORS headers a browser needs to read it, instead of Tomcat's
 * HTML page.
 */
public class ContainerErrorValve extends ErrorReportValve {

    private final ErrorResponses errors;
    private final List<String> allowedOrigins;

    public ContainerErrorValve(ErrorResponses errors, List<String> allowedOrigins) {
        this.errors = errors;
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.isCommitted() || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        String message = code.is5xxServerError()
                ? "The service could not process this request."
                : "The request could not be processed (" + reason(status) + ").";
        String origin = request.getHeader("Origin");
        if (allowedOrigins.contains("*")) {
            response.setHeader("Access-Control-Allow-Origin", "*");
        } else if (origin != null && allowedOrigins.contains(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
        }
        try {
            response.setContentType("application/fhir+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(errors.outcome(code, message).getBody());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone: nothing more to send
        }
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
