package org.alemcds;

import ca.uhn.fhir.context.FhirContext;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.cql.ValueSetIndex;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

class SpikeTest {
    @Test
    void spike() {
        var ctx = FhirContext.forR4Cached();
        var engine = new CqlRuleEngine(ctx, ValueSetIndex.fromClasspath(ctx, "classpath*:fhir-resources/valuesets/*.json"));
        long t0 = System.nanoTime();
        engine.compile(List.of("Spike"));
        System.out.println("compile ms " + (System.nanoTime() - t0) / 1e6);
        String json = """
          {"resourceType":"Bundle","type":"collection","entry":[
           {"resource":{"resourceType":"Patient","id":"p1"}},
           {"resource":{"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/p1"},
             "code":{"coding":[{"system":"http://loinc.org","code":"731-0"}]},"effectiveDateTime":"2026-01-02T10:00:00Z",
             "valueQuantity":{"value":1.5,"unit":"10*9/L"}}},
           {"resource":{"resourceType":"Observation","id":"o2","status":"final","subject":{"reference":"Patient/p1"},
             "code":{"coding":[{"system":"http://loinc.org","code":"999-9"}]},"effectiveDateTime":"2026-01-02"}},
           {"resource":{"resourceType":"MedicationRequest","id":"m1","status":"draft","intent":"order","subject":{"reference":"Patient/p1"},
             "medicationCodeableConcept":{"text":"Tysabri (Natalizumab) 300 mg"}}},
           {"resource":{"resourceType":"MedicationRequest","id":"m2","status":"draft","intent":"order","subject":{"reference":"Patient/p1"},
             "medicationCodeableConcept":{"text":"Aspirin"}}}
          ]}""";
        var bundle = ctx.newJsonParser().parseResource(Bundle.class, json);
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            var r = engine.evaluate("Spike", List.of("Obs", "All Meds", "Named Meds", "Tuples", "Today"), bundle, "p1",
                    Map.of("Ids", List.of("m1", "m2")), ZonedDateTime.parse("2026-11-21T10:00:00Z"));
            System.out.println("eval ms " + (System.nanoTime() - t) / 1e6 + " -> " + r);
        }
    }
}
