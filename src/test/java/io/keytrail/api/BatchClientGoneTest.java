package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.keytrail.EngineSpringTest;

/** A batch whose client has gone stops at the next input instead of running on for nobody (issue 9). */
@EngineSpringTest
@ExtendWith(OutputCaptureExtension.class)
class BatchClientGoneTest {
    private static final Pattern STOPPED = Pattern.compile("client left during a batch of 1000 inputs; stopped after (\\d+)");

    @LocalServerPort
    int port;

    @Test
    void aClientThatLeavesAfterTheFirstAnswer_stopsItsBatchOfAThousand(CapturedOutput output) throws Exception {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            array.append(i == 0 ? "" : ",").append("{\"type\":\"withdraw_verification\",\"user_id\":\"@gone-")
                    .append(i).append(":example.org\"}");
        }
        byte[] body = array.append(']').toString().getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/v1/inputs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + ApiTestTokens.USER + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("{\"result\"")) {
                int b = in.read();
                assertThat(b).as("the answer so far: " + seen).isNotNegative();
                seen.append((char) b);
            }
            assertThat(seen.toString()).startsWith("HTTP/1.1 200");
        }

        // Standard output and error: a command-line tool started earlier in this JVM (CliContext) leaves
        // logging configured for the tools, which log to standard error.
        await().atMost(Duration.ofSeconds(60)).until(() -> STOPPED.matcher(output.getAll()).find());
        Matcher stopped = STOPPED.matcher(output.getAll());
        assertThat(stopped.find()).isTrue();
        assertThat(Integer.parseInt(stopped.group(1))).isBetween(1, 999);
    }
}
