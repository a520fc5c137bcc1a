package org.alemcds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CDS Hooks prefetch tokens in a prefetch template (CDS Hooks 2.0 §Prefetch tokens): {@code {{context.x}}}
 * for a root-level primitive field of the hook context, and the user tokens {@code {{userPractitionerId}}},
 * {@code {{userPractitionerRoleId}}}, {@code {{userPatientId}}}, {@code {{userRelatedPersonId}}} derived from
 * {@code context.userId} ({@code Practitioner/123} gives {@code userPractitionerId} = 123).
 *
 * <p>Values are percent-encoded (everything but RFC 3986 unreserved characters), so a context value cannot add query
 * parameters or path segments to the query sent to the client's FHIR server. A {@code Type/} prefix on an id field
 * named after its type ({@code patientId: "Patient/123"}, {@code encounterId: "Encounter/9"}) is removed.
 */
final class FhirTemplates {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.]+)\\s*}}");
    private static final Set<String> USER_TYPES = Set.of("Practitioner", "PractitionerRole", "Patient", "RelatedPerson");

    private FhirTemplates() {}

    /** The template with every token replaced, or null when a token has no value in this context. */
    static String resolve(String template, JsonNode context) {
        Matcher matcher = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = valueOf(matcher.group(1), context);
            if (value == null || value.isEmpty()) {
                return null;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(encode(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String valueOf(String token, JsonNode context) {
        if (context == null) {
            return null;
        }
        if (token.startsWith("context.")) {
            String field = token.substring("context.".length());
            if (field.contains(".")) {
                return null; // only root-level context fields are tokens
            }
            JsonNode value = context.get(field);
            if (value == null || !value.isValueNode() || value.isNull()) {
                return null;
            }
            return withoutTypePrefix(field, value.asText());
        }
        if (token.startsWith("user") && token.endsWith("Id")) {
            String type = token.substring("user".length(), token.length() - "Id".length());
            JsonNode userId = context.get("userId");
            if (USER_TYPES.contains(type) && userId != null && userId.isTextual()
                    && userId.asText().startsWith(type + "/")) {
                return userId.asText().substring(type.length() + 1);
            }
        }
        return null;
    }

    /** {@code patientId: "Patient/123"} → 123: the field's own type as a reference prefix is dropped. */
    private static String withoutTypePrefix(String field, String text) {
        if (field.length() > 2 && field.endsWith("Id")) {
            String type = Character.toUpperCase(field.charAt(0)) + field.substring(1, field.length() - 2);
            if (text.startsWith(type + "/")) {
                return text.substring(type.length() + 1);
            }
        }
        return text;
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
