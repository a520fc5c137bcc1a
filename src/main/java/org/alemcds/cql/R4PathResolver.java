package org.alemcds.cql;

import java.util.ArrayList;
import java.util.List;
import org.opencds.cqf.cql.engine.fhir.model.R4FhirModelResolver;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.fhir.utility.model.DynamicModelResolver;

/**
 * The engine's R4 model resolver, reading a property path ({@code effective}, {@code code.coding}) without compiling a
 * regular expression for every read: the engine's {@code resolvePath} splits the path with a new {@code Regex} each
 * time, and the rules read tens of thousands of paths per evaluation. Paths with an index ({@code item[0]}) go to
 * the engine unchanged.
 */
final class R4PathResolver extends R4FhirModelResolver {

    /** Wrapped like the resolver the engine's own cache hands out (FhirModelResolverCache), one for the process. */
    static final ModelResolver SHARED = new DynamicModelResolver(new R4PathResolver());

    @Override
    public Object resolvePath(Object target, String path) {
        if (path == null || path.indexOf('[') >= 0) {
            return super.resolvePath(target, path);
        }
        Object value = target;
        for (String identifier : identifiers(path)) {
            value = resolveProperty(value, identifier);
        }
        return value;
    }

    /** The path split at dots, trailing empty parts dropped: what the engine's split does. */
    static List<String> identifiers(String path) {
        List<String> parts = new ArrayList<>(2);
        int start = 0;
        int dot;
        while ((dot = path.indexOf('.', start)) >= 0) {
            parts.add(path.substring(start, dot));
            start = dot + 1;
        }
        parts.add(path.substring(start));
        int size = parts.size();
        while (size > 0 && parts.get(size - 1).isEmpty()) {
            size--;
        }
        return parts.subList(0, size);
    }
}
