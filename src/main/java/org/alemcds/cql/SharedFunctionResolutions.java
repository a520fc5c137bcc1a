package org.alemcds.cql;

import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.elm.r1.FunctionDef;
import org.hl7.elm.r1.FunctionRef;
import org.opencds.cqf.cql.engine.execution.Cache;
import org.opencds.cqf.cql.engine.execution.CqlEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which function definition each function call of the compiled libraries resolves to, shared by every evaluation.
 *
 * <p>The engine resolves a call (name, library, signature) on first use and keeps the answer in its per-engine
 * cache, keyed by the call's ELM node with a deep hash of that node. With a fresh engine per request every call site
 * was resolved again on every request (about a tenth of the evaluation). The answer depends only on the compiled,
 * immutable ELM, so one map keyed by node identity serves all engines and threads.
 *
 * <p>The engine has no option for this: {@link #install} replaces its cache's map by reflection. If a later engine
 * version changes that field, installing fails once with a warning and evaluation goes on with the engine's own
 * cache (correct, only slower); {@code SharedFunctionResolutionsTest} notices it.
 */
final class SharedFunctionResolutions extends AbstractMap<FunctionRef, FunctionDef> {

    private static final Logger log = LoggerFactory.getLogger(SharedFunctionResolutions.class);
    private static final Field FUNCTION_CACHE = functionCacheField();

    private record Call(FunctionRef ref) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Call call && call.ref == ref;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(ref);
        }
    }

    private final ConcurrentHashMap<Call, FunctionDef> resolutions = new ConcurrentHashMap<>();

    private static Field functionCacheField() {
        try {
            Field field = Cache.class.getDeclaredField("functionCache");
            field.setAccessible(true);
            return Map.class.isAssignableFrom(field.getType()) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("CQL function resolutions cannot be shared with this engine version ({}); evaluation is slower", e.toString());
            return null;
        }
    }

    /** Makes the engine use these resolutions; true when it does. */
    boolean install(CqlEngine engine) {
        if (FUNCTION_CACHE == null) {
            return false;
        }
        try {
            FUNCTION_CACHE.set(engine.getCache(), this);
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public FunctionDef get(Object ref) {
        return ref instanceof FunctionRef call ? resolutions.get(new Call(call)) : null;
    }

    @Override
    public boolean containsKey(Object ref) {
        return ref instanceof FunctionRef call && resolutions.containsKey(new Call(call));
    }

    @Override
    public FunctionDef put(FunctionRef ref, FunctionDef definition) {
        return ref == null || definition == null ? null : resolutions.put(new Call(ref), definition);
    }

    @Override
    public int size() {
        return resolutions.size();
    }

    @Override
    public Set<Entry<FunctionRef, FunctionDef>> entrySet() {
        return resolutions.entrySet().stream()
                .map(e -> Map.entry(e.getKey().ref(), e.getValue()))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
