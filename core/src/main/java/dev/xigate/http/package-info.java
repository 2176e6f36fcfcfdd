/**
 * A small blocking HTTP/1.1 client with a keep-alive connection pool, made for the gateway's upstream hop.
 *
 * <p>Each exchange runs on the calling thread (a virtual thread in the gateway): the request is written in one
 * write, the response head is parsed on the same thread and the body is handed back as an {@link java.io.InputStream}
 * that reads from the socket as bytes arrive. There is no selector thread and no executor between the caller and
 * the socket, which is what makes it cheaper than {@code java.net.http.HttpClient} on the proxy path.
 */
package dev.xigate.http;
