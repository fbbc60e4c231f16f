package io.keytrail.trust;

import io.keytrail.errors.RefusalCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignatureCheck;

/**
 * The sender-data decision (design section 3, steps 3-7). Pure: no I/O, no framework, no clock.
 *
 * <pre>
 * A  Candidates: the MSC4147 sender_device_keys, and the device among the sender's OWN devices whose
 *    curve25519 key is the Olm sender key.
 *    sender_device_keys of another user, or with a bad self-signature ------ Rejected   SENDER_DEVICE_KEYS_INVALID
 * B  No candidate?
 *      imported session ------------------- UnknownDevice{legacy=true}                 IMPORTED_NO_DEVICE
 *      otherwise (the slow lane starts) --- UnknownDevice{legacy=false}                NO_DEVICE
 *    Steps C-H run for each candidate; the most trusted answer wins, except that a rejection or
 *    evidence of tampering from any candidate wins over everything (we fail closed).
 * C  Imported session? --------------------- UnknownDevice{legacy=true, owner_check_failed=true}
 *                                                                                      IMPORTED_NOT_OWNER
 * D  Device ed25519 = claimed ed25519 and device curve25519 = Olm sender key?
 *      no ----------------------------------- Rejected MISMATCHED_IDENTITY_KEYS       OWNER_CHECK_MISMATCH
 * E  Owner's cross-signing identity known (same user id, with an SSK)?
 *      no ----------------------------------- DeviceInfo                               NO_OWNER_IDENTITY
 * F  Device signature by the owner's current SSK?
 *      INVALID ------------------------------ Tampered                                 CROSS_SIGNING_SIGNATURE_INVALID
 *      ABSENT (none, or an older SSK's) ----- DeviceInfo                               NOT_CROSS_SIGNED
 * G  VALID, and we verified this MSK -------- SenderVerified                           CROSS_SIGNED_VERIFIED
 *    VALID, an earlier MSK was verified ----- VerificationViolation                    CROSS_SIGNED_PREVIOUSLY_VERIFIED
 * H  VALID, never verified (TOFU) ----------- SenderUnverified                         CROSS_SIGNED_UNVERIFIED
 * </pre>
 *
 * <p>Differences from matrix-rust-sdk, on purpose: an imported session keeps {@code legacy_session=true}
 * when its claimed device is known (C; upstream writes {@code legacy_session=false}, reference 7.1,
 * design 6 and 9.4); an invalid signature under the current SSK's key id is tampering, not "unsigned"
 * (F; design 3.7 and 9.6); both the MSC4147 keys and the stored device are judged (design 3.3), where
 * upstream uses only the MSC4147 keys when present. The SSK itself is not re-checked here: an
 * {@link OwnerIdentity} only exists once its SSK was found validly signed by its MSK.
 */
public final class SenderDataFinder {
    private SenderDataFinder() {
    }

    public static Decision decide(Evidence evidence) {
        // A: the sender's own devices only: a device of another user sharing the curve key proves nothing.
        List<DeviceKeys> candidates = new ArrayList<>();
        if (evidence.senderDeviceKeys().isPresent()) {
            DeviceKeys shipped = evidence.senderDeviceKeys().get();
            if (!shipped.userId().equals(evidence.sender()) || shipped.selfSignature() != SignatureCheck.VALID) {
                return new Decision.Rejected(Rule.SENDER_DEVICE_KEYS_INVALID, RefusalCode.INVALID_SENDER_DEVICE_KEYS,
                        "sender_device_keys of " + shipped.userId() + "/" + shipped.deviceId() + " must belong to "
                                + evidence.sender() + " and carry a valid self-signature");
            }
            candidates.add(shipped);
        }
        for (DeviceKeys device : evidence.senderDevices()) {
            if (device.userId().equals(evidence.sender()) && device.curve25519().equals(evidence.olmSenderKey())
                    && !candidates.contains(device)) {
                candidates.add(device);
            }
        }
        // B
        if (candidates.isEmpty()) {
            return evidence.imported()
                    ? decided(new SenderData.UnknownDevice(true, false), Rule.IMPORTED_NO_DEVICE, null)
                    : decided(SenderData.unknown(), Rule.NO_DEVICE, null);
        }
        Decision best = null;
        for (DeviceKeys device : candidates) {
            Decision decision = decideFor(device, evidence);
            if (best == null || moreDecisive(decision, best)) {
                best = decision;
            }
        }
        return best;
    }

    private static Decision decideFor(DeviceKeys device, Evidence evidence) {
        // C: an import's creator keys are claims nobody authenticated, so no device can own it.
        if (evidence.imported()) {
            return decided(new SenderData.UnknownDevice(true, true), Rule.IMPORTED_NOT_OWNER, device);
        }
        // D: the Olm layer authenticated only the curve key; a device whose ed25519 differs from the
        // claimed one would let its owner vouch for a session someone else created.
        if (!device.ed25519().equals(evidence.claimedEd25519())
                || !device.curve25519().equals(evidence.olmSenderKey())) {
            return new Decision.Rejected(Rule.OWNER_CHECK_MISMATCH, RefusalCode.MISMATCHED_IDENTITY_KEYS, "device "
                    + device.userId() + "/" + device.deviceId() + " has ed25519 " + device.ed25519()
                    + " and curve25519 " + device.curve25519() + ", but the session claims ed25519 "
                    + evidence.claimedEd25519() + " and came from Olm sender key " + evidence.olmSenderKey());
        }
        // E
        Optional<OwnerIdentity> identity = evidence.ownerIdentity()
                .filter(i -> i.userId().equals(device.userId()) && i.masterKey() != null && i.selfSigningKey() != null);
        if (identity.isEmpty()) {
            return deviceInfo(device, Rule.NO_OWNER_IDENTITY);
        }
        OwnerIdentity owner = identity.get();
        CrossSigningKey ssk = owner.selfSigningKey();
        // F: a signature filed under the current SSK's key id that does not verify is forged or altered,
        // never "merely unsigned" (design 3.7); one by another SSK is just stale.
        SignatureCheck signature = device.signatureBy(device.userId(), ssk.publicKey());
        if (signature == SignatureCheck.INVALID) {
            return new Decision.Tampered(Rule.CROSS_SIGNING_SIGNATURE_INVALID, "device_keys:" + device.deviceId(),
                    ssk.keyId(), "device keys of " + device.userId() + "/" + device.deviceId()
                            + " carry a signature by self-signing key " + ssk.keyId() + " that does not verify");
        }
        if (signature == SignatureCheck.ABSENT) {
            return deviceInfo(device, Rule.NOT_CROSS_SIGNED);
        }
        // G, H
        KnownSenderData known = new KnownSenderData(device.userId(), device.deviceId(), owner.masterKey().publicKey());
        if (owner.masterKeyVerified()) {
            return decided(new SenderData.SenderVerified(known), Rule.CROSS_SIGNED_VERIFIED, device);
        }
        if (owner.previouslyVerified()) {
            return decided(new SenderData.VerificationViolation(known), Rule.CROSS_SIGNED_PREVIOUSLY_VERIFIED, device);
        }
        return decided(new SenderData.SenderUnverified(known), Rule.CROSS_SIGNED_UNVERIFIED, device);
    }

    /** Rejected beats Tampered beats any sender data; among sender data the higher rank wins, ties keep the first. */
    private static boolean moreDecisive(Decision candidate, Decision best) {
        return severity(candidate) > severity(best) || (candidate instanceof Decision.Decided c
                && best instanceof Decision.Decided b && c.senderData().rank() > b.senderData().rank());
    }

    private static int severity(Decision decision) {
        return decision instanceof Decision.Rejected ? 2 : decision instanceof Decision.Tampered ? 1 : 0;
    }

    private static Decision decided(SenderData data, Rule rule, DeviceKeys device) {
        return new Decision.Decided(data, rule, Optional.ofNullable(device));
    }

    private static Decision deviceInfo(DeviceKeys device, Rule rule) {
        return decided(new SenderData.DeviceInfo(device.json(), false), rule, device);
    }
}
