package org.alemcds.cql;

/** Receives the definitions one evaluation computed: library name, definition name, CQL value (may be null). */
@FunctionalInterface
public interface DefinitionTrace {
    void evaluated(String library, String definition, Object value);
}
