package io.keytrail.trust;

import java.util.Optional;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * Why a message is not {@link VerificationState.Verified} (matrix-rust-sdk's {@code VerificationLevel}).
 *
 * <p>Upstream's {@code None(DeviceLinkProblem)} is flattened into two constants so that a {@code switch}
 * over this enum is exhaustive; {@link #deviceLinkProblem()} gives the nested value back. JSON as upstream:
 * {@code "UnverifiedIdentity"}, {@code "VerificationViolation"}, {@code "UnsignedDevice"},
 * {@code {"None":"MissingDevice"}}, {@code {"None":"InsecureSource"}}, {@code "MismatchedSender"}.
 */
@JsonSerialize(using = VerificationJson.LevelSerializer.class)
@JsonDeserialize(using = VerificationJson.LevelDeserializer.class)
public enum VerificationLevel {
    /** Cross-signed by its owner's identity, which the local user has not verified. */
    UNVERIFIED_IDENTITY,
    /** Cross-signed by an unverified identity of a user whose earlier identity was verified. */
    VERIFICATION_VIOLATION,
    /** The device is known but not cross-signed by its owner. */
    UNSIGNED_DEVICE,
    /** {@code None(MissingDevice)}: the creating device is not known. */
    NONE_MISSING_DEVICE,
    /** {@code None(InsecureSource)}: the session's source cannot prove its creator. */
    NONE_INSECURE_SOURCE,
    /** The event's {@code sender} is not the user who owns the session (CVE-2025-48937). */
    MISMATCHED_SENDER;

    public static VerificationLevel none(DeviceLinkProblem problem) {
        return problem == DeviceLinkProblem.MISSING_DEVICE ? NONE_MISSING_DEVICE : NONE_INSECURE_SOURCE;
    }

    /** The nested problem for the two {@code None(..)} levels, empty for the others. */
    public Optional<DeviceLinkProblem> deviceLinkProblem() {
        switch (this) {
            case NONE_MISSING_DEVICE:
                return Optional.of(DeviceLinkProblem.MISSING_DEVICE);
            case NONE_INSECURE_SOURCE:
                return Optional.of(DeviceLinkProblem.INSECURE_SOURCE);
            default:
                return Optional.empty();
        }
    }
}
