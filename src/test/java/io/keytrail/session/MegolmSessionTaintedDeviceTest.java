package io.keytrail.session;

import io.keytrail.trust.DiscardCause;
import static io.keytrail.session.SessionFixtures.ALICE;
import static io.keytrail.session.SessionFixtures.ALICE_RESET;
import static io.keytrail.session.SessionFixtures.PHONE;
import static io.keytrail.session.SessionFixtures.deviceInfo;
import static io.keytrail.session.SessionFixtures.event;
import static io.keytrail.session.SessionFixtures.exactly;
import static io.keytrail.session.SessionFixtures.nothingKnown;
import static io.keytrail.session.SessionFixtures.receive;
import static io.keytrail.session.SessionFixtures.received;
import static io.keytrail.session.SessionFixtures.tainted;
import static io.keytrail.session.SessionFixtures.unverified;
import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.session.SessionEvents.SessionCopyKept;
import io.keytrail.session.SessionEvents.SessionDiscarded;
import io.keytrail.session.SessionEvents.SessionReceived;
import io.keytrail.trust.DeviceStanding;
import io.keytrail.trust.Rule;
import io.keytrail.trust.SenderData;

/**
 * A room key from a device whose cross-signing rests on a self-signing key refused for tampering
 * (design 3.7, 9.6): one decision in the aggregate discards it, and the discard carries the refused key.
 */
class MegolmSessionTaintedDeviceTest {
    private final SessionKeyVault vault = SessionFixtures.vault();
    private final SessionFixtures.Megolm megolm = SessionFixtures.Megolm.of("tainted");
    private final DecisionEvidence tainted = tainted(ALICE, ALICE_RESET, PHONE);
    private AggregateTestFixture<MegolmSession> fixture;

    @BeforeEach
    void setUp() {
        fixture = SessionFixtures.aggregate(vault);
    }

    private SessionReceived heldAs(SenderData data) {
        return received(vault, megolm, 0, ALICE, PHONE, data, nothingKnown());
    }

    @Test
    void firstCopyFromATaintedDevice_isReceivedAsUnknownAndDiscardedWithTheRefusedKey() {
        fixture.givenNoPriorActivity()
                .when(receive(megolm, 0, ALICE, PHONE, tainted))
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectEventsMatching(exactly(
                        event(SessionReceived.class, "UnknownDevice by TAINTED_DEVICE",
                                e -> e.senderData().equals(SenderData.unknown()) && e.rule() == Rule.TAINTED_DEVICE),
                        event(SessionDiscarded.class, "TAMPERING with the standing and the refused SSK",
                                e -> e.cause() == DiscardCause.TAMPERING && e.rule() == Rule.TAINTED_DEVICE
                                        && e.evidence().equals(tainted)
                                        && e.evidence().storedDeviceStanding().refusedSelfSigningKey()
                                                .equals(ALICE_RESET.selfSigningKeyJson(MasterSignature.BAD))
                                        && e.evidence().storedDeviceStanding().refusingMasterKey()
                                                .equals(ALICE_RESET.masterKeyJson()))));
    }

    @Test
    void anotherCopyFromATaintedDevice_discardsADeviceInfoSession() {
        fixture.given(heldAs(deviceInfo(ALICE, PHONE, DeviceSigning.SELF_SIGNED_ONLY)))
                .when(receive(megolm, 0, ALICE, PHONE, tainted))
                .expectEventsMatching(exactly(event(SessionDiscarded.class, "TAMPERING, TAINTED_DEVICE, with evidence",
                        e -> e.rule() == Rule.TAINTED_DEVICE && e.evidence().equals(tainted))));
    }

    @Test
    void anotherCopyFromATaintedDevice_keepsAnAlreadyCrossSignedSessionAndItsTrust() {
        fixture.given(heldAs(unverified(ALICE, PHONE)))
                .when(receive(megolm, 0, ALICE, PHONE, tainted))
                .expectResultMessagePayload(ReceiveOutcome.ACCEPTED)
                .expectEventsMatching(exactly(event(SessionCopyKept.class, "vouching for nothing",
                        e -> e.offered().equals(SenderData.unknown()))));
    }

    @Test
    void evidenceWithAStanding_roundTripsThroughJson_andEvidenceWrittenBeforeReadsWithNone() throws Exception {
        ObjectMapper json = new ObjectMapper();

        DecisionEvidence back = json.readValue(json.writeValueAsString(tainted), DecisionEvidence.class);
        DecisionEvidence old = json.readValue("{\"senderDeviceKeys\":null,\"storedDevice\":null,\"masterKey\":null,"
                + "\"selfSigningKey\":null,\"masterKeyVerified\":false,\"previouslyVerified\":false}",
                DecisionEvidence.class);

        assertThat(back).isEqualTo(tainted);
        assertThat(back.storedDeviceStanding().kind()).isEqualTo(DeviceStanding.Kind.RELIES_ON_REFUSED_KEY);
        assertThat(old).isEqualTo(nothingKnown());
        assertThat(old.storedDeviceStanding()).isNull();
    }
}
