package io.keytrail.trust;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.Ed25519PublicKey;

/** Sender data values for tests that need no signatures. */
final class Samples {
    static final String ALICE = "@alice:example.org";
    static final String MALLORY = "@mallory:example.org";
    static final Ed25519PublicKey MSK = Ed25519PublicKey.fromBytes(filled(7));

    private Samples() {
    }

    static SenderData unknown(boolean legacy, boolean ownerCheckFailed) {
        return new SenderData.UnknownDevice(legacy, ownerCheckFailed);
    }

    static SenderData.DeviceInfo deviceInfo(boolean legacy) {
        ObjectNode keys = JsonNodeFactory.instance.objectNode();
        keys.put("user_id", ALICE).put("device_id", "ALICEPHONE");
        keys.putArray("algorithms");
        keys.putObject("keys");
        keys.putObject("signatures");
        return new SenderData.DeviceInfo(keys, legacy);
    }

    static KnownSenderData known() {
        return new KnownSenderData(ALICE, "ALICEPHONE", MSK);
    }

    static SenderData violation() {
        return new SenderData.VerificationViolation(known());
    }

    static SenderData unverified() {
        return new SenderData.SenderUnverified(known());
    }

    static SenderData verified() {
        return new SenderData.SenderVerified(known());
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
