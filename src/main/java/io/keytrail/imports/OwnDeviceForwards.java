package io.keytrail.imports;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keytrail.directory.Directory;
import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;
import io.keytrail.matrix.ForwardedRoomKeyPayload;
import io.keytrail.matrix.OwnDevice;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.Decision;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataFinder;

/**
 * Who may forward us a room key (issue 12, ADR 0018): only one of our own devices that our own identity
 * cross-signs. A stranger could otherwise hand us a session that claims to be anyone's, shown under
 * {@code CROSS_SIGNED_OR_LEGACY}; matrix-rust-sdk likewise accepts forwards only from our own verified devices.
 */
final class OwnDeviceForwards {
    private static final Logger log = LoggerFactory.getLogger(OwnDeviceForwards.class);

    private OwnDeviceForwards() {
    }

    /**
     * A forward is accepted only from one of our own devices that our own identity cross-signs: the
     * to-device sender is our user, and the device owning the Olm key is signed by our SSK, itself signed
     * by our MSK (the decision for that device is {@code SenderUnverified} or {@code SenderVerified}). The
     * same finder that decides room keys judges the forwarder, from the same local evidence (stored
     * devices, our identity, the forwarder's MSC4147 keys), so "cross-signed" means one thing everywhere.
     */
    static void requireOwnCrossSignedDevice(Directory directory, ForwardedRoomKeyPayload payload,
                                            Optional<OwnDevice> ownDevice) {
        String forwarder = payload.forwarder();
        if (ownDevice.isEmpty()) {
            throw new RefusalException(RefusalCode.FORWARD_NOT_FROM_OWN_DEVICE, "a forwarded room key is accepted"
                    + " only from our own cross-signed devices, and no own_device says who we are");
        }
        String ourUser = ownDevice.get().userId();
        if (!ourUser.equals(forwarder)) {
            throw new RefusalException(RefusalCode.FORWARD_NOT_FROM_OWN_DEVICE, "a forwarded room key from "
                    + forwarder + " is refused: forwards are accepted only from our own user " + ourUser);
        }
        String olmKey = payload.forwarderCurve25519().toBase64();
        DecisionEvidence evidence = directory.evidenceFor(ourUser, olmKey)
                .withSenderDeviceKeys(payload.forwarderDeviceKeys().map(k -> k.json()).orElse(null));
        Decision decision;
        try {
            decision = SenderDataFinder.decide(evidence.toEvidence(ourUser, olmKey,
                    payload.forwarderEd25519().toBase64(), false));
        } catch (RuntimeException e) {
            // Recorded evidence that no longer parses proves nothing about the forwarder.
            log.warn("judging the forwarder's device failed", e);
            decision = null;
        }
        boolean crossSigned = decision instanceof Decision.Decided d
                && (d.senderData() instanceof SenderData.SenderUnverified
                || d.senderData() instanceof SenderData.SenderVerified);
        if (!crossSigned) {
            throw new RefusalException(RefusalCode.FORWARD_NOT_FROM_OWN_DEVICE, "a forwarded room key from our device"
                    + " with Olm key " + olmKey + " is refused: that device is not one of ours signed by our own"
                    + " cross-signing identity (" + describe(decision) + ")");
        }
    }

    private static String describe(Decision decision) {
        if (decision instanceof Decision.Decided d) {
            return "judged " + d.senderData().getClass().getSimpleName() + " by rule " + d.rule();
        }
        return decision == null ? "no usable evidence" : "its keys were refused: " + decision.getClass().getSimpleName();
    }

}
