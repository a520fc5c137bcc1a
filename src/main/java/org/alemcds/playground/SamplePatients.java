package org.alemcds.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The fictional sample patients shipped in the jar ({@code fhir-resources/examples/*.bundle.json}, under
 * {@code samples/}): for the playground's picker and the demo FHIR server.
 */
public final class SamplePatients {

    /** One sample: its name (the file name without {@code .bundle.json}), a label, and the record Bundle. */
    public record Sample(String name, String label, JsonNode bundle) {}

    private final Map<String, Sample> samples;

    private SamplePatients(Map<String, Sample> samples) {
        this.samples = samples;
    }

    public static SamplePatients fromClasspath(ObjectMapper mapper) {
        Map<String, Sample> samples = new LinkedHashMap<>();
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:samples/*.bundle.json");
            Arrays.sort(files, Comparator.comparing(Resource::getFilename));
            for (Resource file : files) {
                String name = file.getFilename().replace(".bundle.json", "");
                JsonNode bundle;
                try (InputStream in = file.getInputStream()) {
                    bundle = mapper.readTree(in);
                }
                samples.put(name, new Sample(name, label(name, bundle), bundle));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SamplePatients(samples);
    }

    /** "01 Sarah Keller (female, 1992-05-02): ntz high risk too early". */
    private static String label(String name, JsonNode bundle) {
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            if ("Patient".equals(resource.path("resourceType").asText())) {
                JsonNode humanName = resource.path("name").path(0);
                List<String> parts = new ArrayList<>();
                humanName.path("given").forEach(g -> parts.add(g.asText()));
                parts.add(humanName.path("family").asText());
                String number = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
                String about = name.contains("-") ? name.substring(name.indexOf('-') + 1).replace('-', ' ') : "";
                return number + " " + String.join(" ", parts) + " (" + resource.path("gender").asText("unknown") + ", "
                        + resource.path("birthDate").asText("?") + "): " + about;
            }
        }
        return name;
    }

    public List<Sample> all() {
        return List.copyOf(samples.values());
    }

    public Sample get(String name) {
        return samples.get(name);
    }
}
