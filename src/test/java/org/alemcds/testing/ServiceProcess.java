package org.alemcds.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.alemcds.AlemtuzumabCdsApplication;

/** The real service as a separate JVM (its main class, this test's classpath), for tests that kill or restart it. */
public final class ServiceProcess {

    private ServiceProcess() {}

    /** Starts the service on loopback with {@code arguments} (Spring Boot command-line properties), output to {@code log}. */
    public static Process start(Path log, List<String> arguments) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp", classpath(),
                AlemtuzumabCdsApplication.class.getName(),
                "--server.address=127.0.0.1",
                "--management.server.address=127.0.0.1"));
        if (arguments.stream().noneMatch(a -> a.startsWith("--management.server.port="))) {
            command.add("--management.server.port=0"); // never the fixed default port: tests run side by side
        }
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * This JVM's classpath without empty entries: surefire's {@code java.class.path} can hold one, which a child JVM
     * would read as the working directory (the project root, with its own fhir-resources/ folder).
     */
    static String classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && Files.exists(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Kills the process with SIGKILL — no shutdown hook, nothing closed cleanly — and checks that it died of it. */
    public static void sigkill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux/Unix
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The last lines of a process's output, for a failure message. */
    public static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
