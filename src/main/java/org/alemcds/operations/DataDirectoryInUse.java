package org.alemcds.operations;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Before anything starts: when the embedded database file is locked by another running instance, says so in one
 * line — and how to choose another directory — and exits with status {@value #EXIT_STATUS}, instead of H2's long
 * stack trace. H2 holds an operating-system lock on its file while open; a lock this check cannot take means another
 * process has the database. Only for the embedded H2 file database; registered by the application's main method.
 */
public class DataDirectoryInUse implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    public static final int EXIT_STATUS = 3;
    private static final Logger log = LoggerFactory.getLogger(DataDirectoryInUse.class);
    private static final String H2_FILE = "jdbc:h2:file:";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Path file = databaseFile(event.getEnvironment());
        if (file != null && lockedByAnotherProcess(file)) {
            log.error("The data directory {} is in use by another running instance of this service; stop it, or "
                    + "start this one on another directory with --cds.data-dir=<directory> (or CDS_DATADIR).",
                    file.toAbsolutePath().normalize().getParent());
            System.exit(EXIT_STATUS);
        }
    }

    /** The H2 database file of the configured datasource, or null when the database is not an embedded file. */
    static Path databaseFile(Environment environment) {
        String url = environment.getProperty("spring.datasource.url");
        if (url == null || !url.startsWith(H2_FILE)) {
            return null;
        }
        int options = url.indexOf(';');
        return Path.of((options < 0 ? url.substring(H2_FILE.length()) : url.substring(H2_FILE.length(), options))
                + ".mv.db");
    }

    static boolean lockedByAnotherProcess(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return false; // held within this process: not another instance
        } catch (IOException e) {
            return false; // unreadable for another reason: the database's own error says which
        }
    }
}
