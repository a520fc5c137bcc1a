package org.alemcds.cql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import kotlinx.io.Source;
import kotlinx.io.SourcesKt;
import org.cqframework.cql.cql2elm.CqlCompilerException;
import org.cqframework.cql.cql2elm.CqlCompilerOptions;
import org.cqframework.cql.cql2elm.LibraryManager;
import org.cqframework.cql.cql2elm.model.CompiledLibrary;
import org.cqframework.cql.elm.serializing.ElmJsonLibraryReader;
import org.cqframework.cql.elm.serializing.ElmJsonLibraryWriter;
import org.hl7.elm.r1.VersionedIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CQL libraries translated to ELM at build time (Maven's process-classes phase runs {@link #main}), so the
 * service loads ELM at start instead of translating CQL.
 *
 * <p>{@code elm/manifest.properties} records, for every library the translation produced, the cache keys it was
 * resolved under and its ELM file, and one digest over the translator options and the source text of every one of
 * those libraries. At run time the ELM is used only when the digest of the sources on the classpath, read through the
 * same source providers as translation, still equals it: a library edited since the build (an IDE run, a test on
 * changed sources) makes the whole set stale, logged, and the engine translates the CQL as before. Stale ELM is never
 * used. {@code PackagedElmTest} checks that the packaged ELM equals a fresh translation.
 */
final class PackagedElm {

    private static final Logger log = LoggerFactory.getLogger(PackagedElm.class);
    static final String FOLDER = "elm/";
    static final String MANIFEST = FOLDER + "manifest.properties";
    /**
     * The data requirements of each entry library (one that defines {@value #APPLICABILITY}), all its expressions and
     * that one alone, by the engine's processor over the fresh translation: the processor needs the translator's
     * symbol tables, which ELM read back from JSON lacks.
     */
    static final String DATA_REQUIREMENTS = FOLDER + "data-requirements.json";
    static final String APPLICABILITY = "Is Applicable";

    private PackagedElm() {}

    /**
     * Puts the packaged ELM into {@code cache} when it matches the sources {@code sourceOf} serves; false (and the
     * cache untouched) when there is none or it is stale.
     */
    static boolean load(
            Map<VersionedIdentifier, CompiledLibrary> cache,
            CqlCompilerOptions options,
            Function<VersionedIdentifier, Source> sourceOf) {
        Properties manifest = readManifest();
        if (manifest == null) {
            log.info("No packaged ELM; translating the CQL");
            return false;
        }
        Map<VersionedIdentifier, String> files = files(manifest);
        String digest = digest(options, files.keySet(), sourceOf);
        if (!Objects.equals(digest, manifest.getProperty("digest"))) {
            log.warn("The packaged ELM does not match the CQL sources (edited since the build); translating the CQL");
            return false;
        }
        var reader = new ElmJsonLibraryReader();
        Map<String, CompiledLibrary> byFile = new LinkedHashMap<>();
        Map<VersionedIdentifier, CompiledLibrary> loaded = new LinkedHashMap<>();
        files.forEach((key, file) -> loaded.put(key, byFile.computeIfAbsent(file, f -> {
            var compiled = new CompiledLibrary();
            compiled.setLibrary(reader.read(resourceText(FOLDER + f)));
            compiled.setIdentifier(compiled.getLibrary().getIdentifier());
            return compiled;
        })));
        cache.putAll(loaded);
        return true;
    }

    /** Cache key to ELM file name, from the manifest's {@code library.N} lines ({@code system|id|version|file}). */
    private static Map<VersionedIdentifier, String> files(Properties manifest) {
        Map<VersionedIdentifier, String> files = new LinkedHashMap<>();
        for (int i = 0; manifest.getProperty("library." + i) != null; i++) {
            String[] parts = manifest.getProperty("library." + i).split("\\|", -1);
            files.put(identifier(parts[0], parts[1], parts[2]), parts[3]);
        }
        return files;
    }

    private static VersionedIdentifier identifier(String system, String id, String version) {
        return new VersionedIdentifier()
                .withSystem(system.isEmpty() ? null : system)
                .withId(id)
                .withVersion(version.isEmpty() ? null : version);
    }

    private static String line(VersionedIdentifier key, String file) {
        return String.join("|", Objects.toString(key.getSystem(), ""), key.getId(),
                Objects.toString(key.getVersion(), ""), file);
    }

    /** SHA-256 over the translator options and every library's key and source text, in a fixed order. */
    static String digest(
            CqlCompilerOptions options, Iterable<VersionedIdentifier> keys, Function<VersionedIdentifier, Source> sourceOf) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(new TreeMap<>(Map.of("options", String.valueOf(options.getOptions()),
                    "signatures", String.valueOf(options.getSignatureLevel()),
                    "compatibility", String.valueOf(options.getCompatibilityLevel()))).toString()
                    .getBytes(StandardCharsets.UTF_8));
            var sorted = new TreeMap<String, VersionedIdentifier>();
            keys.forEach(k -> sorted.put(line(k, ""), k));
            for (var entry : sorted.entrySet()) {
                Source source = sourceOf.apply(entry.getValue());
                sha.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(source == null ? new byte[] {0} : SourcesKt.readByteArray(source));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties readManifest() {
        String text = resourceText(MANIFEST);
        if (text == null) {
            return null;
        }
        var properties = new Properties();
        try {
            properties.load(new java.io.StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String resourceText(String path) {
        try (InputStream in = PackagedElm.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ELM, as JSON, that translating {@code libraryNames} (and what they include) from source gives now. */
    static Map<VersionedIdentifier, String> translate(LibraryManager libraryManager, List<String> libraryNames) {
        resolve(libraryManager, libraryNames);
        var writer = new ElmJsonLibraryWriter();
        Map<VersionedIdentifier, String> elm = new LinkedHashMap<>();
        libraryManager.getCompiledLibraries().forEach((key, library) -> elm.put(key, writer.writeAsString(library.getLibrary())));
        return elm;
    }

    /** Resolves the named libraries (and what they include) into the manager's cache, failing on translation errors. */
    static void resolve(LibraryManager libraryManager, List<String> libraryNames) {
        for (String name : libraryNames) {
            List<CqlCompilerException> problems = new ArrayList<>();
            libraryManager.resolveLibrary(new VersionedIdentifier().withId(name), problems);
            var errors = problems.stream()
                    .filter(e -> e.getSeverity() == CqlCompilerException.ErrorSeverity.Error)
                    .map(CqlRuleEngine::describe)
                    .toList();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("CQL library " + name + " has errors:\n" + String.join("\n", errors));
            }
        }
    }

    /** Key of a library's data requirements: its name, and {@code #expression} for one expression alone. */
    static String requirementsKey(String libraryName, Set<String> expressions) {
        return expressions.isEmpty() ? libraryName : libraryName + "#" + String.join("#", new TreeSet<>(expressions));
    }

    /** The data requirements of every entry library in a manager that translated them (see {@link #DATA_REQUIREMENTS}). */
    static String dataRequirementsJson(LibraryManager libraryManager, List<String> libraryNames) {
        var json = new StringBuilder("{");
        for (String name : libraryNames) {
            CompiledLibrary library = libraryManager.resolveLibrary(new VersionedIdentifier().withId(name));
            if (library.resolveExpressionRef(APPLICABILITY) == null) {
                continue;
            }
            for (Set<String> expressions : List.of(Set.<String>of(), Set.of(APPLICABILITY))) {
                json.append(json.length() == 1 ? "\n" : ",\n").append('"').append(requirementsKey(name, expressions))
                        .append("\": ").append(DataRequirements.of(libraryManager, library, expressions).toJson());
            }
        }
        return json.append("\n}\n").toString();
    }

    /** The packaged data requirements for a key of {@link #requirementsKey}, or null when none were packaged. */
    static DataRequirements packagedDataRequirements(String key) {
        try {
            var all = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resourceText(DATA_REQUIREMENTS));
            return all.has(key) ? DataRequirements.fromJson(all.get(key)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** ELM file name of a library: its id, and its version when it has one. */
    static String fileName(CompiledLibrary library) {
        VersionedIdentifier id = library.getIdentifier();
        return id.getId() + (id.getVersion() == null ? "" : "-" + id.getVersion()) + ".json";
    }

    /** Whether a manifest written earlier covers every library and still has the digest of their sources. */
    private static boolean upToDate(Path manifestFile, List<String> libraryNames, CqlCompilerOptions options,
            Function<VersionedIdentifier, Source> sourceOf) throws IOException {
        if (!Files.exists(manifestFile)) {
            return false;
        }
        var manifest = new Properties();
        try (var reader = Files.newBufferedReader(manifestFile)) {
            manifest.load(reader);
        }
        Map<VersionedIdentifier, String> files = files(manifest);
        var packaged = files.keySet().stream().map(VersionedIdentifier::getId).toList();
        return packaged.containsAll(libraryNames)
                && files.values().stream().allMatch(f -> Files.exists(manifestFile.resolveSibling(f)))
                && Files.exists(manifestFile.resolveSibling(Path.of(DATA_REQUIREMENTS).getFileName()))
                && digest(options, files.keySet(), sourceOf).equals(manifest.getProperty("digest"));
    }

    /** The libraries of a CQL folder, by file name. */
    static List<String> libraryNames(Path cqlFolder) throws IOException {
        try (Stream<Path> files = Files.list(cqlFolder)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".cql"))
                    .map(n -> n.substring(0, n.length() - ".cql".length()))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Build step: translates every library of {@code args[0]} (the project's cql/ folder; sources are read from the
     * classpath exactly as at run time) and writes the ELM and the manifest to {@code args[1]}/elm/. Skipped when the
     * manifest there already has the current digest.
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[1]).resolve(FOLDER);
        List<String> libraryNames = libraryNames(Path.of(args[0]));
        var libraryManager = CqlRuleEngine.translatingLibraryManager();
        var options = libraryManager.getCqlCompilerOptions();
        var loader = libraryManager.getLibrarySourceLoader();
        if (upToDate(out.resolve("manifest.properties"), libraryNames, options, loader::getLibrarySource)) {
            System.out.println("Packaged ELM in " + out + " is up to date");
            return;
        }
        Map<VersionedIdentifier, String> elm = translate(libraryManager, libraryNames);
        String digest = digest(options, elm.keySet(), loader::getLibrarySource);

        Files.createDirectories(out);
        var manifest = new StringBuilder("# CQL translated at build time (PackagedElm); do not edit\n")
                .append("digest=").append(digest).append('\n');
        var lines = new TreeMap<String, String>();
        elm.forEach((key, json) -> lines.put(line(key, fileName(libraryManager.getCompiledLibraries().get(key))), json));
        int i = 0;
        for (var entry : lines.entrySet()) {
            String file = entry.getKey().substring(entry.getKey().lastIndexOf('|') + 1);
            Files.writeString(out.resolve(file), entry.getValue());
            manifest.append("library.").append(i++).append('=').append(entry.getKey()).append('\n');
        }
        Files.writeString(out.resolve(Path.of(DATA_REQUIREMENTS).getFileName()),
                dataRequirementsJson(libraryManager, libraryNames));
        Files.writeString(out.resolve("manifest.properties"), manifest);
        System.out.println("Translated " + elm.size() + " CQL libraries to " + out);
    }
}
