package org.fsnap.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fsnap.config.ListenAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link Metrics} at {@code http://HOST:PORT/metrics} ({@code metrics.listen} of the
 * configuration) with the JDK's HTTP server, on one daemon thread. GET and HEAD only.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds to {@code address} (port 0: any free port) and starts serving. */
    public static MetricsHttpServer start(Metrics metrics, ListenAddress address) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(metrics, exchange));
        server.start();
        MetricsHttpServer s = new MetricsHttpServer(server, executor);
        LOG.info("metrics on http://{}/metrics", new ListenAddress(address.host(), s.port()));
        return s;
    }

    private static void handle(Metrics metrics, HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/metrics")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
                metrics.write(body);
                send(exchange, 200, metrics.contentType(), body.toByteArray());
            } else if (path.equals("/")) {
                send(exchange, 200, "text/plain; charset=utf-8",
                        "fsnapd metrics: /metrics\n".getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
