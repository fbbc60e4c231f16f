package io.keytrail.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Whether the configured homeserver answers (ADR 0015): {@code GET /_matrix/client/versions}, which
 * needs no token and costs the server nothing, with a bounded timeout, at most once per
 * {@link #CACHE_FOR} (health may be polled often; the homeserver is not ours to load). UP when it
 * answers 200; UNKNOWN, not DOWN, when it does not: Keytrail still decides and stores without it (the
 * fast lane), and the background lane retries, so an orchestrator must not restart Keytrail for it.
 */
class HomeserverHealth implements HealthIndicator {
    static final Duration CACHE_FOR = Duration.ofSeconds(30);
    static final Duration TIMEOUT_AT_MOST = Duration.ofSeconds(5);

    private final URI versions;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private volatile Health last;
    private volatile Instant lastAt = Instant.MIN;

    HomeserverHealth(String baseUrl, Duration connectTimeout, Clock clock) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.versions = URI.create(base + "/_matrix/client/versions");
        this.timeout = connectTimeout.compareTo(TIMEOUT_AT_MOST) < 0 ? connectTimeout : TIMEOUT_AT_MOST;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Health cached = last;
        if (cached != null && lastAt.plus(CACHE_FOR).isAfter(now)) {
            return cached;
        }
        synchronized (this) {
            if (last != null && lastAt.plus(CACHE_FOR).isAfter(now)) {
                return last;
            }
            last = check(now);
            lastAt = now;
            return last;
        }
    }

    private Health check(Instant now) {
        Health.Builder health;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(versions).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            health = response.statusCode() == 200 ? Health.up()
                    : Health.status(Status.UNKNOWN).withDetail("reason", "answered HTTP " + response.statusCode());
        } catch (HttpTimeoutException e) {
            health = Health.status(Status.UNKNOWN).withDetail("reason", "no answer within " + timeout);
        } catch (IOException e) {
            health = Health.status(Status.UNKNOWN).withDetail("reason", "unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            health = Health.status(Status.UNKNOWN).withDetail("reason", "interrupted");
        }
        return health.withDetail("url", versions.toString()).withDetail("checkedAt", now.toString()).build();
    }
}
