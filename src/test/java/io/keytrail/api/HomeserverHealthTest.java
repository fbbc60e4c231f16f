package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import com.sun.net.httpserver.HttpServer;

/** The homeserver's health (ADR 0015) against loopback stubs, with a controllable clock. */
class HomeserverHealthTest {
    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();

    private String stub(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/_matrix/client/versions", exchange -> {
            calls.incrementAndGet();
            byte[] body = "{\"versions\":[\"v1.11\"]}".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void answeringHomeserver_isUp_andAskedAtMostOncePerCachePeriod() throws Exception {
        MovableClock clock = new MovableClock();
        HomeserverHealth health = new HomeserverHealth(stub(200), Duration.ofSeconds(5), clock);

        Health first = health.health();
        Health cached = health.health();
        clock.now = clock.now.plus(HomeserverHealth.CACHE_FOR);
        health.health();

        assertThat(first.getStatus()).isEqualTo(Status.UP);
        assertThat(cached).isSameAs(first);
        assertThat(calls).hasValue(2);
    }

    @Test
    void homeserverAnsweringAnError_isUnknown_notDown_withTheStatusAsReason() throws Exception {
        Health health = new HomeserverHealth(stub(502), Duration.ofSeconds(5), new MovableClock()).health();

        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails().get("reason")).isEqualTo("answered HTTP 502");
    }

    @Test
    void unreachableHomeserver_isUnknown_notDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Health health = new HomeserverHealth("http://127.0.0.1:" + closedPort, Duration.ofSeconds(2),
                new MovableClock()).health();

        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails().get("reason").toString()).startsWith("unreachable");
    }
}
