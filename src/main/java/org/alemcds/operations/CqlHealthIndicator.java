package org.alemcds.operations;

import java.util.List;
import org.alemcds.cql.CqlRuleEngine;
import org.alemcds.hooks.CdsProperties;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness part "cql": the services' CQL libraries are translated. The engine bean exists only once every library
 * translated without error and ran once (CqlConfiguration), so reaching this indicator means the rules are ready.
 */
@Component("cql")
public class CqlHealthIndicator implements HealthIndicator {

    private final List<String> libraries;

    public CqlHealthIndicator(CqlRuleEngine engine, CdsProperties properties) {
        this.libraries = properties.services().stream().map(CdsProperties.Service::library).distinct().toList();
    }

    @Override
    public Health health() {
        return Health.up().withDetail("libraries", libraries).build();
    }
}
