package io.keytrail.lanes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A homeserver on loopback (the JDK's HTTP server, port 0) answering {@code POST /keys/query} with
 * whatever the current {@link #respond responder} says. Requests are recorded, and so is what happened to
 * them: {@link #holdingFor held} while the responder has not decided yet (a responder may block on a latch to
 * play a stalled server: each exchange runs on its own thread), {@link #answeredFor answered} once it has a reply.
 */
final class StubHomeserver implements AutoCloseable {
    static final String PATH = "/_matrix/client/v3/keys/query";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded request. */
    record Request(JsonNode body, String authorization, String method, String path) {
        Set<String> users() {
            Set<String> users = new TreeSet<>();
            body.path("device_keys").fieldNames().forEachRemaining(users::add);
            return users;
        }
    }

    record Reply(int status, String body) {
        static Reply json(JsonNode body) {
            return new Reply(200, body.toString());
        }
    }

    /** Decides the reply; may block to stall the server. */
    interface Responder {
        Reply reply(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> holding = new CopyOnWriteArrayList<>();
    private final List<Request> answered = new CopyOnWriteArrayList<>();
    private volatile Responder responder = request -> new Reply(200, "{}");

    private StubHomeserver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-homeserver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static StubHomeserver start() {
        try {
            return new StubHomeserver();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port", e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    StubHomeserver respond(Responder responder) {
        this.responder = responder;
        return this;
    }

    /** Answers every request with {@code body(request)} and status 200. */
    StubHomeserver respondJson(Function<Request, JsonNode> body) {
        return respond(request -> Reply.json(body.apply(request)));
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Requests that asked for {@code userId}. */
    List<Request> requestsFor(String userId) {
        return requests.stream().filter(r -> r.users().contains(userId)).toList();
    }

    /** Requests for {@code userId} that the stub is holding right now: their responder has not returned. */
    List<Request> holdingFor(String userId) {
        return holding.stream().filter(r -> r.users().contains(userId)).toList();
    }

    /** Requests for {@code userId} that got a reply (any status), in the order the replies were decided. */
    List<Request> answeredFor(String userId) {
        return answered.stream().filter(r -> r.users().contains(userId)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body;
            try {
                body = JSON.readTree(raw);
            } catch (IOException e) {
                body = JSON.createObjectNode();
            }
            Request request = new Request(body == null ? JSON.createObjectNode() : body,
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath());
            requests.add(request);
            Reply reply;
            holding.add(request);
            try {
                reply = responder.reply(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // stopped while stalling: no answer at all
            } catch (Exception e) {
                reply = new Reply(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"stub: " + e + "\"}");
            } finally {
                holding.remove(request);
            }
            answered.add(request);
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    /** Stops listening and interrupts stalled exchanges (their clients see the connection drop). */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
