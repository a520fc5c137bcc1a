package org.alemcds.operations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alemcds.hooks.CdsProperties;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The {@code cds} part of {@code /actuator/info}: the deployment profile (UNION, US, EU), the Spring profiles
 * active and the services offered. Version and commit come from Boot's build and git contributors.
 */
@Component
public class ServiceInfoContributor implements InfoContributor {

    private final CdsProperties properties;
    private final Environment environment;

    public ServiceInfoContributor(CdsProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> cds = new LinkedHashMap<>();
        cds.put("profile", properties.profile());
        cds.put("springProfiles", List.of(environment.getActiveProfiles()));
        cds.put("services", properties.services().stream().map(CdsProperties.Service::id).toList());
        builder.withDetail("cds", cds);
    }
}
