package io.keytrail.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A homeserver stub on loopback for the slow lane: every {@code /keys/query} is answered with an empty
 * response ("no such devices"), but while {@link #stall()} holds, requests are kept waiting, the way a
 * homeserver under load keeps a client waiting. The fast lane must not notice (design section 3).
 */
final class StallingHomeserver implements AutoCloseable {
    /** The longest a request is held, so a forgotten stall never keeps the JVM busy. */
    private static final long MAX_HOLD_SECONDS = 600;
    private static final byte[] EMPTY_ANSWER = "{\"device_keys\":{},\"failures\":{}}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private volatile CountDownLatch stall = new CountDownLatch(0);

    private StallingHomeserver(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static StallingHomeserver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-homeserver");
            t.setDaemon(true);
            return t;
        });
        StallingHomeserver stub = new StallingHomeserver(server, threads);
        server.createContext("/", stub::handle);
        server.setExecutor(threads);
        server.start();
        return stub;
    }

    String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** From now on requests wait until {@link #release()}. */
    void stall() {
        stall = new CountDownLatch(1);
    }

    void release() {
        stall.countDown();
    }

    /** Requests received so far (also those still held). */
    int requests() {
        return requests.get();
    }

    /** Waits up to {@code seconds} for the first request; true when one came. */
    boolean awaitRequest(long seconds) throws InterruptedException {
        return firstRequest.await(seconds, TimeUnit.SECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        firstRequest.countDown();
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            stall.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, EMPTY_ANSWER.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(EMPTY_ANSWER);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
