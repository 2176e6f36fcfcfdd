package dev.xigate.bench.gateway;

import dev.xigate.http.Http1Client;
import dev.xigate.http.Http1Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@code xigate} command (the simulator or the gateway) as a process of its own, from the shaded jar, the
 * way it runs in production; its output goes to a log file. Closing it stops the process.
 */
final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code java -jar xigate.jar <args>} and waits until {@code readyUrl} answers 200.
     *
     * @param jar the shaded xigate jar
     * @param jvmOptions extra JVM options
     * @param args the xigate command and its flags
     * @param env extra environment variables
     * @param log where the process's output goes
     * @param readyUrl a URL that answers 200 once the process serves
     */
    static ChildProcess start(String name, Path jar, List<String> jvmOptions, List<String> args,
            Map<String, String> env, Path log, URI readyUrl) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        ChildProcess child = new ChildProcess(name, builder.start());
        try {
            child.awaitReady(readyUrl, Duration.ofSeconds(90));
        } catch (IOException | InterruptedException | RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    /** Returns the process id. */
    long pid() {
        return process.pid();
    }

    /** Returns a free loopback port (bound and released; good enough on a machine where nothing else races). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(URI url, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Http1Client client = Http1Client.builder(url).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException(name + " exited with status " + process.exitValue() + " before serving");
                }
                try (Http1Response response = client.send("GET", url.getRawPath(), Map.of(), new byte[0],
                        Duration.ofSeconds(2))) {
                    response.body().readAllBytes();
                    if (response.status() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IOException(name + " did not serve " + url + " within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
