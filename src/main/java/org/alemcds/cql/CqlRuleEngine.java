package org.alemcds.cql;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kotlin.Pair;
import kotlin.Unit;
import org.alemcds.cql.ValueSetIndex.Terms;
import org.cqframework.cql.cql2elm.CqlCompilerException;
import org.cqframework.cql.cql2elm.LibraryManager;
import org.cqframework.cql.cql2elm.ModelManager;
import org.cqframework.cql.cql2elm.model.CompiledLibrary;
import org.cqframework.cql.cql2elm.model.Model;
import org.cqframework.cql.cql2elm.quick.FhirLibrarySourceProvider;
import org.hl7.cql.model.ModelIdentifier;
import org.hl7.elm.r1.Library;
import org.hl7.elm.r1.VersionedIdentifier;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.opencds.cqf.cql.engine.data.CompositeDataProvider;
import org.opencds.cqf.cql.engine.execution.CqlEngine;
import org.opencds.cqf.cql.engine.execution.Environment;
import org.opencds.cqf.cql.engine.execution.ExpressionResult;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.fhir.cql.CqlOptions;
import org.opencds.cqf.fhir.cql.engine.retrieve.RepositoryRetrieveProvider;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings;
import org.opencds.cqf.fhir.utility.Constants;
import org.opencds.cqf.fhir.utility.repository.InMemoryFhirRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the project's CQL libraries over one patient's data.
 *
 * <p>Libraries are translated once ({@link #compile}) into a shared cache; every evaluation builds a fresh, cheap
 * engine over an in-memory repository of the request's bundle, with its thread's library manager, so concurrent
 * evaluations share nothing mutable.
 */
public final class CqlRuleEngine {

    private static final Logger log = LoggerFactory.getLogger(CqlRuleEngine.class);

    private final FhirContext fhirContext;
    private final ValueSetIndex terminology;
    private final Map<ModelIdentifier, Model> modelCache = new ConcurrentHashMap<>();
    private final Map<VersionedIdentifier, CompiledLibrary> libraryCache = new ConcurrentHashMap<>();
    /** Whether the libraries' ELM came packaged from the build (else they are translated from source). */
    private final boolean packagedElm;
    private final RetrieveSettings retrieveSettings = new RetrieveSettings();
    private final ModelResolver modelResolver;
    private final Map<String, DataRequirements> dataRequirements = new ConcurrentHashMap<>();
    private final SharedFunctionResolutions functionResolutions = new SharedFunctionResolutions();
    /**
     * One library manager per thread, reused by that thread's evaluations: creating one per evaluation cost ~1.5 ms
     * (its ModelManager scans the classpath for model-info providers with a ServiceLoader), about half of the engine
     * time of an order-sign. Library and model caches stay shared and concurrent; a manager's own, unsynchronised
     * maps are only ever used by one thread.
     */
    /** UCUM for every evaluation, remembering linear conversion factors (see {@link LinearUcumService}). */
    private static final LinearUcumService UCUM = new LinearUcumService();
    private final ThreadLocal<LibraryManager> evaluationLibraryManager = ThreadLocal.withInitial(this::newLibraryManager);

    public CqlRuleEngine(FhirContext fhirContext, ValueSetIndex terminology) {
        this.fhirContext = fhirContext;
        this.terminology = terminology;
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("The rules are written for FHIR R4");
        }
        this.modelResolver = R4PathResolver.SHARED;
        long start = System.nanoTime();
        LibraryManager sources = newLibraryManager();
        this.packagedElm = PackagedElm.load(libraryCache, sources.getCqlCompilerOptions(),
                sources.getLibrarySourceLoader()::getLibrarySource);
        if (packagedElm) {
            log.info("Loaded the ELM packaged at build time in {} ms", (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The terminology the rules' value-set tests use. */
    public ValueSetIndex terminology() {
        return terminology;
    }

    /** The translated ELM of a library compiled by {@link #compile} (or one it includes), or null. */
    public Library compiledLibrary(String libraryName) {
        return libraryCache.values().stream()
                .filter(l -> libraryName.equals(l.getIdentifier().getId()))
                .map(CompiledLibrary::getLibrary)
                .findFirst()
                .orElse(null);
    }

    /**
     * The data the given expressions of a compiled library retrieve, through every library they include, as the CQL
     * engine's data-requirements processor reads them from the ELM; all expressions when {@code expressions} is empty.
     */
    public DataRequirements dataRequirements(String libraryName, Set<String> expressions) {
        String key = PackagedElm.requirementsKey(libraryName, expressions);
        return dataRequirements.computeIfAbsent(key, k -> {
            DataRequirements packaged = packagedElm ? PackagedElm.packagedDataRequirements(k) : null;
            if (packaged != null) {
                return packaged;
            }
            // translated here (the processor needs the translator's symbol tables): only when no ELM was packaged
            LibraryManager manager = packagedElm ? translatingLibraryManager() : newLibraryManager();
            CompiledLibrary library = manager.resolveLibrary(new VersionedIdentifier().withId(libraryName));
            return DataRequirements.of(manager, library, expressions);
        });
    }

    /**
     * Translates the named libraries (and what they include) now, failing on any translation error; libraries whose
     * ELM was packaged at build time ({@link PackagedElm}) are already in the cache and not translated again.
     */
    public void compile(Collection<String> libraryNames) {
        long start = System.nanoTime();
        PackagedElm.resolve(newLibraryManager(), List.copyOf(libraryNames));
        log.info("Compiled CQL libraries {} in {} ms ({})", libraryNames, (System.nanoTime() - start) / 1_000_000,
                packagedElm ? "ELM packaged at build time" : "translated from source");
    }

    static String describe(CqlCompilerException e) {
        var locator = e.getLocator();
        String where = locator == null
                ? ""
                : (locator.getLibrary() == null ? "" : locator.getLibrary().getId()) + ":" + locator.getStartLine() + ": ";
        return where + e.getMessage();
    }

    /** A library manager that translates the project's CQL from source, as the engine does without packaged ELM. */
    static LibraryManager translatingLibraryManager() {
        return libraryManager(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    private LibraryManager newLibraryManager() {
        return libraryManager(modelCache, libraryCache);
    }

    private static LibraryManager libraryManager(
            Map<ModelIdentifier, Model> modelCache, Map<VersionedIdentifier, CompiledLibrary> libraryCache) {
        var libraryManager = new LibraryManager(new ModelManager(modelCache),
                CqlOptions.defaultOptions().getCqlCompilerOptions(), libraryCache, kotlin.LazyKt.lazyOf(UCUM));
        var loader = libraryManager.getLibrarySourceLoader();
        loader.clearProviders();
        loader.registerProvider(new ClasspathCqlSources());
        loader.registerProvider(new FhirLibrarySourceProvider());
        return libraryManager;
    }

    /**
     * Evaluates the given expressions of a library for one patient.
     *
     * @param bundle all of the patient's data, including draft orders
     * @param parameters CQL parameter values by name
     * @param now the evaluation date-time (CQL {@code Now()} / {@code Today()})
     * @return expression name to value, in the requested order
     */
    public Map<String, Object> evaluate(
            String libraryName,
            List<String> expressions,
            IBaseBundle bundle,
            String patientId,
            Map<String, Object> parameters,
            ZonedDateTime now) {
        return evaluate(libraryName, expressions, bundle, patientId, parameters, now, null);
    }

    /**
     * As {@link #evaluate(String, List, IBaseBundle, String, Map, ZonedDateTime)}, and afterwards hands every
     * definition the engine evaluated on the way (in any library, from its expression cache) to {@code trace}, so a
     * caller can show the values that decided the result without evaluating anything twice.
     */
    public Map<String, Object> evaluate(
            String libraryName,
            List<String> expressions,
            IBaseBundle bundle,
            String patientId,
            Map<String, Object> parameters,
            ZonedDateTime now,
            DefinitionTrace trace) {
        // Each concept's terms, prepared once for the retrieve filter and Is In alike (the data does not change).
        Map<CodeableConcept, Terms> conceptTerms = new IdentityHashMap<>();
        var retrieveProvider = new ConceptFilteringRetrieveProvider(
                new PatientRecords(fhirContext, bundle),
                () -> new RepositoryRetrieveProvider(new InMemoryFhirRepository(fhirContext, bundle), terminology,
                        retrieveSettings),
                modelResolver, terminology, conceptTerms);
        var dataProvider = new CompositeDataProvider(new MemoisingModelResolver(modelResolver), retrieveProvider);
        var environment = new Environment(
                evaluationLibraryManager.get(), Map.of(Constants.FHIR_MODEL_URI, dataProvider), terminology);
        var terminologyFunctions = new TerminologyFunctions(terminology, conceptTerms);
        for (CompiledLibrary library : libraryCache.values()) {
            if (TerminologyFunctions.LIBRARIES.contains(library.getIdentifier().getId())) {
                environment.registerExternalFunctionProvider(library.getIdentifier(), terminologyFunctions);
            }
        }
        var engine = new CqlEngine(environment, Set.of(CqlEngine.Options.EnableExpressionCaching));
        functionResolutions.install(engine);

        var results = engine.evaluate(builder -> {
            builder.library(libraryName, library -> {
                library.expressions(expressions);
                return Unit.INSTANCE;
            });
            builder.setContextParameter(new Pair<>("Patient", patientId));
            builder.setParameters(parameters);
            builder.setEvaluationDateTime(now);
            return Unit.INSTANCE;
        });
        org.opencds.cqf.cql.engine.execution.EvaluationResult result;
        try {
            result = results.getOnlyResultOrThrow();
        } catch (RuntimeException e) {
            // the engine's own ERROR line quotes the message, which can hold the record's values (dates): that logger
            // is off (application.yaml); this line names the library and the kind of failure only
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            log.warn("CQL evaluation of {} failed ({}{})", libraryName, e.getClass().getSimpleName(),
                    cause == e ? "" : ", caused by " + cause.getClass().getSimpleName());
            throw e;
        }
        if (trace != null) {
            engine.getCache().getExpressions().forEach((library, definitions) -> definitions.forEach(
                    (name, value) -> trace.evaluated(library.getId(), name, value == null ? null : value.getValue())));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String expression : expressions) {
            ExpressionResult value = result.get(expression);
            values.put(expression, value == null ? null : value.getValue());
        }
        return values;
    }
}
