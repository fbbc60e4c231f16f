package io.keytrail.trust;

import java.util.Objects;
import java.util.Optional;

/**
 * Maps a session's sender data to the verification state of one decrypted event (reference 5.2,
 * design 7). Pure function of its three inputs.
 */
public final class VerificationStates {
    private VerificationStates() {
    }

    /**
     * The state shown for an event, and the device it names ({@code sender_device}).
     *
     * @param senderDevice the creating device's id; empty for {@code None(..)} and {@code MismatchedSender}
     */
    public record Result(VerificationState state, Optional<String> senderDevice) {
        public Result {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(senderDevice, "senderDevice");
        }
    }

    /**
     * Reference 5.2's table, with the {@code MismatchedSender} override first: a session owned by one
     * user never vouches for an event whose (homeserver-supplied) {@code sender} is another user
     * (CVE-2025-48937). {@code UnknownDevice} names no owner, so it cannot mismatch.
     *
     * @param data        the session's sender data, after any decrypt-time re-decision
     * @param imported    the session came from an export, a backup or a forward
     * @param eventSender the {@code sender} of the {@code m.room.encrypted} event
     */
    public static Result of(SenderData data, boolean imported, String eventSender) {
        Optional<String> owner = data.userId();
        if (owner.isPresent() && !owner.get().equals(eventSender)) {
            return unverified(VerificationLevel.MISMATCHED_SENDER, null);
        }
        if (data instanceof SenderData.UnknownDevice u) {
            boolean insecure = imported || u.ownerCheckFailed();
            return unverified(VerificationLevel.none(
                    insecure ? DeviceLinkProblem.INSECURE_SOURCE : DeviceLinkProblem.MISSING_DEVICE), null);
        } else if (data instanceof SenderData.DeviceInfo d) {
            return unverified(VerificationLevel.UNSIGNED_DEVICE, d.deviceId().orElse(null));
        } else if (data instanceof SenderData.VerificationViolation v) {
            return unverified(VerificationLevel.VERIFICATION_VIOLATION, v.known().deviceId());
        } else if (data instanceof SenderData.SenderUnverified u) {
            return unverified(VerificationLevel.UNVERIFIED_IDENTITY, u.known().deviceId());
        }
        SenderData.SenderVerified v = (SenderData.SenderVerified) data;
        return new Result(VerificationState.VERIFIED, Optional.ofNullable(v.known().deviceId()));
    }

    private static Result unverified(VerificationLevel level, String deviceId) {
        return new Result(VerificationState.unverified(level), Optional.ofNullable(deviceId));
    }
}
