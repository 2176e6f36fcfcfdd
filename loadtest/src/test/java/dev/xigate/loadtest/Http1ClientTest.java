package dev.xigate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Http1ClientTest {
    private static final long SECOND = 1_000_000_000L;

    private HttpServer server;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/fixed", exchange -> {
            byte[] echo = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("x-method", exchange.getRequestMethod());
            exchange.sendResponseHeaders(201, echo.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(echo);
            }
        });
        server.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 3; i++) {
                    out.write("part".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static String exchange(Http1Client client, String path, String body) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Http1Client.Head head = client.exchange("POST", path, Map.of("x-test", "1"),
                body.getBytes(StandardCharsets.UTF_8), System.nanoTime() + 5 * SECOND,
                (buffer, length) -> received.write(buffer, 0, length));
        return head.status() + " " + received.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsFixedLengthAndChunkedBodiesOnOneKeptAliveConnection() throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (Http1Client client = new Http1Client(uri, Duration.ofSeconds(2), System::nanoTime)) {
            assertThat(exchange(client, "/fixed", "hello")).isEqualTo("201 hello");
            assertThat(exchange(client, "/chunked", "x")).isEqualTo("200 partpartpart");
            assertThat(exchange(client, "/fixed", "")).isEqualTo("201 ");
        }
    }

    @Test
    void reconnectsWhenAKeptAliveConnectionWasClosed() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> serveOneAnswerPerConnection(raw));
            URI uri = URI.create("http://127.0.0.1:" + raw.getLocalPort());
            try (Http1Client client = new Http1Client(uri, Duration.ofSeconds(2), System::nanoTime)) {

                String first = exchange(client, "/a", "1");
                String second = exchange(client, "/b", "2");

                assertThat(first).isEqualTo("200 ok");
                assertThat(second).isEqualTo("200 ok");
                assertThat(connections.get()).isEqualTo(2);
            }
        }
    }

    @Test
    void givesUpAtTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            try (Http1Client client = new Http1Client(uri, Duration.ofSeconds(2), System::nanoTime)) {
                long deadline = System.nanoTime() + SECOND / 5;

                assertThatThrownBy(() -> client.exchange("POST", "/", Map.of(), new byte[0], deadline,
                        (buffer, length) -> { })).isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    /** Answers one request per connection with content-length and keep-alive, then closes it silently. */
    private void serveOneAnswerPerConnection(ServerSocket raw) {
        while (!raw.isClosed()) {
            try (Socket socket = raw.accept()) {
                connections.incrementAndGet();
                byte[] buffer = new byte[4096];
                int read = socket.getInputStream().read(buffer);
                if (read > 0) {
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
