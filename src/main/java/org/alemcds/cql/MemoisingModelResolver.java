package org.alemcds.cql;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.opencds.cqf.cql.engine.model.ModelResolver;

/**
 * Remembers, for one evaluation, the value of every property path read from an object ({@code O.effective},
 * {@code O.status.value} …). The rules read the same properties of the same resources many times, and each read
 * goes through reflection and, for FHIR primitives, a conversion to a CQL value (dates are parsed again every time).
 * The patient's data does not change during an evaluation; everything else is delegated to the shared resolver.
 */
final class MemoisingModelResolver implements ModelResolver {

    private static final Object NULL = new Object();

    private final ModelResolver delegate;
    private final Map<Object, Map<String, Object>> values = new IdentityHashMap<>();

    MemoisingModelResolver(ModelResolver delegate) {
        this.delegate = delegate;
    }

    @Override
    public Object resolvePath(Object target, String path) {
        if (target == null || path == null) {
            return delegate.resolvePath(target, path);
        }
        Map<String, Object> paths = values.computeIfAbsent(target, t -> new HashMap<>(4));
        Object value = paths.get(path);
        if (value == null) {
            value = delegate.resolvePath(target, path);
            paths.put(path, value == null ? NULL : value);
            return value;
        }
        return value == NULL ? null : value;
    }

    @Override
    @SuppressWarnings("deprecation")
    public String getPackageName() {
        return delegate.getPackageName();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void setPackageName(String packageName) {
        delegate.setPackageName(packageName);
    }

    @Override
    public List<String> getPackageNames() {
        return delegate.getPackageNames();
    }

    @Override
    public void setPackageNames(List<String> packageNames) {
        delegate.setPackageNames(packageNames);
    }

    @Override
    public Object getContextPath(String contextType, String targetType) {
        return delegate.getContextPath(contextType, targetType);
    }

    @Override
    public Class<?> resolveType(String typeName) {
        return delegate.resolveType(typeName);
    }

    @Override
    public Class<?> resolveType(Object value) {
        return delegate.resolveType(value);
    }

    @Override
    public Boolean is(Object value, Class<?> type) {
        return delegate.is(value, type);
    }

    @Override
    public Object as(Object value, Class<?> type, boolean isStrict) {
        return delegate.as(value, type, isStrict);
    }

    @Override
    public Object createInstance(String typeName) {
        return delegate.createInstance(typeName);
    }

    @Override
    public void setValue(Object target, String path, Object value) {
        values.remove(target);
        delegate.setValue(target, path, value);
    }

    @Override
    public Boolean objectEqual(Object left, Object right) {
        return delegate.objectEqual(left, right);
    }

    @Override
    public Boolean objectEquivalent(Object left, Object right) {
        return delegate.objectEquivalent(left, right);
    }

    @Override
    public String resolveId(Object target) {
        return delegate.resolveId(target);
    }
}
