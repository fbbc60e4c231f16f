package io.keytrail.session;

import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.ROOM;
import static io.keytrail.session.SessionFixtures.crossSigned;
import static io.keytrail.session.SessionFixtures.curve;
import static io.keytrail.session.SessionFixtures.deviceInfo;
import static io.keytrail.session.SessionFixtures.deviceOnly;
import static io.keytrail.session.SessionFixtures.ed25519;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.unverified;
import static io.keytrail.session.SessionFixtures.withIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.session.SessionEvents.SenderKeysWanted;
import io.keytrail.session.SessionEvents.SessionImported;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.session.SessionEvents.SessionReceivedOverImport;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/** When a recorded decision needs the homeserver's keys (design 4, ADR 0019): the rule as a plain object. */
class KeysWantedTest {
    private static final String SESSION = "c2Vzc2lvbg";

    private static SessionReceived received(SenderData data, DecisionEvidence evidence) {
        return new SessionReceived(ROOM, SESSION, ALICE.userId(), curve(ALICE, PHONE), ed25519(ALICE, PHONE), true, 0,
                "v1:sealed", data, Rule.NO_DEVICE, evidence);
    }

    private static SessionImported imported(String claimedSender, String claimedSenderKey) {
        return new SessionImported(ROOM, SESSION, ImportSource.KEY_EXPORT, claimedSenderKey, ed25519(ALICE, PHONE),
                List.of(), true, 0, "v1:sealed", SenderData.legacy(), Rule.IMPORTED, claimedSender, null, null);
    }

    @Test
    void unknownDevice_wantsThatDevicesKeys() {
        assertThat(KeysWanted.after(received(SenderData.unknown(), nothingKnown()))).contains(
                new SenderKeysWanted(ROOM, SESSION, ALICE.userId(), curve(ALICE, PHONE), false));
    }

    @Test
    void knownDeviceWithoutAKnownIdentity_wantsTheIdentity() {
        assertThat(KeysWanted.after(received(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY),
                deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY))))
                .contains(new SenderKeysWanted(ROOM, SESSION, ALICE.userId(), null, true));
    }

    @Test
    void knownDeviceOfAUserWhoseIdentityIsKnown_wantsNothing_theAnswerIsAlreadyHere() {
        assertThat(KeysWanted.after(received(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY),
                withIdentity(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY, ALICE, false, false)))).isEmpty();
    }

    @Test
    void crossSignedSession_wantsNothing() {
        assertThat(KeysWanted.after(received(unverified(ALICE, PHONE), crossSigned(ALICE, PHONE)))).isEmpty();
    }

    @Test
    void importNamingItsOwnerAndKey_wantsTheClaimedDevice() {
        assertThat(KeysWanted.after(imported(ALICE.userId(), curve(ALICE, PHONE)))).contains(
                new SenderKeysWanted(ROOM, SESSION, ALICE.userId(), curve(ALICE, PHONE), false));
    }

    @Test
    void importWithoutAClaimedOwnerOrWithoutAClaimedKey_wantsNothing() {
        assertThat(KeysWanted.after(imported(null, curve(ALICE, PHONE)))).isEmpty();
        assertThat(KeysWanted.after(imported(ALICE.userId(), null))).isEmpty();
    }

    @Test
    void authenticatedCopyOverAnImport_isDecidedAsAReceipt() {
        SessionReceivedOverImport over = new SessionReceivedOverImport(ROOM, SESSION, ALICE.userId(),
                curve(ALICE, PHONE), ed25519(ALICE, PHONE), true, false, 0, "v1:sealed", SenderData.legacy(),
                deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY), Rule.NO_OWNER_IDENTITY,
                deviceOnly(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY));
        assertThat(KeysWanted.after((Object) over)).contains(new SenderKeysWanted(ROOM, SESSION, ALICE.userId(), null,
                true));
    }

    @Test
    void eventsThatDecideNothingOnArrival_wantNothing() {
        assertThat(KeysWanted.after((Object) new SessionEvents.SessionCopyKept(ROOM, SESSION,
                io.keytrail.crypto.megolm.RatchetComparison.WORSE, SenderData.legacy()))).isEmpty();
        assertThat(KeysWanted.after((Object) null)).isEmpty();
    }

    @Test
    void theFoldIgnoresTheWant_itRecordsNoDecision() {
        SessionReceived arrival = received(SenderData.unknown(), nothingKnown());
        SessionState before = SessionState.of(List.of(arrival));
        assertThat(before.apply(KeysWanted.after(arrival).orElseThrow())).isEqualTo(before);
        assertThat(SessionState.recordsDecision(KeysWanted.after(arrival).orElseThrow())).isFalse();
    }
}
