package io.keytrail.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.Mutations;
import io.keytrail.matrix.fixture.TestAccount;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing of every Matrix parser (issue 9): arbitrary and mutated input gives a value or the parser's
 * typed exception, never an NPE, ClassCastException, ArithmeticException or a hang; and a mutation
 * never turns into accepted key material that its signature does not cover.
 * Tries: {@code jqwik.tries.default} (junit-platform.properties; raise it with -D for a long run).
 */
class MatrixParserProperties {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE", "LAPTOP");
    private static final TestAccount BOB = TestAccount.create("@bob:example.org", "bob", "BOBDEV", "BOBLAPTOP");
    private static final OwnDevice BOB_DEVICE = BOB.ownDevice("BOBDEV");
    private static final Curve25519PublicKey ALICE_CURVE = ALICE.device("PHONE").curve25519();
    private static final TestAccount CAROL = TestAccount.create("@carol:example.org", "carol", "CAROLDEV");
    /** One cross-signed user with a user-signing key, one device signed only by itself, a failure. */
    private static final ObjectNode RESPONSE = new KeysQueryBody().account(CAROL)
            .userSigningKey(CAROL.userId(), CAROL.userSigningKeyJson(MasterSignature.VALID))
            .device(BOB, "BOBLAPTOP", DeviceSigning.SELF_SIGNED_ONLY).failure("down.example").build();
    private static final ObjectNode ROOM_KEY = ALICE.roomKeyPlaintext("PHONE", BOB_DEVICE, "!room:example.org",
            RoomKeyPayloadTest.SESSION_ID, RoomKeyPayloadTest.SESSION_KEY);
    private static final ObjectNode FORWARDED = forwarded();
    private static final ArrayNode EXPORT = export();

    private static ObjectNode forwarded() {
        ObjectNode json = BOB.roomKeyPlaintext("BOBLAPTOP", BOB_DEVICE, "!room:example.org", RoomKeyPayloadTest.SESSION_ID,
                "AQAAAABexport", Optional.empty());
        json.put("type", ForwardedRoomKeyPayload.TYPE);
        ObjectNode content = (ObjectNode) json.get("content");
        content.put("sender_key", ALICE_CURVE.toBase64());
        content.put("sender_claimed_ed25519_key", ALICE.device("PHONE").ed25519().publicKey().toBase64());
        content.putArray("forwarding_curve25519_key_chain").add(BOB.device("BOBLAPTOP").curve25519().toBase64());
        return json;
    }

    private static ArrayNode export() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        ObjectNode key = array.addObject();
        key.put("algorithm", ExportedRoomKey.MEGOLM_V1).put("room_id", "!room:example.org")
                .put("session_id", RoomKeyPayloadTest.SESSION_ID).put("sender_key", ALICE_CURVE.toBase64())
                .put("session_key", "AQAAAABexport");
        key.putObject("sender_claimed_keys").put("ed25519", ALICE.device("PHONE").ed25519().publicKey().toBase64());
        key.putArray("forwarding_curve25519_key_chain");
        array.add(key.deepCopy().put("room_id", "!other:example.org"));
        return array;
    }

    /** Parses mutated text the way the edges do; null when the text is not JSON (that is the edge's refusal). */
    private static JsonNode parseOrNull(String text) {
        try {
            return MatrixJson.parse(text);
        } catch (MatrixFormatException e) {
            assertThat(e.getMessage()).hasSizeLessThan(2_000);
            return null;
        }
    }

    private static JsonNode mutant(JsonNode valid, Random random) {
        return random.nextBoolean() ? Mutations.tree(valid, random) : parseOrNull(Mutations.text(valid.toString(), random));
    }

    @Property
    void anyText_parsesOrIsAFormatError(@ForAll String text) {
        parseOrNull(text);
    }

    @Property
    void canonicalJson_ofAnyTree_isCanonicalOrAFormatError_andReparsesToTheSameBytes(@ForAll Random random) {
        JsonNode tree = Mutations.randomValue(random, 4);
        byte[] encoded;
        try {
            encoded = CanonicalJson.encode(tree);
        } catch (MatrixFormatException e) {
            assertThat(e.getMessage()).hasSizeLessThan(1_000);
            return;
        }
        JsonNode again = MatrixJson.parse(new String(encoded, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(CanonicalJson.encode(again)).isEqualTo(encoded);
    }

    @Property
    void signedJson_verifiesOnlyWhatTheSignatureCovers(@ForAll Random random) {
        ObjectNode device = ALICE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED);
        byte[] original = SignedJson.canonicalForSigning(device);
        JsonNode mutated = mutant(device, random);
        if (!(mutated instanceof ObjectNode object)) {
            return;
        }
        SignatureCheck check = SignedJson.verify(object, ALICE.userId(), "ed25519:PHONE",
                ALICE.device("PHONE").ed25519().publicKey());
        if (check == SignatureCheck.VALID) {
            assertThat(SignedJson.canonicalForSigning(object)).isEqualTo(original);
        }
    }

    @Property
    void keysQueryResponse_mutated_isParsedPerUserOrAFormatError_andAcceptsOnlySignedDevices(@ForAll Random random) {
        List<byte[]> signedDevices = new ArrayList<>();
        RESPONSE.get("device_keys").forEach(user -> user.forEach(d -> signedDevices.add(
                SignedJson.canonicalForSigning((ObjectNode) d))));
        JsonNode mutated = mutant(RESPONSE, random);
        if (mutated == null) {
            return;
        }
        KeysQueryResponse response;
        try {
            response = KeysQueryResponse.parse(mutated, new KeysQueryLimits(3, 3, 20_000));
        } catch (MatrixFormatException e) {
            return;
        }
        for (UserKeys user : response.users().values()) {
            for (AcceptedDevice device : user.devices().values()) {
                byte[] bytes = SignedJson.canonicalForSigning(device.keys().json());
                assertThat(signedDevices).anySatisfy(b -> assertThat(b).isEqualTo(bytes));
            }
            user.rejections().forEach(r -> assertThat(r.message()).hasSizeLessThan(2_000));
        }
    }

    @Property
    void roomKeyPayload_mutated_isAPayloadOrATypedRefusal(@ForAll Random random) {
        JsonNode mutated = mutant(ROOM_KEY, random);
        try {
            RoomKeyPayload.parse(mutated, ALICE.userId(), ALICE_CURVE, Optional.of(BOB_DEVICE));
        } catch (PayloadRejectedException e) {
            assertThat(e.getMessage()).hasSizeLessThan(2_000);
        }
    }

    @Property
    void forwardedRoomKeyPayload_mutated_isAPayloadOrATypedRefusal(@ForAll Random random) {
        JsonNode mutated = mutant(FORWARDED, random);
        try {
            ForwardedRoomKeyPayload.parse(mutated, BOB.userId(), BOB.device("BOBLAPTOP").curve25519(), Optional.of(BOB_DEVICE));
        } catch (PayloadRejectedException e) {
            assertThat(e.getMessage()).hasSizeLessThan(2_000);
        }
    }

    @Property
    void exportedRoomKeys_mutated_areParsedPerElementOrAFormatError(@ForAll Random random) {
        JsonNode mutated = mutant(EXPORT, random);
        try {
            ExportedRoomKey.parseArray(mutated).forEach(entry -> {
                if (entry instanceof ExportedRoomKey.Rejected rejected) {
                    assertThat(rejected.reason()).hasSizeLessThan(2_000);
                }
            });
        } catch (MatrixFormatException e) {
            assertThat(e.getMessage()).hasSizeLessThan(2_000);
        }
    }

    @Property
    void crossSigningKeyAndOwnDevice_mutated_parseOrAFormatError(@ForAll Random random) {
        try {
            CrossSigningKey.parse(mutant(ALICE.masterKeyJson(), random));
        } catch (MatrixFormatException e) {
            assertThat(e.getMessage()).hasSizeLessThan(2_000);
        }
        ObjectNode own = JsonNodeFactory.instance.objectNode().put("user_id", BOB.userId()).put("device_id", "BOBDEV")
                .put("curve25519", BOB_DEVICE.curve25519().toBase64()).put("ed25519", BOB_DEVICE.ed25519().toBase64());
        try {
            OwnDevice.parse(mutant(own, random));
        } catch (MatrixFormatException e) {
            assertThat(e.getMessage()).hasSizeLessThan(2_000);
        }
    }
}
