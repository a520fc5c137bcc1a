package org.alemcds.cql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import kotlinx.io.Source;
import org.cqframework.cql.cql2elm.LibrarySourceProvider;
import org.hl7.elm.r1.VersionedIdentifier;

/** Serves the project's CQL source from the classpath folder {@code cql/} (the top-level {@code cql/} directory). */
final class ClasspathCqlSources implements LibrarySourceProvider {

    @Override
    public Source getLibrarySource(VersionedIdentifier libraryIdentifier) {
        InputStream in = ClasspathCqlSources.class.getClassLoader()
                .getResourceAsStream("cql/" + libraryIdentifier.getId() + ".cql");
        if (in == null) {
            return null;
        }
        try (in) {
            byte[] bytes = in.readAllBytes();
            var buffer = new kotlinx.io.Buffer();
            buffer.write(bytes, 0, bytes.length);
            return buffer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
