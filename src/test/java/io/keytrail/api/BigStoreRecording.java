package io.keytrail.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.matrix.fixture.KeysQueryBody;
import io.keytrail.matrix.fixture.TestAccount;

/**
 * Writes a deterministic recording of room keys from a few cross-signed devices, the template of a big store
 * for measuring {@code audit verify} ({@link BigStoreAuditBenchmarkTest}). Users come in three kinds, round
 * robin, three devices each: known up front (sessions decided {@code SenderUnverified} on arrival), known up
 * front and verified half-way (earlier sessions get an {@code MSK_VERIFIED} upgrade, later ones arrive
 * {@code SenderVerified}), and late (sessions arrive {@code UnknownDevice}; their keys come at the end and
 * re-decide every one). With {@code sessions} = 72 every device sends one session before and one after the
 * verifications.
 */
public final class BigStoreRecording {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Users per kind; three devices each. */
    private static final int USERS_PER_KIND = 4;

    private BigStoreRecording() {
    }

    public static void main(String[] args) throws IOException {
        write(Integer.parseInt(args[0]), Path.of(args[1]));
    }

    /** Writes a recording of {@code sessions} room keys (and the keys and verifications around them) to {@code file}. */
    public static void write(int sessions, Path file) throws IOException {
        TestAccount me = TestAccount.create("@auditor:big.test", "big-auditor", "AUDITOR");
        OwnDevice own = me.ownDevice("AUDITOR");
        List<TestAccount> known = new ArrayList<>();
        List<TestAccount> verified = new ArrayList<>();
        List<TestAccount> late = new ArrayList<>();
        for (int i = 0; i < USERS_PER_KIND; i++) {
            known.add(TestAccount.create("@known" + i + ":big.test", "big-known-" + i, "A", "B", "C"));
            verified.add(TestAccount.create("@verified" + i + ":big.test", "big-verified-" + i, "A", "B", "C"));
            late.add(TestAccount.create("@late" + i + ":big.test", "big-late-" + i, "A", "B", "C"));
        }
        List<TestAccount> senders = new ArrayList<>();
        for (int i = 0; i < USERS_PER_KIND; i++) {
            senders.add(known.get(i));
            senders.add(verified.get(i));
            senders.add(late.get(i));
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ObjectNode ownDevice = NODES.objectNode().put("type", "own_device").put("user_id", own.userId())
                    .put("device_id", own.deviceId()).put("curve25519", own.curve25519().toBase64())
                    .put("ed25519", own.ed25519().toBase64());
            line(out, ownDevice);
            List<TestAccount> upFront = new ArrayList<>(known);
            upFront.addAll(verified);
            line(out, NODES.objectNode().put("type", "keys_query_response")
                    .set("body", KeysQueryBody.of(upFront.toArray(TestAccount[]::new))));
            for (int s = 0; s < sessions; s++) {
                if (s == sessions / 2) {
                    for (TestAccount user : verified) {
                        line(out, NODES.objectNode().put("type", "verify_master_key").put("user_id", user.userId())
                                .put("master_key", user.masterKey().publicKey().toBase64()));
                    }
                }
                TestAccount sender = senders.get(s % senders.size());
                String device = sender.deviceIds().get((s / senders.size()) % sender.deviceIds().size());
                OutboundGroupSession megolm = session(s);
                ObjectNode plaintext = sender.roomKeyPlaintext(device, own, "!room" + (s % 50) + ":big.test",
                        megolm.sessionId(), megolm.sessionKey().toBase64(), java.util.Optional.empty());
                line(out, NODES.objectNode().put("type", "room_key").put("sender", sender.userId())
                        .put("sender_key", sender.device(device).curve25519().toBase64()).set("plaintext", plaintext));
            }
            for (TestAccount user : late) {
                line(out, NODES.objectNode().put("type", "keys_query_response").set("body", KeysQueryBody.of(user)));
            }
        }
    }

    private static OutboundGroupSession session(int n) {
        byte[] ratchet = new byte[128];
        byte[] seed = new byte[32];
        for (int i = 0; i < ratchet.length; i++) {
            ratchet[i] = (byte) (i * 31 + n * 7 + (n >>> 8));
        }
        for (int i = 0; i < 4; i++) {
            seed[i] = (byte) (n >>> (8 * i));
        }
        seed[31] = 0x5a;
        return OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, ratchet), Ed25519KeyPair.fromSeed(seed));
    }

    private static void line(BufferedWriter out, ObjectNode json) throws IOException {
        out.write(JSON.writeValueAsString(json));
        out.newLine();
    }
}
