package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.cqframework.cql.cql2elm.CqlCompilerOptions;
import org.cqframework.cql.cql2elm.LibraryManager;
import org.cqframework.cql.cql2elm.ModelManager;
import org.hl7.elm.r1.FunctionDef;
import org.hl7.elm.r1.FunctionRef;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.cql.engine.execution.CqlEngine;
import org.opencds.cqf.cql.engine.execution.Environment;

class SharedFunctionResolutionsTest {

    @Test
    void theEngineUsesTheSharedResolutions() {
        var resolutions = new SharedFunctionResolutions();
        var engine = new CqlEngine(
                new Environment(new LibraryManager(new ModelManager(), new CqlCompilerOptions()), Map.of(), null),
                java.util.Set.of(CqlEngine.Options.EnableExpressionCaching));

        assertThat(resolutions.install(engine))
                .as("the engine's function cache field is still where this version of the engine keeps it")
                .isTrue();
        assertThat(engine.getCache().getFunctionCache()).isSameAs(resolutions);
    }

    @Test
    void callsAreKeyedByIdentityNotByTheirContent() {
        var resolutions = new SharedFunctionResolutions();
        var call = new FunctionRef().withName("Is In");
        var sameContent = new FunctionRef().withName("Is In");
        var definition = new FunctionDef().withName("Is In");

        resolutions.put(call, definition);

        assertThat(call).isEqualTo(sameContent);
        assertThat(resolutions.get(call)).isSameAs(definition);
        assertThat(resolutions.containsKey(sameContent)).isFalse();
        assertThat(resolutions.get(sameContent)).isNull();
        assertThat(resolutions).hasSize(1);
    }
}
