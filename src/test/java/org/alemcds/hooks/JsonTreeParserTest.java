package org.alemcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTreeParser} (FHIR from the request's JSON tree) gives exactly what HAPI gives from the JSON text: same
 * resources, same ids (bundle fullUrl handling included), same decimals.
 */
class JsonTreeParserTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    /** Configured like the controller's request reader. */
    static final ObjectReader REQUEST_READER = new ObjectMapper().reader()
            .with(JsonNodeFactory.withExactBigDecimals(true))
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static List<String> resourcesOfRealRequests() throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("fhir-resources", "examples"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".order-sign.json")).sorted().toList()) {
                requests.add(Files.readString(file));
            }
        }
        try (InputStream in = JsonTreeParserTest.class.getResourceAsStream("/bench/Debora709_Mayer370-ms.order-sign.json")) {
            requests.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        for (String request : requests) {
            JsonNode tree = REQUEST_READER.readTree(request);
            tree.get("prefetch").forEach(value -> texts.add(value.toString()));
            texts.add(tree.at("/context/draftOrders").toString());
        }
        return texts;
    }

    static void assertSameAsHapiFromText(String json) throws IOException {
        IBaseResource fromText = FHIR.newJsonParser().parseResource(json);
        IBaseResource fromTree = JsonTreeParser.parse(FHIR, (ObjectNode) REQUEST_READER.readTree(json));
        assertThat(FHIR.newJsonParser().encodeResourceToString(fromTree))
                .isEqualTo(FHIR.newJsonParser().encodeResourceToString(fromText));
        assertThat(fromTree.getIdElement().getValue()).isEqualTo(fromText.getIdElement().getValue());
        if (fromText instanceof Bundle textBundle) {
            Bundle treeBundle = (Bundle) fromTree;
            assertThat(treeBundle.getEntry()).hasSameSizeAs(textBundle.getEntry());
            for (int i = 0; i < textBundle.getEntry().size(); i++) {
                var expected = textBundle.getEntry().get(i).getResource();
                var actual = treeBundle.getEntry().get(i).getResource();
                assertThat(actual == null ? null : actual.getIdElement().getValue())
                        .isEqualTo(expected == null ? null : expected.getIdElement().getValue());
            }
        }
    }

    @Test
    void samplesAndBenchmarkRecordParseIdentically() throws IOException {
        List<String> resources = resourcesOfRealRequests();
        assertThat(resources).hasSizeGreaterThan(100);
        for (String json : resources) {
            assertSameAsHapiFromText(json);
        }
    }

    @Test
    void bundleEntryIdsFromFullUrlsAreHandledLikeHapi() throws IOException {
        String entries = String.join(",",
                "{\"fullUrl\":\"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0\",\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"a\"}}}",
                "{\"fullUrl\":\"urn:uuid:11111111-1cbf-4d64-b04d-cd9187a4c6e0\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"x1\",\"status\":\"final\",\"code\":{\"text\":\"b\"}}}",
                "{\"fullUrl\":\"http://other.example/fhir/Observation/abc\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"def\",\"status\":\"final\",\"code\":{\"text\":\"c\"}}}",
                "{\"fullUrl\":\"http://x.example/fhir/Observation/v1/_history/3\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"v1\",\"meta\":{\"versionId\":\"2\"},\"status\":\"final\",\"code\":{\"text\":\"d\"}}}",
                "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"no-full-url\",\"status\":\"final\",\"code\":{\"text\":\"e\"}}}",
                "{\"fullUrl\":\"Observation/relative\",\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"f\"}}}",
                "{\"fullUrl\":\"http://x.example/fhir/Observation/only-url\"}",
                "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"m\",\"status\":\"draft\",\"intent\":\"order\","
                        + "\"contained\":[{\"resourceType\":\"Medication\",\"id\":\"med\",\"code\":{\"text\":\"Lemtrada\"}}],"
                        + "\"medicationReference\":{\"reference\":\"#med\"},\"subject\":{\"reference\":\"Patient/p\"}}}");
        assertSameAsHapiFromText("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[" + entries + "]}");
    }

    @Test
    void decimalsKeepTheirPrecision() throws IOException {
        String json = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"ALC\"},"
                + "\"valueQuantity\":{\"value\":0.80,\"unit\":\"10*3/uL\"},"
                + "\"referenceRange\":[{\"low\":{\"value\":1.0E0},\"high\":{\"value\":12345678901234567890.123456789}}]}";
        assertSameAsHapiFromText(json);
        Observation observation = (Observation) JsonTreeParser.parse(FHIR, (ObjectNode) REQUEST_READER.readTree(json));
        assertThat(((Quantity) observation.getValue()).getValueElement().getValueAsString()).isEqualTo("0.80");
        assertThat(observation.getReferenceRangeFirstRep().getHigh().getValue().toPlainString())
                .isEqualTo("12345678901234567890.123456789");
    }

    @Test
    void invalidFhirIsRejectedAsByHapi() throws IOException {
        ObjectNode noType = (ObjectNode) REQUEST_READER.readTree("{\"id\":\"x\"}");
        assertThatThrownBy(() -> JsonTreeParser.parse(FHIR, noType)).isInstanceOf(DataFormatException.class);
        ObjectNode unknown = (ObjectNode) REQUEST_READER.readTree("{\"resourceType\":\"Foo\"}");
        assertThatThrownBy(() -> JsonTreeParser.parse(FHIR, unknown)).isInstanceOf(DataFormatException.class);
    }
}
