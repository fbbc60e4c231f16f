package io.keytrail.lanes;

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
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.matrix.MatrixJson;

/**
 * The homeserver's {@code POST /_matrix/client/v3/keys/query}, on the JDK's HTTP client. Asynchronous:
 * the future always completes normally with a {@link KeysQueryOutcome}, so no failure can end a flow.
 * The access token goes only into the {@code Authorization} header, never into outcomes or logs.
 */
public class HomeserverClient {
    /** The spec's default for how long the homeserver may wait for other servers. */
    private static final Duration FEDERATION_WAIT = Duration.ofSeconds(10);
    private static final int ERROR_BODY_CHARS = 500;
    /**
     * Reads answers: a homeserver is untrusted input like any other, so numbers are checked while
     * parsing (integers in [-(2^53-1), 2^53-1] only, design section 11) before anything converts them.
     */
    private static final ObjectMapper ANSWERS = new ObjectMapper(MatrixJson.factory());

    private final HttpClient http;
    private final URI endpoint;
    private final String accessToken;
    private final Duration readTimeout;
    private final ObjectMapper mapper;

    public HomeserverClient(String baseUrl, String accessToken, Duration connectTimeout, Duration readTimeout,
                            ObjectMapper mapper) {
        String base = baseUrl.trim();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
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
        userIds.stream().sorted().forEach(deviceKeys::putArray);
        // Leave the homeserver time to answer with what it has before our own read timeout hits.
        Duration federationWait = readTimeout.dividedBy(2);
        request.put("timeout", (federationWait.compareTo(FEDERATION_WAIT) < 0 ? federationWait : FEDERATION_WAIT)
                .toMillis());
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(readTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
        if (accessToken != null && !accessToken.isBlank()) {
            builder.header("Authorization", "Bearer " + accessToken.trim());
        }
        try {
            return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
                    .handle((response, error) -> error != null ? failure(error) : interpret(response));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private KeysQueryOutcome interpret(HttpResponse<String> response) {
        String text = response.body() == null ? "" : response.body();
        if (response.statusCode() / 100 != 2) {
            return new KeysQueryOutcome.HttpError(response.statusCode(),
                    text.length() > ERROR_BODY_CHARS ? text.substring(0, ERROR_BODY_CHARS) : text);
        }
        JsonNode body;
        try {
            body = MatrixJson.readTree(ANSWERS, text);
        } catch (JsonProcessingException e) {
            return new KeysQueryOutcome.Malformed("the body is not acceptable JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            return new KeysQueryOutcome.Malformed("the body is not a JSON object");
        }
        JsonNode f = body.path("failures");
        if (!f.isMissingNode() && !f.isNull() && !f.isObject()) {
            return new KeysQueryOutcome.Malformed("failures is not an object");
        }
        Map<String, JsonNode> failures = new TreeMap<>();
        if (f.isObject()) {
            f.properties().forEach(e -> failures.put(e.getKey(), e.getValue()));
        }
        return new KeysQueryOutcome.Answered(body, failures);
    }

    private static KeysQueryOutcome failure(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return cause instanceof HttpTimeoutException ? new KeysQueryOutcome.TimedOut(detail)
                : new KeysQueryOutcome.Unreachable(detail);
    }
}
