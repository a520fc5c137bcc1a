package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import kotlinx.io.Buffer;
import kotlinx.io.Source;
import kotlinx.io.SourcesKt;
import org.cqframework.cql.cql2elm.model.CompiledLibrary;
import org.hl7.elm.r1.VersionedIdentifier;
import org.junit.jupiter.api.Test;

/** The ELM translated at build time (target/classes/elm) is what the CQL sources translate to now, and only then used. */
class PackagedElmTest {

    @Test
    void thePackagedElmIsAFreshTranslationOfTheSources() throws Exception {
        var libraryManager = CqlRuleEngine.translatingLibraryManager();
        Map<VersionedIdentifier, String> fresh =
                PackagedElm.translate(libraryManager, PackagedElm.libraryNames(Path.of("cql")));

        Map<VersionedIdentifier, String> packaged = new LinkedHashMap<>();
        var manifest = new Properties();
        manifest.load(new java.io.StringReader(PackagedElm.resourceText(PackagedElm.MANIFEST)));
        manifest.stringPropertyNames().stream().filter(k -> k.startsWith("library.")).forEach(k -> {
            String[] parts = manifest.getProperty(k).split("\\|", -1);
            var key = new VersionedIdentifier().withId(parts[1]).withVersion(parts[2].isEmpty() ? null : parts[2]);
            packaged.put(key, PackagedElm.resourceText(PackagedElm.FOLDER + parts[3]));
        });

        assertThat(packaged.keySet()).containsExactlyInAnyOrderElementsOf(fresh.keySet());
        fresh.forEach((key, json) -> assertThat(packaged.get(key))
                .as("packaged ELM of %s (rebuild with mvn process-classes)", key.getId())
                .isEqualTo(json));
        assertThat(PackagedElm.resourceText(PackagedElm.DATA_REQUIREMENTS))
                .as("packaged data requirements (rebuild with mvn process-classes)")
                .isEqualTo(PackagedElm.dataRequirementsJson(libraryManager, PackagedElm.libraryNames(Path.of("cql"))));
    }

    @Test
    void theEngineLoadsThePackagedElmWhenTheSourcesMatch() {
        var loader = CqlRuleEngine.translatingLibraryManager();
        Map<VersionedIdentifier, CompiledLibrary> cache = new HashMap<>();

        boolean loaded = PackagedElm.load(cache, loader.getCqlCompilerOptions(),
                loader.getLibrarySourceLoader()::getLibrarySource);

        assertThat(loaded).isTrue();
        assertThat(cache.keySet()).extracting(VersionedIdentifier::getId)
                .contains("AlemtuzumabCommon", "PreCourseChecks", "FHIRHelpers");
        assertThat(cache.values()).allSatisfy(l -> assertThat(l.getLibrary().getStatements()).isNotNull());
    }

    @Test
    void anEditedSourceMakesThePackagedElmStaleAndUnused() {
        var loader = CqlRuleEngine.translatingLibraryManager();
        var sources = loader.getLibrarySourceLoader();
        Map<VersionedIdentifier, CompiledLibrary> cache = new HashMap<>();

        boolean loaded = PackagedElm.load(cache, loader.getCqlCompilerOptions(), id -> {
            Source source = sources.getLibrarySource(id);
            if (!"AlemtuzumabCommon".equals(id.getId())) {
                return source;
            }
            byte[] edited = (new String(SourcesKt.readByteArray(source), StandardCharsets.UTF_8) + "\n// edited\n")
                    .getBytes(StandardCharsets.UTF_8);
            var buffer = new Buffer();
            buffer.write(edited, 0, edited.length);
            return buffer;
        });

        assertThat(loaded).isFalse();
        assertThat(cache).isEmpty();
    }
}
