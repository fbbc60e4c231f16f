package io.keytrail.lanes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The homeserver's {@code POST /_matrix/client/v3/keys/query}, on the JDK's HTTP client. Asynchronous:
 * callers get a future that always completes normally with a {@link KeysQueryOutcome}.
 */
public class HomeserverClient {
    private final HttpClient http;
    private final URI endpoint;
    private final String accessToken;
    private final Duration readTimeout;
    private final ObjectMapper mapper;

    public HomeserverClient(String baseUrl, String accessToken, Duration connectTimeout, Duration readTimeout,
                            ObjectMapper mapper) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/_matrix/client/v3/keys/query");
        this.accessToken = accessToken;
        this.readTimeout = readTimeout;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Asks for all devices of {@code userIds} (an empty device list means "all devices"). */
    public CompletableFuture<KeysQueryOutcome> queryKeys(Collection<String> userIds) {
        ObjectNode request = mapper.createObjectNode();
        ObjectNode deviceKeys = request.putObject("device_keys");
        userIds.stream().sorted().forEach(u -> deviceKeys.putArray(u));
        request.put("timeout", readTimeout.toMillis());
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(readTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
        if (accessToken != null && !accessToken.isBlank()) {
            builder.header("Authorization", "Bearer " + accessToken);
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(this::interpret)
                .exceptionally(HomeserverClient::failure);
    }

    private KeysQueryOutcome interpret(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            return new KeysQueryOutcome.HttpError(response.statusCode(), body.length() > 500 ? body.substring(0, 500) : body);
        }
        JsonNode body;
        try {
            body = mapper.readTree(response.body());
        } catch (IOException e) {
            return new KeysQueryOutcome.Malformed("not JSON: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            return new KeysQueryOutcome.Malformed("the body is not a JSON object");
        }
        Map<String, JsonNode> failures = new TreeMap<>();
        JsonNode f = body.path("failures");
        if (f.isObject()) {
            f.properties().forEach(e -> failures.put(e.getKey(), e.getValue()));
        }
        return new KeysQueryOutcome.Answered(body, failures);
    }

    private static KeysQueryOutcome failure(Throwable t) {
        Throwable cause = t.getCause() != null ? t.getCause() : t;
        if (cause instanceof HttpTimeoutException) {
            return new KeysQueryOutcome.TimedOut(cause.getMessage());
        }
        return new KeysQueryOutcome.Unreachable(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
