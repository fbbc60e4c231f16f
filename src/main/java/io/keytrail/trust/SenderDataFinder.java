package io.keytrail.trust;

import io.keytrail.errors.RefusalCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.keytrail.matrix.CrossSigningKey;
import io.keytrail.matrix.DeviceKeys;
import io.keytrail.matrix.SignatureCheck;

/**
 * The sender-data decision (design section 3, steps 3-7), tampering included. Pure: no I/O, no
 * framework, no clock. Steps are numbered K1..K8 so they are not confused with matrix-rust-sdk's
 * lettered flowchart (reference 2.1), whose letters name other steps; {@link Rule#step()} gives the step.
 *
 * <pre>
 * K1 Candidates: the MSC4147 sender_device_keys, and the device among the sender's OWN devices whose
 *    curve25519 key is the Olm sender key.
 *    sender_device_keys of another user, or with a bad self-signature ------ Rejected   SENDER_DEVICE_KEYS_INVALID
 * K2 No candidate?
 *      imported session ------------------- UnknownDevice{legacy=true}                 IMPORTED_NO_DEVICE
 *      otherwise (the slow lane starts) --- UnknownDevice{legacy=false}                NO_DEVICE
 *    Steps K3-K8 run for each candidate; the most trusted answer wins, except that a rejection or
 *    evidence of tampering from any candidate wins over everything (we fail closed).
 * K3 Imported session (the candidate is a device of the import's claimed owner)?
 *      device keys = the claimed keys, not tainted --- DeviceInfo{legacy=true}         IMPORTED_CLAIMED_DEVICE
 *      otherwise --------------------------- UnknownDevice{legacy=true, owner_check_failed=true}
 *                                                                                      IMPORTED_NOT_OWNER
 * K4 Device ed25519 = claimed ed25519 and device curve25519 = Olm sender key?
 *      no ----------------------------------- Rejected MISMATCHED_IDENTITY_KEYS       OWNER_CHECK_MISMATCH
 * K5 Device standing (from arrival): validly signed by an SSK refused for a bad MSK signature?
 *      yes ---------------------------------- Tampered, with the refused SSK          TAINTED_DEVICE
 * K6 Owner's cross-signing identity known (same user id, with an SSK)?
 *      no ----------------------------------- DeviceInfo                               NO_OWNER_IDENTITY
 * K7 Device signature by the owner's current SSK?
 *      INVALID ------------------------------ Tampered                                 CROSS_SIGNING_SIGNATURE_INVALID
 *      ABSENT (none, or an older SSK's) ----- DeviceInfo                               NOT_CROSS_SIGNED
 * K8 VALID, and we verified this MSK -------- SenderVerified                           CROSS_SIGNED_VERIFIED
 *    VALID, an earlier MSK was verified ----- VerificationViolation                    CROSS_SIGNED_PREVIOUSLY_VERIFIED
 *    VALID, never verified (TOFU) ----------- SenderUnverified                         CROSS_SIGNED_UNVERIFIED
 * </pre>
 *
 * <p>What the session does with the answer (record, keep, discard, refuse) is the change rule,
 * {@link SenderDataChange}, not this class.
 *
 * <p><b>Each signature is checked once.</b>
 * <ul>
 * <li>MSK -> SSK: on arrival, in {@code matrix.KeysQueryValidator}. An {@link OwnerIdentity} only exists
 *     once its SSK was found validly signed by its MSK; an SSK refused for a bad MSK signature reaches this
 *     class only as a device's {@link DeviceStanding} (K5). Not re-checked here.</li>
 * <li>SSK -> device, for a device from {@code /keys/query}: on arrival, in {@code KeysQueryValidator}, against
 *     the SSK of the same response; the result is the device's {@link DeviceStanding} in the evidence, and
 *     K5/K7 read it. K7 verifies a signature itself only for a device copy that was never checked against
 *     the owner's current SSK: MSC4147 {@code sender_device_keys} (they arrive with the room key, not
 *     through {@code /keys/query}), and a stored device whose standing was recorded against another SSK
 *     (the identity changed in a response that did not list devices) or before standings were recorded.</li>
 * </ul>
 *
 * <p>Differences from matrix-rust-sdk, on purpose: an imported session keeps {@code legacy_session=true}
 * when its claimed device is known (K3; upstream writes {@code legacy_session=false}, reference 7.1,
 * design 6 and 9.4); an invalid signature under the current SSK's key id is tampering, not "unsigned"
 * (K7; design 3.7 and 9.6), and so is a device that relies on an SSK refused for tampering (K5);
 * both the MSC4147 keys and the stored device are judged (design 3.3), where upstream uses only the
 * MSC4147 keys when present.
 */
public final class SenderDataFinder {
    private SenderDataFinder() {
    }

    public static Decision decide(Evidence evidence) {
        // K1: the sender's own devices only: a device of another user sharing the curve key proves nothing.
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
        // K2
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
        // K3: an import's creator keys are claims nobody authenticated, so no device is ever proven its owner.
        // A device of the claimed owner (ADR 0018) with exactly the claimed keys is named, and the session
        // stays legacy: the claim matched a real device, which is all an unauthenticated claim can show.
        // A device whose cross-signing rests on refused material is never named (nor is it tampering: the
        // import's claims prove nothing about it either way).
        if (evidence.imported()) {
            boolean matchesClaim = device.ed25519().equals(evidence.claimedEd25519())
                    && device.curve25519().equals(evidence.olmSenderKey())
                    && !evidence.standingOf(device).map(DeviceStanding::tainted).orElse(false);
            return matchesClaim
                    ? decided(new SenderData.DeviceInfo(device.json(), true), Rule.IMPORTED_CLAIMED_DEVICE, device)
                    : decided(new SenderData.UnknownDevice(true, true), Rule.IMPORTED_NOT_OWNER, device);
        }
        // K4: the Olm layer authenticated only the curve key; a device whose ed25519 differs from the
        // claimed one would let its owner vouch for a session someone else created.
        if (!device.ed25519().equals(evidence.claimedEd25519())
                || !device.curve25519().equals(evidence.olmSenderKey())) {
            return new Decision.Rejected(Rule.OWNER_CHECK_MISMATCH, RefusalCode.MISMATCHED_IDENTITY_KEYS, "device "
                    + device.userId() + "/" + device.deviceId() + " has ed25519 " + device.ed25519()
                    + " and curve25519 " + device.curve25519() + ", but the session claims ed25519 "
                    + evidence.claimedEd25519() + " and came from Olm sender key " + evidence.olmSenderKey());
        }
        // K5: a device vouched for only by an SSK whose MSK signature is forged or altered would lend its
        // session the trust of a chain nobody honest produced (design 3.7: "evidence of tampering so we
        // discard those sessions"), whatever identity we held before.
        Optional<DeviceStanding> standing = evidence.standingOf(device);
        if (standing.isPresent() && standing.get().tainted()) {
            DeviceStanding s = standing.get();
            return new Decision.Tampered(Rule.TAINTED_DEVICE, "device_keys:" + device.deviceId(),
                    s.selfSigningKeyId(), "device keys of " + device.userId() + "/" + device.deviceId()
                            + " are signed by self-signing key " + s.selfSigningKeyId() + ", refused ("
                            + s.refusedFor() + ")", s);
        }
        // K6
        Optional<OwnerIdentity> identity = evidence.ownerIdentity()
                .filter(i -> i.userId().equals(device.userId()) && i.masterKey() != null && i.selfSigningKey() != null);
        if (identity.isEmpty()) {
            return deviceInfo(device, Rule.NO_OWNER_IDENTITY);
        }
        OwnerIdentity owner = identity.get();
        CrossSigningKey ssk = owner.selfSigningKey();
        // K7: a signature filed under the current SSK's key id that does not verify is forged or altered,
        // never "merely unsigned" (design 3.7); one by another SSK is just stale. Checked on arrival when
        // the device came through /keys/query with this SSK; otherwise (MSC4147 keys) here, once.
        SignatureCheck signature = standing.flatMap(s -> s.signatureBy(ssk.keyId()))
                .orElseGet(() -> device.signatureBy(device.userId(), ssk.publicKey()));
        if (signature == SignatureCheck.INVALID) {
            return new Decision.Tampered(Rule.CROSS_SIGNING_SIGNATURE_INVALID, "device_keys:" + device.deviceId(),
                    ssk.keyId(), "device keys of " + device.userId() + "/" + device.deviceId()
                            + " carry a signature by self-signing key " + ssk.keyId() + " that does not verify",
                    standing.orElse(null));
        }
        if (signature == SignatureCheck.ABSENT) {
            return deviceInfo(device, Rule.NOT_CROSS_SIGNED);
        }
        // K8
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
