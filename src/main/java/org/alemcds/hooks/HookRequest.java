package org.alemcds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated CDS Hooks call: the required fields are present and of the right JSON type.
 *
 * @param patientId {@code context.patientId} without a {@code Patient/} prefix
 * @param prefetch the prefetch object, or null when the client sent none
 * @param accessToken {@code fhirAuthorization.access_token}, or null
 */
public record HookRequest(
        String hook,
        String hookInstance,
        String fhirServer,
        String accessToken,
        String patientId,
        JsonNode context,
        JsonNode prefetch) {

    /** Validates the JSON body of a hook call; throws a 400 {@link HookException} naming every problem. */
    public static HookRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw HookException.badRequest("The request body must be a JSON object.");
        }
        List<String> problems = new ArrayList<>();
        String hook = requiredText(body, "hook", problems);
        String hookInstance = requiredText(body, "hookInstance", problems);
        JsonNode context = body.get("context");
        if (context == null || !context.isObject()) {
            problems.add("'context' is required and must be an object");
        }
        String fhirServer = optionalText(body, "fhirServer", problems);
        String accessToken = null;
        JsonNode authorization = body.get("fhirAuthorization");
        if (authorization != null && !authorization.isNull()) {
            if (!authorization.isObject()) {
                problems.add("'fhirAuthorization' must be an object");
            } else {
                accessToken = optionalText(authorization, "access_token", problems);
                if (accessToken != null && !accessToken.matches("[\\x21-\\x7E]+")) {
                    problems.add("'fhirAuthorization.access_token' is not a valid bearer token");
                    accessToken = null;
                }
            }
        }
        JsonNode prefetch = body.get("prefetch");
        if (prefetch != null && !prefetch.isNull() && !prefetch.isObject()) {
            problems.add("'prefetch' must be an object");
        }
        String patientId = null;
        if (context != null && context.isObject()) {
            String raw = requiredText(context, "patientId", problems, "context.patientId");
            if (raw != null) {
                patientId = raw.startsWith("Patient/") ? raw.substring("Patient/".length()) : raw;
                if (!patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
                    problems.add("'context.patientId' is not a valid FHIR id");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw HookException.badRequest("Invalid CDS Hooks request: " + String.join("; ", problems) + ".");
        }
        return new HookRequest(hook, hookInstance, fhirServer, accessToken, patientId, context,
                prefetch == null || prefetch.isNull() ? null : prefetch);
    }

    private static String requiredText(JsonNode node, String field, List<String> problems) {
        return requiredText(node, field, problems, field);
    }

    private static String requiredText(JsonNode node, String field, List<String> problems, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.getNodeType() != JsonNodeType.STRING || value.asText().isBlank()) {
            problems.add("'" + name + "' is required and must be a non-empty string");
            return null;
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add("'" + field + "' must be a string");
            return null;
        }
        return value.asText();
    }
}
