package dev.xigate.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server whose answers a test writes byte by byte, one handler call per connection, so that
 * framing, timing and connection closes are exactly what the test says.
 */
final class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private ScriptedServer(ServerSocket server, ConnectionScript script) {
        this.server = server;
        this.acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    sockets.add(socket);
                    int index = connections.getAndIncrement();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            script.run(index, new Peer(socket));
                        } catch (IOException | InterruptedException e) {
                            // the test decides what a closed peer means; scripts that expect it ignore it
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Starts a server that runs the script for every accepted connection. */
    static ScriptedServer start(ConnectionScript script) throws IOException {
        return new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    /** Starts a server over an already bound server socket (a TLS one, for example). */
    static ScriptedServer start(ServerSocket bound, ConnectionScript script) {
        return new ScriptedServer(bound, script);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    List<Throwable> failures() {
        return failures;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        acceptor.interrupt();
    }

    /** What the server does on one connection. */
    @FunctionalInterface
    interface ConnectionScript {
        void run(int connectionIndex, Peer peer) throws IOException, InterruptedException;
    }

    /** A request as the server read it. */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The server's end of one connection. */
    static final class Peer {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Returns the next request, or {@code null} when the client closed the connection. */
        Request read() throws IOException {
            String requestLine = line();
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while ((line = line()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new Request(parts[0], parts[1], headers, in.readNBytes(length));
        }

        /** Writes text as ISO-8859-1 and flushes. */
        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Writes an answer with a content length in one write. */
        void answer(int status, String body, String... extraHeaders) throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            for (String header : extraHeaders) {
                head.append(header).append("\r\n");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            all.writeBytes(bytes);
            out.write(all.toByteArray());
            out.flush();
        }

        /** Returns whether the client closed its end (reads EOF within the socket's timeout). */
        boolean clientClosed(int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            return in.read() < 0;
        }

        void close() throws IOException {
            socket.close();
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return null;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }
}
