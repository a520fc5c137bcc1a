package org.alemcds.operations;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.alemcds.cards.Card;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI 3 description (springdoc, on the management port: {@code /actuator/openapi}, Swagger UI at
 * {@code /actuator/swagger-ui}). The controllers read raw JSON so that they can answer every malformed body with an
 * OperationOutcome; springdoc cannot see the CDS Hooks shapes in them, so this adds the schemas of requests, cards,
 * discovery and feedback as CDS Hooks 2.0 names them. The card schema is read from {@link Card} itself.
 */
@Component
public class OpenApiDescription implements OpenApiCustomizer {

    private static final String JSON = "application/json";
    private static final String FHIR_JSON = "application/fhir+json";
    private static final String REF = "#/components/schemas/";

    @Override
    public void customise(OpenAPI openApi) {
        openApi.info(new Info()
                .title("Alemtuzumab CDS Hooks service")
                .version("CDS Hooks 2.0")
                .description("CDS Hooks 2.0 services for alemtuzumab (Lemtrada) in relapsing-remitting MS. "
                        + "Service calls and discovery carry the client's JWT when client authentication is on; the "
                        + "governance report needs its own governance token (README \"Operations\")."));
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.components(components);
        ModelConverters.getInstance().readAll(new AnnotatedType(Card.class)).forEach(components::addSchemas);
        components.addSchemas("CdsHooksRequest", request());
        components.addSchemas("CdsHooksResponse", new ObjectSchema()
                .addProperty("cards", new ArraySchema().items(ref("Card")))
                .required(List.of("cards")));
        components.addSchemas("Discovery", discovery());
        components.addSchemas("FeedbackRequest", feedback());
        components.addSchemas("FeedbackResult", new ObjectSchema()
                .addProperty("recorded", new IntegerSchema().description("items newly recorded"))
                .addProperty("duplicates", new IntegerSchema().description("items already recorded before")));
        components.addSchemas("OperationOutcome", new ObjectSchema()
                .description("FHIR R4 OperationOutcome: every error, with a status a client can act on")
                .addProperty("resourceType", new StringSchema()._enum(List.of("OperationOutcome")))
                .addProperty("issue", new ArraySchema().items(new ObjectSchema())));
        components.addSecuritySchemes("governance", new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("The governance token (cds.security.governance.token), or a client JWT with scope "
                        + "'governance' when client authentication is on"));
        components.addSecuritySchemes("cdsClient", new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("CDS Hooks §Trusting CDS Clients (when cds.security.jwt.enabled)"));

        Map<String, PathItem> paths = openApi.getPaths() == null ? Map.of() : openApi.getPaths();
        operation(paths, "/cds-services", PathItem::getGet).ifPresent(op -> op
                .summary("CDS Hooks discovery")
                .responses(responses(ref("Discovery"), JSON))
                .addSecurityItem(new SecurityRequirement().addList("cdsClient")));
        operation(paths, "/cds-services/{id}", PathItem::getPost).ifPresent(op -> op
                .summary("Call a CDS service")
                .requestBody(body(ref("CdsHooksRequest")))
                .responses(responses(ref("CdsHooksResponse"), JSON))
                .addSecurityItem(new SecurityRequirement().addList("cdsClient")));
        operation(paths, "/cds-services/{id}/feedback", PathItem::getPost).ifPresent(op -> op
                .summary("Feedback on cards (CDS Hooks 2.0 {\"feedback\": [...]})")
                .requestBody(body(ref("FeedbackRequest")))
                .responses(responses(ref("FeedbackResult"), JSON))
                .addSecurityItem(new SecurityRequirement().addList("cdsClient")));
        operation(paths, "/governance/override-rates", PathItem::getGet).ifPresent(op -> op
                .summary("Override rates per rule ID over a period")
                .security(List.of(new SecurityRequirement().addList("governance"))));
    }

    private static java.util.Optional<Operation> operation(
            Map<String, PathItem> paths, String path, java.util.function.Function<PathItem, Operation> method) {
        PathItem item = paths.get(path);
        return java.util.Optional.ofNullable(item == null ? null : method.apply(item));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref(REF + name);
    }

    private static RequestBody body(Schema<?> schema) {
        return new RequestBody().required(true).content(new Content().addMediaType(JSON, new MediaType().schema(schema)));
    }

    private static ApiResponses responses(Schema<?> ok, String type) {
        Content error = new Content().addMediaType(FHIR_JSON, new MediaType().schema(ref("OperationOutcome")));
        return new ApiResponses()
                .addApiResponse("200", new ApiResponse().description("OK")
                        .content(new Content().addMediaType(type, new MediaType().schema(ok))))
                .addApiResponse("400", new ApiResponse().description("Invalid request").content(error))
                .addApiResponse("401", new ApiResponse().description("Authentication failed").content(error))
                .addApiResponse("404", new ApiResponse().description("No such service").content(error))
                .addApiResponse("412", new ApiResponse().description("Data needed could not be had").content(error))
                .addApiResponse("413", new ApiResponse().description("Request too large").content(error));
    }

    private static Schema<?> request() {
        return new ObjectSchema()
                .description("CDS Hooks 2.0 HTTP request")
                .addProperty("hook", new StringSchema()._enum(List.of("order-select", "order-sign", "patient-view")))
                .addProperty("hookInstance", new StringSchema().format("uuid"))
                .addProperty("fhirServer", new StringSchema().format("uri"))
                .addProperty("fhirAuthorization", new ObjectSchema()
                        .addProperty("access_token", new StringSchema())
                        .addProperty("token_type", new StringSchema()._enum(List.of("Bearer")))
                        .addProperty("expires_in", new IntegerSchema())
                        .addProperty("scope", new StringSchema())
                        .addProperty("subject", new StringSchema())
                        .addProperty("patient", new StringSchema()))
                .addProperty("context", new ObjectSchema()
                        .description("The hook's context: userId, patientId, encounterId; draftOrders and "
                                + "selections for order-select / order-sign")
                        .addProperty("userId", new StringSchema())
                        .addProperty("patientId", new StringSchema())
                        .addProperty("encounterId", new StringSchema())
                        .addProperty("selections", new ArraySchema().items(new StringSchema()))
                        .addProperty("draftOrders", new ObjectSchema().description("FHIR R4 Bundle")))
                .addProperty("prefetch", new ObjectSchema()
                        .description("FHIR R4 resources or Bundles by prefetch key (see discovery)")
                        .additionalProperties(new ObjectSchema()))
                .required(List.of("hook", "hookInstance", "context"));
    }

    private static Schema<?> discovery() {
        return new ObjectSchema().addProperty("services", new ArraySchema().items(new ObjectSchema()
                .addProperty("hook", new StringSchema())
                .addProperty("title", new StringSchema())
                .addProperty("description", new StringSchema())
                .addProperty("id", new StringSchema())
                .addProperty("prefetch", new ObjectSchema().additionalProperties(new StringSchema()))
                .addProperty("usageRequirements", new StringSchema())
                .required(List.of("hook", "description", "id"))));
    }

    private static Schema<?> feedback() {
        Schema<?> coding = new ObjectSchema()
                .addProperty("system", new StringSchema())
                .addProperty("code", new StringSchema())
                .addProperty("display", new StringSchema());
        return new ObjectSchema().addProperty("feedback", new ArraySchema().items(new ObjectSchema()
                .addProperty("card", new StringSchema().description("uuid of a card this service returned"))
                .addProperty("outcome", new StringSchema()._enum(List.of("accepted", "overridden")))
                .addProperty("acceptedSuggestions", new ArraySchema().items(
                        new ObjectSchema().addProperty("id", new StringSchema())))
                .addProperty("overrideReason", new ObjectSchema()
                        .addProperty("reason", coding)
                        .addProperty("userComment", new StringSchema()))
                .addProperty("outcomeTimestamp", new StringSchema().format("date-time"))
                .required(List.of("card", "outcome", "outcomeTimestamp"))))
                .required(List.of("feedback"));
    }
}
