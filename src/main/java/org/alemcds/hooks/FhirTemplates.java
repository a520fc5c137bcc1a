package org.alemcds.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves CDS Hooks prefetch tokens ({@code {{context.x}}}, {@code {{userPractitionerId}}} …) in a template. */
final class FhirTemplates {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([A-Za-z.]+)\\s*}}");

    private FhirTemplates() {}

    /** The template with every token replaced, or null when a token has no value in this context. */
    static String resolve(String template, JsonNode context) {
        Matcher matcher = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = valueOf(matcher.group(1), context);
            if (value == null) {
                return null;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String valueOf(String token, JsonNode context) {
        if (token.startsWith("context.")) {
            JsonNode value = context.get(token.substring("context.".length()));
            if (value == null || !value.isValueNode() || value.isNull()) {
                return null;
            }
            String text = value.asText();
            return token.equals("context.patientId") && text.startsWith("Patient/")
                    ? text.substring("Patient/".length())
                    : text;
        }
        // {{userPractitionerId}}, {{userPractitionerRoleId}}, {{userPatientId}}, {{userRelatedPersonId}}
        if (token.startsWith("user") && token.endsWith("Id")) {
            String type = token.substring("user".length(), token.length() - "Id".length());
            JsonNode userId = context.get("userId");
            if (userId != null && userId.isTextual() && userId.asText().startsWith(type + "/")) {
                return userId.asText().substring(type.length() + 1);
            }
        }
        return null;
    }
}
