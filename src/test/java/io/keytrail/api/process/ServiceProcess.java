package io.keytrail.api.process;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.api.KeytrailApplication;

/**
 * The service as a child JVM on loopback (the test's own classpath without the test classes), for
 * tests that need a real process: a {@code kill -9}, or two nodes on one database. Its output goes to
 * a log file next to its store, shown when a test fails.
 */
public final class ServiceProcess implements AutoCloseable {
    /** Sent on every request; the child is configured with it (bearer-token access, design section 11). */
    public static final String TOKEN = "durability-test-token";
    public static final String ADMIN_TOKEN = "durability-test-admin-token";
    /** A fixed, public test sealing key: every process on one store must seal with the same key. */
    public static final String SEALING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(150);
    /**
     * The child runs at a lower CPU priority than the test JVM (ADR 0031). The suite's other classes, on
     * the test JVM's own thread, are the longest path of the build; the children only have to be done
     * by the time it ends. At equal priority, a child's boot took CPU from that path while, at the end,
     * a core idled; niced, the children take what the test JVM leaves. Nothing the tests assert depends
     * on how fast a child runs (they wait for answers, with generous limits). Without {@code nice}
     * (not a POSIX system) the child runs at normal priority.
     */
    private static final List<String> NICE = Files.isExecutable(Path.of("/usr/bin/nice"))
            ? List.of("/usr/bin/nice", "-n", "10") : List.of();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a node in {@code dataDir} (its working directory, so the default H2 URL {@code ./data/...}
     * lands there) with the given extra settings ({@code --spring.datasource.url=...} and the like), and
     * waits until it answers HTTP.
     */
    public static ServiceProcess start(Path dataDir, String name, List<String> storeArguments) {
        return launch(dataDir, name, storeArguments, SEALING_KEY).awaitReady();
    }

    /** Starts a node without waiting for it: for a start that is expected to fail. */
    public static ServiceProcess launch(Path dataDir, String name, List<String> storeArguments, String sealingKey) {
        try {
            Files.createDirectories(dataDir);
            int port = freePort();
            Path log = dataDir.resolve(name + ".log");
            List<String> command = new ArrayList<>(NICE);
            command.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", serviceClasspath(), KeytrailApplication.class.getName(),
                    "--server.port=" + port,
                    "--server.address=127.0.0.1",
                    "--keytrail.data-dir=" + dataDir.toAbsolutePath(),
                    "--keytrail.session-key-encryption-key=" + sealingKey,
                    "--keytrail.api.token=" + TOKEN,
                    "--keytrail.api.admin-token=" + ADMIN_TOKEN,
                    "--spring.main.banner-mode=off"));
            if (storeArguments.stream().noneMatch(a -> a.startsWith("--keytrail.homeserver.base-url="))) {
                command.add("--keytrail.homeserver.base-url="); // no slow lane unless a test asks for one
            }
            command.addAll(storeArguments);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Only the arguments choose the store: nothing from the environment of the build.
            builder.environment().keySet().removeIf(key -> key.startsWith("KEYTRAIL_") || key.startsWith("SPRING_"));
            return new ServiceProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test classpath minus the test classes: the service exactly as the main code builds it. */
    private static String serviceClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until the node answers HTTP (polled every 100 ms: a refused connection on loopback costs
     * nothing); fails at once when it exits.
     */
    public ServiceProcess awaitReady() {
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                return get("/api/v1/sessions/%21ready%3Aprobe/probe").statusCode() == 404;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** POSTs one input; the status code and body (a failed connection is an {@link IOException}). */
    public HttpResponse<String> postInput(JsonNode input) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/inputs")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input.toString())).build();
        return send(request);
    }

    /** The session as GET /api/v1/sessions answers it, or null when the service does not know it. */
    public JsonNode session(String roomId, String sessionId) throws IOException {
        HttpResponse<String> response = get("/api/v1/sessions/" + encode(roomId) + "/" + encode(sessionId));
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET session answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** SIGKILL on Linux: no shutdown hook, no flush, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** Waits for the process to end by itself; its exit code. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the service is still running after " + atMost);
        }
        return process.exitValue();
    }

    /** Everything the node wrote to standard output and error. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    public long pid() {
        return process.pid();
    }

    /** The first lines of the node's output that name an exception or an error, for failure messages. */
    public String problems() {
        try {
            return String.join("\n", Files.readAllLines(log).stream()
                    .filter(line -> line.contains("Exception") || line.contains(" ERROR ")).limit(15).toList());
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The last lines of the node's output, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A normal stop of every node at once (each SIGTERMed before waiting for any). */
    public static void closeAll(List<ServiceProcess> nodes) {
        nodes.forEach(ServiceProcess::terminate);
        nodes.forEach(ServiceProcess::awaitTermination);
    }

    /** A normal stop (SIGTERM: graceful shutdown). */
    @Override
    public void close() {
        terminate();
        awaitTermination();
    }

    private void terminate() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    private void awaitTermination() {
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
