package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.statistics.Statistics;

/**
 * {@code POST /api/v1/inputs} with a valid token, fuzzed: random bytes, random JSON, and valid inputs
 * with a field removed, replaced or truncated, alone or in arrays, only ever get a 200 or a typed 4xx
 * in the error shape: never a 500, never an {@code INTERNAL_ERROR} inside a batch, never a hang (each
 * request has a deadline). 200 tries per property in the build; {@code -Dkeytrail.fuzz.long=true} runs
 * the long properties too (20,000 tries each). Statistics (status per try) are in the test output.
 */
class HttpInputsFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Raw JSON tokens that a tree cannot hold but a body can: huge and non-canonical numbers, lone surrogates. */
    private static final List<String> RAW_TOKENS = List.of("1e100000000", "-1e-100000000", "9007199254740993",
            "-0", "1.5", "0.0000000001", "123456789012345678901234567890", "\"\\ud800\"", "\"\\u0000\"",
            "\"" + "x".repeat(300) + "\"", "[[[[[[[[[[]]]]]]]]]]", "{}", "[]", "null", "true", "\"\"");
    private static final List<String> KEYS = List.of("type", "room_id", "session_id", "sender", "sender_key",
            "plaintext", "keys", "user_id", "device_id", "event", "policy", "passphrase", "file", "decryption_key",
            "body", "master_key", "device_keys", "master_keys", "self_signing_keys", "recipient_keys", "content");
    private static final List<String> TYPES = List.of("room_key", "keys_query_response", "own_device",
            "verify_master_key", "withdraw_verification", "decrypt", "import_room_keys", "import_key_export",
            "import_backup", "forwarded_room_key");

    private static ConfigurableApplicationContext context;
    private static HttpClient http;
    private static URI inputs;
    private static List<ObjectNode> validInputs;

    @BeforeContainer
    static void start() {
        context = new SpringApplicationBuilder(KeytrailApplication.class).profiles("test")
                .properties("server.port=0", "spring.main.banner-mode=off").run();
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        inputs = URI.create("http://127.0.0.1:" + port + "/api/v1/inputs");
        http = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
        validInputs = new ArrayList<>();
        validInputs.add(Story.ownDevice());
        for (int i = 0; i < 3; i++) {
            Story story = new Story();
            validInputs.add(story.roomKey());
            validInputs.add(story.keysQuery());
            validInputs.add(story.tamperedKeysQuery());
            validInputs.add(story.verifyMasterKey());
            validInputs.add(JSON.createObjectNode().put("type", "withdraw_verification").put("user_id", story.sender.userId()));
            validInputs.add(story.decrypt("SHOW_ALL", story.encrypt("fuzz " + i), story.eventId("fuzz" + i)));
        }
    }

    @AfterContainer
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    /** Runs the long properties only when asked: {@code -Dkeytrail.fuzz.long=true}. */
    static class LongRunOnly implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return Boolean.getBoolean("keytrail.fuzz.long") ? SkipResult.doNotSkip()
                    : SkipResult.skip("long fuzz run: -Dkeytrail.fuzz.long=true");
        }
    }

    @Property(tries = 200)
    void randomBytes_getOnlyTyped4xx(@ForAll("bytes") byte[] body) throws Exception {
        check(body, "bytes");
    }

    @Property(tries = 200)
    void randomJson_getOnlyTyped4xx(@ForAll("jsonBodies") String body) throws Exception {
        check(body.getBytes(StandardCharsets.UTF_8), "json");
    }

    @Property(tries = 200)
    void mutatedValidInputs_getOnlyResultsOrTyped4xx(@ForAll("mutatedBodies") String body) throws Exception {
        check(body.getBytes(StandardCharsets.UTF_8), "mutated");
    }

    @Property(tries = 20_000)
    @AddLifecycleHook(LongRunOnly.class)
    void long_anyBody_getsOnlyResultsOrTyped4xx(@ForAll("anyBody") byte[] body) throws Exception {
        check(body, "long");
    }

    private static void check(byte[] body, String kind) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(inputs).timeout(DEADLINE)
                .header("Content-Type", "application/json")
                .header("Authorization", ApiTestTokens.bearer(ApiTestTokens.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        Statistics.label(kind).collect(status == 200 ? "200" : status + " " + code(response.body()));
        assertThat(status).as(response.body()).isLessThan(500);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode answer = JSON.readTree(response.body());
        if (status == 200) {
            for (JsonNode outcome : answer.isArray() ? answer : List.of(answer)) {
                assertThat(outcome.has("result") || outcome.has("error")).as(outcome.toString()).isTrue();
                assertThat(outcome.at("/error/code").asText()).as(outcome.toString()).isNotEqualTo("INTERNAL_ERROR");
            }
        } else {
            assertThat(status).isGreaterThanOrEqualTo(400);
            assertThat(answer.at("/error/code").textValue()).as(response.body()).isNotBlank()
                    .isNotEqualTo("INTERNAL_ERROR");
            assertThat(answer.at("/error/message").textValue()).isNotBlank();
        }
        assertThat(response.body()).doesNotContain("Exception", "org.", "java.", "SQL");
    }

    private static String code(String body) {
        try {
            return JSON.readTree(body).at("/error/code").asText();
        } catch (Exception e) {
            return "NOT JSON";
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    }

    @Provide
    Arbitrary<String> jsonBodies() {
        return json(3).map(JsonNode::toString);
    }

    @Provide
    Arbitrary<String> mutatedBodies() {
        Arbitrary<String> one = mutated();
        Arbitrary<String> batch = one.list().ofMinSize(1).ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.frequencyOf(Tuple.of(4, one), Tuple.of(1, batch));
    }

    @Provide
    Arbitrary<byte[]> anyBody() {
        return Arbitraries.oneOf(bytes(), jsonBodies().map(HttpInputsFuzzTest::utf8),
                mutatedBodies().map(HttpInputsFuzzTest::utf8));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid input with one change somewhere in its tree, or cut short, as text. */
    private Arbitrary<String> mutated() {
        Arbitrary<ObjectNode> valid = Arbitraries.of(validInputs).map(ObjectNode::deepCopy);
        Arbitrary<String> replaced = Combinators.combine(valid, Arbitraries.integers().between(0, 1000),
                Arbitraries.oneOf(json(1).map(JsonNode::toString), Arbitraries.of(RAW_TOKENS)))
                .as((input, where, raw) -> replaceAt(input, where, raw));
        Arbitrary<String> removed = Combinators.combine(valid, Arbitraries.integers().between(0, 1000))
                .as((input, where) -> replaceAt(input, where, null));
        Arbitrary<String> cut = Combinators.combine(valid, Arbitraries.doubles().between(0, 1))
                .as((input, fraction) -> {
                    String text = input.toString();
                    return text.substring(0, (int) (text.length() * fraction));
                });
        Arbitrary<String> retyped = Combinators.combine(valid, Arbitraries.of(TYPES))
                .as((input, type) -> input.put("type", type).toString());
        return Arbitraries.oneOf(replaced, removed, cut, retyped, valid.map(ObjectNode::toString));
    }

    /**
     * Replaces (or, with {@code raw == null}, removes) the value at the {@code where}-th node of a
     * depth-first walk; the new value is spliced in as raw text, so it may be any token at all.
     */
    private static String replaceAt(ObjectNode input, int where, String raw) {
        List<Object[]> slots = new ArrayList<>();
        collect(input, slots);
        Object[] slot = slots.get(where % slots.size());
        String marker = "\u0001MARK\u0001";
        if (slot[0] instanceof ObjectNode parent) {
            if (raw == null) {
                parent.remove((String) slot[1]);
                return input.toString();
            }
            parent.put((String) slot[1], marker);
        } else if (slot[0] instanceof ArrayNode parent) {
            if (raw == null) {
                parent.remove((Integer) slot[1]);
                return input.toString();
            }
            parent.set((Integer) slot[1], TextNode.valueOf(marker));
        }
        return input.toString().replace("\"" + marker + "\"", raw);
    }

    private static void collect(JsonNode node, List<Object[]> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                slots.add(new Object[] {object, field.getKey()});
                collect(field.getValue(), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Object[] {array, i});
                collect(array.get(i), slots);
            }
        }
    }

    private static Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(TextNode::valueOf),
                Arbitraries.of(TYPES).map(TextNode::valueOf),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> inner = json(depth - 1);
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(4).map(items -> {
            ArrayNode out = NODES.arrayNode();
            items.forEach(out::add);
            return out;
        });
        Arbitrary<JsonNode> object = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(12)).list().ofMaxSize(5),
                inner.list().ofSize(5)).as((keys, values) -> {
                    ObjectNode out = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        out.set(keys.get(i), values.get(i));
                    }
                    if (!keys.isEmpty() && !out.has("type")) {
                        out.set("type", TextNode.valueOf(TYPES.get(Math.abs(keys.get(0).hashCode()) % TYPES.size())));
                    }
                    return out;
                });
        return Arbitraries.oneOf(leaf, array, object, object);
    }
}
