package io.keytrail.trust;

import static io.keytrail.trust.Samples.ALICE;
import static io.keytrail.trust.Samples.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerificationStatesTest {
    private static final String DEVICE = "ALICEPHONE";

    /** Reference 5.2, every row, for both values of the session's imported flag. */
    static Stream<Arguments> table() {
        return Stream.of(
                row(Samples.unknown(false, false), false, VerificationLevel.NONE_MISSING_DEVICE, null),
                row(Samples.unknown(true, false), false, VerificationLevel.NONE_MISSING_DEVICE, null),
                row(Samples.unknown(true, false), true, VerificationLevel.NONE_INSECURE_SOURCE, null),
                row(Samples.unknown(false, false), true, VerificationLevel.NONE_INSECURE_SOURCE, null),
                row(Samples.unknown(false, true), false, VerificationLevel.NONE_INSECURE_SOURCE, null),
                row(Samples.unknown(true, true), true, VerificationLevel.NONE_INSECURE_SOURCE, null),
                row(Samples.deviceInfo(false), false, VerificationLevel.UNSIGNED_DEVICE, DEVICE),
                row(Samples.deviceInfo(true), true, VerificationLevel.UNSIGNED_DEVICE, DEVICE),
                row(Samples.violation(), false, VerificationLevel.VERIFICATION_VIOLATION, DEVICE),
                row(Samples.violation(), true, VerificationLevel.VERIFICATION_VIOLATION, DEVICE),
                row(Samples.unverified(), false, VerificationLevel.UNVERIFIED_IDENTITY, DEVICE),
                row(Samples.unverified(), true, VerificationLevel.UNVERIFIED_IDENTITY, DEVICE),
                Arguments.of(Samples.verified(), false, VerificationState.VERIFIED, DEVICE),
                Arguments.of(Samples.verified(), true, VerificationState.VERIFIED, DEVICE));
    }

    private static Arguments row(SenderData data, boolean imported, VerificationLevel level, String device) {
        return Arguments.of(data, imported, VerificationState.unverified(level), device);
    }

    @ParameterizedTest
    @MethodSource("table")
    void senderDataOfTheEventSender_mapsAsReferenceTable(SenderData data, boolean imported,
                                                        VerificationState expected, String device) {
        VerificationStates.Result result = VerificationStates.of(data, imported, ALICE);

        assertThat(result.state()).isEqualTo(expected);
        assertThat(result.senderDevice()).isEqualTo(Optional.ofNullable(device));
    }

    static Stream<SenderData> statesNamingAnOwner() {
        return Stream.of(Samples.deviceInfo(false), Samples.deviceInfo(true), Samples.violation(),
                Samples.unverified(), Samples.verified());
    }

    @ParameterizedTest
    @MethodSource("statesNamingAnOwner")
    void eventSentAsAnotherUser_isMismatchedSenderWithNoDevice(SenderData data) {
        VerificationStates.Result result = VerificationStates.of(data, false, MALLORY);

        assertThat(result.state()).isEqualTo(VerificationState.unverified(VerificationLevel.MISMATCHED_SENDER));
        assertThat(result.senderDevice()).isEmpty();
    }

    @Test
    void unknownDevice_namesNoOwnerSoNeverMismatches() {
        assertThat(VerificationStates.of(Samples.unknown(false, false), false, MALLORY).state())
                .isEqualTo(VerificationState.unverified(VerificationLevel.NONE_MISSING_DEVICE));
    }
}
