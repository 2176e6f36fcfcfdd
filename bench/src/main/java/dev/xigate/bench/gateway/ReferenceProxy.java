package dev.xigate.bench.gateway;

import dev.xigate.http.Http1Client;
import dev.xigate.http.Http1Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nginx as a plain reverse proxy in front of the simulator: the reference arm of the end-to-end benchmark.
 *
 * <p>It answers "what does one proxy hop cost on this machine at all": an event-driven C proxy with keep-alive
 * upstream connections and no buffering, doing nothing but forwarding. The gateway's added latency is then read
 * against that floor, measured in the same run and interleaved with the other arms. One worker process, so that it
 * competes for the two cores like the gateway does rather than with more threads.
 */
final class ReferenceProxy implements AutoCloseable {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"),
            Path.of("/usr/local/sbin/nginx"), Path.of("/usr/local/nginx/sbin/nginx"));

    private final Process process;
    private final URI uri;
    private final String version;

    private ReferenceProxy(Process process, URI uri, String version) {
        this.process = process;
        this.uri = uri;
        this.version = version;
    }

    /** Returns the nginx binary of this machine, if there is one. */
    static Optional<Path> binary() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts nginx proxying every path to {@code upstream} and waits until a request through it reaches the
     * simulator.
     *
     * @param nginx the nginx binary
     * @param upstream the simulator
     * @param dir an empty directory for its configuration, temporary files and error log
     */
    static ReferenceProxy start(Path nginx, URI upstream, Path dir) throws IOException, InterruptedException {
        int port = ChildProcess.freePort();
        Files.createDirectories(dir);
        String conf = """
                master_process off;
                daemon off;
                worker_processes 1;
                error_log %1$s/error.log warn;
                pid %1$s/nginx.pid;
                events { worker_connections 16384; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    keepalive_requests 1000000;
                    upstream simulator {
                        server %2$s:%3$d;
                        keepalive 512;
                        keepalive_requests 1000000;
                    }
                    server {
                        listen 127.0.0.1:%4$d;
                        client_max_body_size 10m;
                        location / {
                            proxy_pass http://simulator;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_buffering off;
                            proxy_request_buffering off;
                        }
                    }
                }
                """.formatted(dir, upstream.getHost(), upstream.getPort(), port);
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        ReferenceProxy proxy = new ReferenceProxy(process, URI.create("http://127.0.0.1:" + port), version(nginx));
        try {
            proxy.awaitReady(Duration.ofSeconds(20));
        } catch (IOException | InterruptedException | RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    /** Returns where it listens. */
    URI uri() {
        return uri;
    }

    /** Returns its version line, for the result file. */
    String version() {
        return version;
    }

    private static String version(Path nginx) throws IOException, InterruptedException {
        Process v = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
        String text = new String(v.getInputStream().readAllBytes()).trim();
        v.waitFor(5, TimeUnit.SECONDS);
        return text;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Http1Client client = Http1Client.builder(uri).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("nginx exited with status " + process.exitValue() + " before serving");
                }
                try (Http1Response response = client.send("GET", "/_sim/stats", Map.of(), new byte[0],
                        Duration.ofSeconds(2))) {
                    response.body().readAllBytes();
                    if (response.status() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new IOException("nginx did not proxy " + uri + " within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
