package io.keytrail.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.api.InputProcessor;
import io.keytrail.api.KeytrailApplication;
import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519Signature;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * A repeatable measurement of the ingest write path (issue 13), never an assertion on time: N room keys
 * from M cross-signed devices whose keys are known ({@code sender_device_keys} present), ingested in
 * batches of B through {@link InputProcessor#processAll} (the path of HTTP arrays and replay), on a fresh
 * durable H2 file store ({@code WRITE_DELAY=0}) with the key-query saga processor running as in
 * {@code serve}. Prints keys/s, per-batch p50/p99 and the same run's single-thread Ed25519 verify rate.
 *
 * <pre>mvn -B -o -q test -Dtest=WritePathMeasurement -Dkeytrail.writepath.bench=true \
 *     -Dkeytrail.bench.keys=20000 -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Options: {@code keytrail.bench.keys} (N, 10000), {@code keytrail.bench.devices} (M, 50),
 * {@code keytrail.bench.batch} (B, 100), {@code keytrail.bench.warmup} (keys before measuring, 3000),
 * {@code keytrail.bench.sagaOff} (true: the key-query saga processor does not run, as in {@code replay}).
 * Figures also go to {@code target/writepath-measurement.txt}.
 */
class WritePathMeasurement {
    private static final String ROOM = "!bench:example.org";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    @EnabledIfSystemProperty(named = "keytrail.writepath.bench", matches = "true")
    void measureIngest() throws IOException {
        measure();
    }

    public static void main(String[] args) throws IOException {
        measure();
        System.exit(0); // the engine's pools leave non-daemon threads behind
    }

    static void measure() throws IOException {
        int keys = Integer.getInteger("keytrail.bench.keys", 10_000);
        int devices = Integer.getInteger("keytrail.bench.devices", 50);
        int batch = Integer.getInteger("keytrail.bench.batch", 100);
        int warmup = Integer.getInteger("keytrail.bench.warmup", 3_000);
        Path store = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "writepath-store");
        try (ConfigurableApplicationContext engine = start(store)) {
            InputProcessor processor = engine.getBean(InputProcessor.class);
            TestAccount me = TestAccount.create("@me:bench.org", "bench-me", "MYDEVICE");
            OwnDevice own = me.ownDevice("MYDEVICE");
            processor.process(ownDevice(own));
            List<TestAccount> senders = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                TestAccount user = TestAccount.create("@user" + d + ":bench.org", "bench-" + d, "DEV" + d);
                senders.add(user);
                processor.process(JsonNodeFactory.instance.objectNode().put("type", "keys_query_response")
                        .set("body", KeysQueryBody.of(user)));
            }
            System.err.printf("writepath: preparing %d + %d room keys from %d devices%n", warmup, keys, devices);
            List<JsonNode> warm = roomKeys(senders, own, warmup);
            List<JsonNode> measured = roomKeys(senders, own, keys);
            run(processor, warm, batch);
            double ed25519 = ed25519VerifiesPerSecond();
            long start = System.nanoTime();
            long[] perBatch = run(processor, measured, batch);
            long total = System.nanoTime() - start;
            double ed25519After = ed25519VerifiesPerSecond();
            Arrays.sort(perBatch);
            double keysPerS = keys * 1e9 / total;
            double bound = Math.max(ed25519, ed25519After);
            String line = String.format("writepath: N=%d batch=%d devices=%d: %.0f keys/s, batch p50 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms; Ed25519 verify (1 thread, same run) %.0f/s before, %.0f/s after; "
                            + "keys/s to 2x verify rate %.3f",
                    keys, batch, devices, keysPerS, percentile(perBatch, 50) / 1e6, percentile(perBatch, 99) / 1e6,
                    perBatch[perBatch.length - 1] / 1e6, ed25519, ed25519After, keysPerS / (2 * bound));
            System.out.println(line);
            Files.writeString(Path.of("target", "writepath-measurement.txt"), line + System.lineSeparator(),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } finally {
            delete(store);
        }
    }

    private static ConfigurableApplicationContext start(Path store) {
        SpringApplication app = new SpringApplication(KeytrailApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        return app.run(
                "--spring.datasource.url=jdbc:h2:file:" + store.resolve("keytrail")
                        + ";AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                "--keytrail.data-dir=" + store,
                "--keytrail.session-key-encryption-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                "--keytrail.homeserver.base-url=",
                "--db-scheduler.enabled=false",
                // -Dkeytrail.bench.sagaOff=true: without the key-query saga's tracking processor (as replay)
                "--keytrail.lanes.saga-processor.auto-start=" + !Boolean.getBoolean("keytrail.bench.sagaOff"),
                "--logging.level.root=WARN",
                "--spring.main.log-startup-info=false");
    }

    private static long[] run(InputProcessor processor, List<JsonNode> inputs, int batch) {
        long[] nanos = new long[(inputs.size() + batch - 1) / batch];
        for (int b = 0; b < nanos.length; b++) {
            List<JsonNode> slice = inputs.subList(b * batch, Math.min(inputs.size(), (b + 1) * batch));
            long t0 = System.nanoTime();
            List<ObjectNode> outcomes = processor.processAll(slice);
            nanos[b] = System.nanoTime() - t0;
            for (ObjectNode outcome : outcomes) {
                if (!outcome.path("result").path("sender_data").has("SenderUnverified")) {
                    throw new IllegalStateException("unexpected outcome " + outcome);
                }
            }
        }
        return nanos;
    }

    private static List<JsonNode> roomKeys(List<TestAccount> senders, OwnDevice own, int n) {
        List<JsonNode> inputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TestAccount sender = senders.get(i % senders.size());
            String device = sender.deviceIds().get(0);
            OutboundGroupSession session = OutboundGroupSession.create(RANDOM);
            ObjectNode input = JsonNodeFactory.instance.objectNode().put("type", "room_key")
                    .put("sender", sender.userId())
                    .put("sender_key", sender.device(device).curve25519().toBase64());
            input.set("plaintext", sender.roomKeyPlaintext(device, own, ROOM, session.sessionId(),
                    session.sessionKey().toBase64()));
            inputs.add(input);
        }
        return inputs;
    }

    private static ObjectNode ownDevice(OwnDevice own) {
        return JsonNodeFactory.instance.objectNode().put("type", "own_device").put("user_id", own.userId())
                .put("device_id", own.deviceId()).put("curve25519", own.curve25519().toBase64())
                .put("ed25519", own.ed25519().toBase64());
    }

    /** Bouncy Castle Ed25519 verifications per second on one thread, over about two seconds. */
    static double ed25519VerifiesPerSecond() {
        Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);
        byte[] message = new byte[200];
        RANDOM.nextBytes(message);
        Ed25519Signature signature = key.sign(message);
        for (int i = 0; i < 2_000; i++) {
            key.publicKey().verify(message, signature);
        }
        long start = System.nanoTime();
        int done = 0;
        while (System.nanoTime() - start < 2_000_000_000L && done < 10_000_000) {
            if (!key.publicKey().verify(message, signature)) {
                throw new IllegalStateException("a valid signature did not verify");
            }
            done++;
        }
        return done * 1e9 / (System.nanoTime() - start);
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
