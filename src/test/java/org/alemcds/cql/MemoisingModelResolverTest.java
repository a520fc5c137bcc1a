package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.cql.engine.runtime.DateTime;
import org.opencds.cqf.fhir.utility.model.FhirModelResolverCache;

class MemoisingModelResolverTest {

    final ModelResolver fhir = FhirModelResolverCache.resolverForVersion(
            FhirContext.forR4Cached().getVersion().getVersion());
    final AtomicInteger reads = new AtomicInteger();
    /** The FHIR resolver, counting the property reads that reach it. */
    final ModelResolver counting = (ModelResolver) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ModelResolver.class}, (proxy, method, args) -> {
                if (method.getName().equals("resolvePath")) {
                    reads.incrementAndGet();
                }
                return method.invoke(fhir, args);
            });

    @Test
    void eachPropertyOfEachObjectIsReadOnceAndGivesTheSameValue() {
        var resolver = new MemoisingModelResolver(counting);
        var observation = new Observation().setEffective(new DateTimeType("2026-03-02T10:00:00Z"));

        Object effective = resolver.resolvePath(observation, "effective");
        Object date = resolver.resolvePath(effective, "value");
        assertThat(date).isInstanceOf(DateTime.class);
        assertThat(resolver.resolvePath(observation, "effective")).isSameAs(effective);
        assertThat(resolver.resolvePath(effective, "value")).isSameAs(date);
        assertThat(reads).hasValue(2);

        assertThat(resolver.resolvePath(observation, "issued")).isNull();
        assertThat(resolver.resolvePath(observation, "issued")).isNull();
        assertThat(reads).as("an absent value is remembered too").hasValue(3);

        var other = new Observation().setEffective(new DateTimeType("2026-03-03"));
        assertThat(resolver.resolvePath(other, "effective")).isNotSameAs(effective);
        assertThat(reads).as("another object is read").hasValue(4);
    }

    @Test
    void eachEvaluationStartsEmpty() {
        var observation = new Observation().setEffective(new DateTimeType("2026-03-02"));
        new MemoisingModelResolver(counting).resolvePath(observation, "effective");
        new MemoisingModelResolver(counting).resolvePath(observation, "effective");
        assertThat(reads).hasValue(2);
    }
}
