package io.keytrail.trust;

import static io.keytrail.crypto.megolm.RatchetComparison.BETTER;
import static io.keytrail.crypto.megolm.RatchetComparison.EQUAL;
import static io.keytrail.crypto.megolm.RatchetComparison.UNCONNECTED;
import static io.keytrail.crypto.megolm.RatchetComparison.WORSE;
import static io.keytrail.trust.SessionMerge.Outcome.DISCARD_UNCONNECTED;
import static io.keytrail.trust.SessionMerge.Outcome.KEEP_OLD;
import static io.keytrail.trust.SessionMerge.Outcome.NEW_SENDER_DATA_OLD_RATCHET;
import static io.keytrail.trust.SessionMerge.Outcome.OLD_SENDER_DATA_NEW_RATCHET;
import static io.keytrail.trust.SessionMerge.Outcome.TAKE_NEW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.keytrail.crypto.megolm.RatchetComparison;

/** Every row of reference 1.4's merge table, plus design 6's rule for imports. */
class SessionMergeTest {
    private static final SenderData UNKNOWN = Samples.unknown(false, false);
    private static final SenderData IMPORTED = SenderData.legacy();
    private static final SenderData DEVICE_INFO = Samples.deviceInfo(false);
    private static final SenderData VERIFIED = Samples.verified();
    private static final List<SenderData> ALL = List.of(UNKNOWN, IMPORTED, DEVICE_INFO, Samples.violation(),
            Samples.unverified(), VERIFIED);

    @Test
    void unconnectedCopy_isDiscardedWhateverItsTrust() {
        for (SenderData newData : ALL) {
            for (SenderData old : ALL) {
                assertThat(merge(UNCONNECTED, newData, old)).isEqualTo(DISCARD_UNCONNECTED);
            }
        }
    }

    @Test
    void betterRatchetGreaterTrust_takesTheNewCopyWhole() {
        assertThat(merge(BETTER, VERIFIED, DEVICE_INFO)).isEqualTo(TAKE_NEW);
        assertThat(merge(BETTER, DEVICE_INFO, IMPORTED)).isEqualTo(TAKE_NEW);
    }

    @Test
    void betterRatchetEqualTrustSameLegacyFlag_takesTheNewCopyWhole() {
        assertThat(merge(BETTER, DEVICE_INFO, Samples.deviceInfo(false))).isEqualTo(TAKE_NEW);
        assertThat(merge(BETTER, UNKNOWN, UNKNOWN)).isEqualTo(TAKE_NEW);
        assertThat(merge(BETTER, IMPORTED, SenderData.legacy())).isEqualTo(TAKE_NEW);
    }

    @Test
    void importWithBetterRatchetOverAuthenticatedUnknownDevice_onlyGraftsTheRatchet() {
        // Upstream takes the import whole here, turning an Olm-received session into an imported one.
        assertThat(merge(BETTER, IMPORTED, UNKNOWN)).isEqualTo(OLD_SENDER_DATA_NEW_RATCHET);
    }

    @Test
    void authenticatedUnknownDeviceWithBetterRatchetOverImport_keepsTheLegacyFlag() {
        assertThat(merge(BETTER, UNKNOWN, IMPORTED)).isEqualTo(OLD_SENDER_DATA_NEW_RATCHET);
    }

    @Test
    void betterRatchetLessTrust_keepsOldSenderDataWithNewRatchet() {
        assertThat(merge(BETTER, IMPORTED, DEVICE_INFO)).isEqualTo(OLD_SENDER_DATA_NEW_RATCHET);
        assertThat(merge(BETTER, UNKNOWN, DEVICE_INFO)).isEqualTo(OLD_SENDER_DATA_NEW_RATCHET);
        assertThat(merge(BETTER, Samples.unverified(), VERIFIED)).isEqualTo(OLD_SENDER_DATA_NEW_RATCHET);
    }

    @Test
    void equalRatchetGreaterTrust_takesTheNewCopyWhole() {
        assertThat(merge(EQUAL, VERIFIED, DEVICE_INFO)).isEqualTo(TAKE_NEW);
        assertThat(merge(EQUAL, DEVICE_INFO, IMPORTED)).isEqualTo(TAKE_NEW);
    }

    @Test
    void equalRatchetEqualTrust_keepsWhatWeHave() {
        assertThat(merge(EQUAL, DEVICE_INFO, Samples.deviceInfo(false))).isEqualTo(KEEP_OLD);
        assertThat(merge(EQUAL, UNKNOWN, IMPORTED)).isEqualTo(KEEP_OLD);
        assertThat(merge(EQUAL, IMPORTED, UNKNOWN)).isEqualTo(KEEP_OLD);
    }

    @Test
    void equalRatchetLessTrust_keepsWhatWeHave() {
        assertThat(merge(EQUAL, IMPORTED, VERIFIED)).isEqualTo(KEEP_OLD);
    }

    @Test
    void worseRatchetLessOrEqualTrust_keepsWhatWeHave() {
        assertThat(merge(WORSE, IMPORTED, DEVICE_INFO)).isEqualTo(KEEP_OLD);
        assertThat(merge(WORSE, DEVICE_INFO, Samples.deviceInfo(false))).isEqualTo(KEEP_OLD);
    }

    @Test
    void worseRatchetGreaterTrust_takesNewSenderDataOnOldRatchet() {
        assertThat(merge(WORSE, VERIFIED, DEVICE_INFO)).isEqualTo(NEW_SENDER_DATA_OLD_RATCHET);
        assertThat(merge(WORSE, DEVICE_INFO, IMPORTED)).isEqualTo(NEW_SENDER_DATA_OLD_RATCHET);
    }

    @Test
    void anImport_neverLowersTheSenderDataWeHold() {
        for (SenderData old : ALL) {
            for (RatchetComparison ratchet : RatchetComparison.values()) {
                SessionMerge.Outcome outcome = merge(ratchet, IMPORTED, old);
                SenderData result = outcome.takesNewSenderData() ? IMPORTED : old;
                assertThat(result.rank()).isGreaterThanOrEqualTo(old.rank());
                assertThat(result.legacySession() && !old.legacySession()).as("%s over %s", ratchet, old).isFalse();
            }
        }
    }

    @Test
    void outcomes_sayWhichHalvesAreTaken() {
        assertThat(TAKE_NEW.takesNewRatchet() && TAKE_NEW.takesNewSenderData()).isTrue();
        assertThat(OLD_SENDER_DATA_NEW_RATCHET.takesNewRatchet()).isTrue();
        assertThat(OLD_SENDER_DATA_NEW_RATCHET.takesNewSenderData()).isFalse();
        assertThat(NEW_SENDER_DATA_OLD_RATCHET.takesNewSenderData()).isTrue();
        assertThat(NEW_SENDER_DATA_OLD_RATCHET.takesNewRatchet()).isFalse();
        assertThat(KEEP_OLD.changesSession() || DISCARD_UNCONNECTED.changesSession()).isFalse();
    }

    private static SessionMerge.Outcome merge(RatchetComparison ratchet, SenderData newData, SenderData old) {
        return SessionMerge.merge(ratchet, newData, old);
    }
}
