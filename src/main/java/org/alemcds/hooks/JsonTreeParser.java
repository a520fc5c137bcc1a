package org.alemcds.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.JsonParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Reader;
import java.io.StringReader;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's JSON parser fed with the Jackson tree the service already read from the request, instead of that tree's
 * text: parsing a prefetch no longer serialises it and reads it a second time (the two were a quarter of the time of
 * a ~300-resource order-sign). Only the source of the JSON tree is replaced ({@link #doParseResource(Class, Reader)});
 * HAPI's own post-processing ({@code BaseParser.parseResource}: bundle entry ids from fullUrl …) runs unchanged, and
 * the error handler is the one {@link FhirContext#newJsonParser()} uses by default. The tree must have been read
 * like HAPI reads JSON (exact BigDecimal floats, see {@code CdsServicesController}).
 */
final class JsonTreeParser extends JsonParser {

    private final ObjectNode tree;

    private JsonTreeParser(FhirContext context, ObjectNode tree) {
        super(context, new LenientErrorHandler());
        this.tree = tree;
    }

    /** Parses one resource from its JSON object. */
    static IBaseResource parse(FhirContext context, ObjectNode tree) {
        return new JsonTreeParser(context, tree).parseResource(new StringReader(""));
    }

    @Override
    public <T extends IBaseResource> T doParseResource(Class<T> resourceType, Reader ignored) {
        JacksonStructure structure = new JacksonStructure();
        structure.setNativeObject(tree);
        return doParseResource(resourceType, structure);
    }
}
