package io.keytrail.bench;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519KeyPair;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.crypto.Ed25519Signature;
import io.keytrail.crypto.megolm.DecryptedMessage;
import io.keytrail.crypto.megolm.InboundGroupSession;
import io.keytrail.crypto.megolm.MegolmRatchet;
import io.keytrail.crypto.megolm.OutboundGroupSession;
import io.keytrail.crypto.megolm.SessionKey;
import io.keytrail.matrix.CanonicalJson;
import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignatureCheck;
import io.keytrail.trust.Decision;
import io.keytrail.trust.Evidence;
import io.keytrail.trust.OwnerIdentity;
import io.keytrail.trust.SenderDataFinder;

/**
 * Micro-benchmarks of the pure steps a room key and a decryption cost (docs/performance.md has the
 * command and the figures): canonical JSON, the device self-signature, the SSK's signature on a device,
 * the MSK's signature on the SSK, the whole pure decision, session-key parsing (its signature included),
 * Megolm decryption, and the raw Ed25519 verification they are measured against. Only in the
 * {@code -Pbench} build (src/jmh/java); the default build never compiles it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KeytrailBenchmarks {
    private ObjectNode deviceJson;
    private DeviceKeys device;
    private CrossSigningKey masterKey;
    private CrossSigningKey selfSigningKey;
    private String userId;
    private Evidence evidence;
    private String sessionKey;
    private InboundGroupSession inbound;
    private String ciphertext;
    private Ed25519PublicKey rawKey;
    private byte[] rawMessage;
    private Ed25519Signature rawSignature;

    @Setup
    public void setUp() {
        BenchAccount account = new BenchAccount("@jmh:bench.invalid", 1);
        userId = account.userId();
        BenchAccount.Device sender = account.devices().get(0);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        account.addTo(body);
        deviceJson = sender.keysJson();
        device = DeviceKeys.parse(deviceJson);
        masterKey = CrossSigningKey.parse(body.get("master_keys").get(userId));
        selfSigningKey = CrossSigningKey.parse(body.get("self_signing_keys").get(userId));
        evidence = new Evidence(userId, sender.curve25519(), sender.ed25519().publicKey(), false, Optional.of(device),
                List.of(device), Optional.of(new OwnerIdentity(userId, masterKey, selfSigningKey, false, false)));

        OutboundGroupSession outbound = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, new byte[MegolmRatchet.LENGTH]),
                Ed25519KeyPair.fromSeed(new byte[32]));
        sessionKey = outbound.sessionKey().toBase64();
        inbound = InboundGroupSession.fromSessionKey(SessionKey.parse(sessionKey));
        ciphertext = outbound.encrypt("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hello\"}}");

        Ed25519KeyPair raw = Ed25519KeyPair.fromSeed(new byte[32]);
        rawKey = raw.publicKey();
        rawMessage = CanonicalJson.encode(deviceJson);
        rawSignature = raw.sign(rawMessage);
    }

    @Benchmark
    public byte[] canonicalJsonOfDeviceKeys() {
        return CanonicalJson.encode(deviceJson);
    }

    @Benchmark
    public SignatureCheck deviceSelfSignature() {
        return device.selfSignature();
    }

    @Benchmark
    public SignatureCheck sskSignatureOnDevice() {
        return device.signatureBy(userId, selfSigningKey.publicKey());
    }

    @Benchmark
    public SignatureCheck mskSignatureOnSsk() {
        return selfSigningKey.signatureBy(userId, masterKey.publicKey());
    }

    @Benchmark
    public Decision pureDecision() {
        return SenderDataFinder.decide(evidence);
    }

    @Benchmark
    public SessionKey sessionKeyParsing() {
        return SessionKey.parse(sessionKey);
    }

    @Benchmark
    public DecryptedMessage megolmDecryption() {
        return inbound.decrypt(ciphertext);
    }

    @Benchmark
    public boolean rawEd25519Verify() {
        return rawKey.verify(rawMessage, rawSignature);
    }
}
