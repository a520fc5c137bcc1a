package org.alemcds.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The files under deploy/ parse, and agree with each other and with the service: the probes are the Actuator
 * endpoints on the management port the service configures; the Service, HPA and PodDisruptionBudget find the
 * Deployment's pods; every ConfigMap and Secret the pods read exists; compose gives the service PostgreSQL.
 * (OperationsHttpTest shows that those probe endpoints answer.)
 */
class DeploymentManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy", "kubernetes");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static Object at(Map<String, Object> node, String path) {
        Object value = node;
        for (String key : path.split("\\.")) {
            value = value instanceof List<?> l ? l.get(Integer.parseInt(key)) : map(value).get(key);
            if (value == null) {
                return null;
            }
        }
        return value;
    }

    /** Every document of every manifest, by kind. */
    private static Map<String, Map<String, Object>> manifests() throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        try (var files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Object document : new Yaml().loadAll(reader)) {
                        Map<String, Object> manifest = map(document);
                        assertThat(manifest).as(file + " names apiVersion and kind").containsKeys("apiVersion", "kind");
                        assertThat(byKind.put((String) manifest.get("kind"), manifest)).as("one " + manifest.get("kind")).isNull();
                    }
                }
            }
        }
        return byKind;
    }

    private static Properties applicationYaml() {
        var yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yaml"));
        return yaml.getObject();
    }

    @Test
    void kubernetesManifestsHoldEveryPartOfTheDeployment() throws IOException {
        assertThat(manifests()).containsOnlyKeys(
                "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap", "Secret");
    }

    @Test
    void probesAreTheActuatorEndpointsOnTheManagementPort() throws IOException {
        Map<String, Object> deployment = manifests().get("Deployment");
        Map<String, Object> container = map(at(deployment, "spec.template.spec.containers.0"));
        Map<String, Integer> ports = new HashMap<>();
        for (Object port : list(container.get("ports"))) {
            ports.put((String) map(port).get("name"), (Integer) map(port).get("containerPort"));
        }
        String managementPort = applicationYaml().getProperty("management.server.port");
        assertThat(ports.get("management")).isEqualTo(Integer.parseInt(managementPort));
        assertThat(ports.get("http")).isEqualTo(Integer.parseInt(applicationYaml().getProperty("server.port")));
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(at(container, probe + ".httpGet.port")).as(probe).isEqualTo("management");
        }
        assertThat(applicationYaml().getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(at(container, "resources.requests.cpu")).isNotNull();
        assertThat(at(container, "resources.requests.memory")).isNotNull();
        assertThat(at(container, "resources.limits.memory")).isNotNull();
        assertThat(at(deployment, "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
    }

    @Test
    void serviceAutoscalerAndDisruptionBudgetFindTheDeployment() throws IOException {
        var manifests = manifests();
        Map<String, Object> deployment = manifests.get("Deployment");
        Object podLabels = at(deployment, "spec.template.metadata.labels");
        assertThat(at(deployment, "spec.selector.matchLabels")).isEqualTo(podLabels);
        assertThat(at(manifests.get("Service"), "spec.selector")).isEqualTo(podLabels);
        assertThat(at(manifests.get("Service"), "spec.ports.0.targetPort")).isEqualTo("http");
        assertThat(at(manifests.get("PodDisruptionBudget"), "spec.selector.matchLabels")).isEqualTo(podLabels);
        Map<String, Object> hpa = manifests.get("HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
        assertThat(at(hpa, "spec.scaleTargetRef.name")).isEqualTo(at(deployment, "metadata.name"));
        assertThat((Integer) at(hpa, "spec.minReplicas")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void thePodsReadTheConfigMapAndSecretWithDatabaseJwtAndGovernanceSettings() throws IOException {
        var manifests = manifests();
        List<String> sources = new ArrayList<>();
        for (Object source : list(at(manifests.get("Deployment"), "spec.template.spec.containers.0.envFrom"))) {
            map(source).forEach((kind, ref) -> sources.add(kind + ":" + map(ref).get("name")));
        }
        assertThat(sources).containsExactlyInAnyOrder(
                "configMapRef:" + at(manifests.get("ConfigMap"), "metadata.name"),
                "secretRef:" + at(manifests.get("Secret"), "metadata.name"));
        assertThat(map(at(manifests.get("ConfigMap"), "data")))
                .containsKeys("SPRING_DATASOURCE_URL", "CDS_SECURITY_JWT_ISSUERS_0_ISS", "CDS_SECURITY_JWT_ISSUERS_0_JWKS",
                        "CDS_SECURITY_JWT_SERVICEBASEURL");
        assertThat((String) at(manifests.get("ConfigMap"), "data.SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql:");
        assertThat(map(at(manifests.get("Secret"), "stringData")))
                .containsKeys("SPRING_DATASOURCE_PASSWORD", "CDS_SECURITY_GOVERNANCE_TOKEN", "CDS_AUDIT_PATIENTIDSECRET");
    }

    @Test
    void composeRunsTheServiceOnPostgreSql() throws IOException {
        Map<String, Object> compose;
        try (Reader reader = Files.newBufferedReader(Path.of("deploy", "compose.yaml"))) {
            compose = map(new Yaml().load(reader));
        }
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("cds", "postgres");
        assertThat((String) at(services, "cds.environment.SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres:");
        assertThat(at(services, "cds.depends_on.postgres.condition")).isEqualTo("service_healthy");
        assertThat(((String) at(services, "cds.image"))).startsWith("alemtuzumab-cds:");
    }
}
