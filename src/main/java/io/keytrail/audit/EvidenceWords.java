package io.keytrail.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignatureCheck;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.DeviceStanding;

/**
 * A decision's evidence in words, for a person reading a session's trail: which device keys were used, which
 * key signed what (signatures are checked again here, not taken from the record), and whether and when the
 * local user verified the master key (from the store's verification events, never the evidence's booleans).
 * Public keys only: the evidence holds no secret.
 */
final class EvidenceWords {
    /** When the store's events say a master key was verified, if they do. */
    @FunctionalInterface
    interface Verifications {
        /** The verification of {@code masterKey} in force at {@code at}, in words, or null when there is none. */
        String of(String userId, String masterKey, Instant at);
    }

    private EvidenceWords() {
    }

    static List<String> of(String sender, DecisionEvidence evidence, Instant at, Verifications verifications) {
        List<String> words = new ArrayList<>();
        if (evidence == null) {
            words.add("no evidence recorded with this decision");
            return words;
        }
        try {
            describe(sender, evidence, at, verifications, words);
        } catch (RuntimeException e) {
            words.add("the recorded evidence cannot be read: " + e.getMessage());
        }
        return words;
    }

    private static void describe(String sender, DecisionEvidence evidence, Instant at, Verifications verifications,
                                 List<String> words) {
        DeviceKeys carried = evidence.senderDeviceKeys() == null ? null : DeviceKeys.parse(evidence.senderDeviceKeys());
        DeviceKeys stored = evidence.storedDevice() == null ? null : DeviceKeys.parse(evidence.storedDevice());
        if (carried != null) {
            words.add("device " + carried.deviceId() + "'s keys carried in the room key (sender_device_keys): ed25519 "
                    + carried.ed25519().toBase64() + ", " + self(carried));
        }
        if (stored != null) {
            words.add("device " + stored.deviceId() + "'s keys as fetched (/keys/query): ed25519 "
                    + stored.ed25519().toBase64() + ", curve25519 " + stored.curve25519().toBase64() + ", "
                    + self(stored));
        }
        if (carried == null && stored == null) {
            words.add("no device keys of " + sender + " for this session's creator were known");
        }
        CrossSigningKey msk = evidence.masterKey() == null ? null : CrossSigningKey.parse(evidence.masterKey());
        CrossSigningKey ssk = evidence.selfSigningKey() == null ? null : CrossSigningKey.parse(evidence.selfSigningKey());
        DeviceKeys device = stored != null ? stored : carried;
        if (device != null && ssk != null) {
            words.add(deviceBySsk(device, ssk, evidence.storedDeviceStanding()));
        }
        if (msk == null || ssk == null) {
            if (evidence.storedDeviceStanding() != null && evidence.storedDeviceStanding().tainted()) {
                words.add(taint(evidence.storedDeviceStanding()));
            }
            words.add("no cross-signing identity of " + sender + " was known");
            return;
        }
        words.add("SSK " + ssk.publicKey().toBase64() + (ssk.signatureBy(msk.userId(), msk.publicKey())
                == SignatureCheck.VALID ? " signed by MSK " : " NOT validly signed by MSK ") + msk.publicKey().toBase64());
        String verified = verifications.of(sender, msk.publicKey().toBase64(), at);
        words.add(verified != null ? "MSK " + msk.publicKey().toBase64() + " verified by " + verified
                : "MSK " + msk.publicKey().toBase64() + " not verified by the local user at that time (trusted on "
                        + "first use)");
    }

    private static String self(DeviceKeys keys) {
        return switch (keys.selfSignature()) {
            case VALID -> "self-signature valid";
            case ABSENT -> "no self-signature";
            case INVALID -> "self-signature INVALID";
        };
    }

    private static String deviceBySsk(DeviceKeys device, CrossSigningKey ssk, DeviceStanding standing) {
        if (standing != null && standing.tainted()) {
            return taint(standing);
        }
        String who = "device " + device.deviceId() + "'s keys ";
        return switch (device.signatureBy(device.userId(), ssk.publicKey())) {
            case VALID -> who + "signed by SSK " + ssk.publicKey().toBase64();
            case ABSENT -> who + "not signed by SSK " + ssk.publicKey().toBase64() + " (not cross-signed)";
            case INVALID -> who + "carry a signature by SSK " + ssk.publicKey().toBase64()
                    + " that does NOT verify (tampering)";
        };
    }

    private static String taint(DeviceStanding standing) {
        return "the device relies on SSK " + standing.selfSigningKeyId() + ", refused as tampered ("
                + standing.refusedFor() + ")";
    }
}
