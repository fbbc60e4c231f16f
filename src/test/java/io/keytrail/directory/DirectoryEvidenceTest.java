package io.keytrail.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.matrix.SignedJson;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;
import io.keytrail.session.DecisionEvidence;
import io.keytrail.trust.DeviceStanding;

/**
 * The creator's device reaches the decision with its standing from arrival, tainted or not: the
 * directory no longer drops a tainted device (the decision turns it into a discard with evidence).
 */
class DirectoryEvidenceTest {
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", "PHONE");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private final DeviceRows devices = mock(DeviceRows.class);
    private final IdentityRows identities = mock(IdentityRows.class);
    private final SessionRows sessions = mock(SessionRows.class);
    private final DirectoryProjection projection = new DirectoryProjection(devices, identities, sessions);
    private final Directory directory = new Directory(devices, identities, sessions);

    private static String curve() {
        return ALICE.device("PHONE").curve25519().toBase64();
    }

    private DeviceRow projected(DeviceStanding standing) {
        ObjectNode phone = ALICE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED);
        projection.on(new DeviceKeysFetched(ALICE.userId(), AT, true, Map.of("PHONE", phone), Set.of("PHONE"),
                Set.of(), Set.of(), standing.tainted() ? Set.of("PHONE") : Set.of(), Map.of("PHONE", standing)));
        ArgumentCaptor<DeviceRow> row = ArgumentCaptor.forClass(DeviceRow.class);
        verify(devices).save(row.capture());
        return row.getValue();
    }

    @Test
    void taintedDevice_staysInTheEvidenceWithTheRefusedKeyAsReceived() {
        DeviceStanding tainted = DeviceStanding.reliesOnRefusedKey(SignedJson.keyIdOf(ALICE.selfSigningKey().publicKey()),
                ALICE.selfSigningKeyJson(MasterSignature.BAD), "BAD_MASTER_SIGNATURE", ALICE.masterKeyJson());
        DeviceRow row = projected(tainted);
        when(devices.findByUserId(ALICE.userId())).thenReturn(List.of(row));
        when(identities.findById(ALICE.userId())).thenReturn(Optional.empty());

        DecisionEvidence evidence = directory.evidenceFor(ALICE.userId(), curve());

        assertThat(evidence.storedDevice()).isEqualTo(ALICE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED));
        assertThat(evidence.storedDeviceStanding()).isEqualTo(tainted);
    }

    @Test
    void crossSignedDevice_carriesItsArrivalCheck() {
        DeviceStanding checked = DeviceStanding.checked(SignedJson.keyIdOf(ALICE.selfSigningKey().publicKey()),
                io.keytrail.matrix.SignatureCheck.VALID);
        DeviceRow row = projected(checked);
        when(devices.findByUserId(ALICE.userId())).thenReturn(List.of(row));
        when(identities.findById(ALICE.userId())).thenReturn(Optional.empty());

        assertThat(directory.evidenceFor(ALICE.userId(), curve()).storedDeviceStanding()).isEqualTo(checked);
    }

    @Test
    void taintedDeviceRecordedBeforeStandingsExisted_isStillTaintedWithoutTheKey() {
        DeviceRow old = new DeviceRow(ALICE.userId(), "PHONE", curve(),
                ALICE.deviceKeysJson("PHONE", DeviceSigning.CROSS_SIGNED).toString(), true);
        when(devices.findByUserId(ALICE.userId())).thenReturn(List.of(old));
        when(identities.findById(ALICE.userId())).thenReturn(Optional.empty());

        DeviceStanding standing = directory.evidenceFor(ALICE.userId(), curve()).storedDeviceStanding();

        assertThat(standing.kind()).isEqualTo(DeviceStanding.Kind.RELIES_ON_REFUSED_KEY);
        assertThat(standing.refusedSelfSigningKey()).isNull();
    }

    @Test
    void noDeviceWithTheCurveKey_givesNoStoredDeviceAndNoStanding() {
        when(devices.findByUserId(ALICE.userId())).thenReturn(List.of());
        when(identities.findById(ALICE.userId())).thenReturn(Optional.empty());

        DecisionEvidence evidence = directory.evidenceFor(ALICE.userId(), curve());

        assertThat(evidence.storedDevice()).isNull();
        assertThat(evidence.storedDeviceStanding()).isNull();
    }

    @Test
    void batchEvidence_isTheOneKeyEvidence_parsedOnce_andDecidesTheSame() {
        DeviceStanding checked = DeviceStanding.checked(SignedJson.keyIdOf(ALICE.selfSigningKey().publicKey()),
                io.keytrail.matrix.SignatureCheck.VALID);
        DeviceRow row = projected(checked);
        IdentityRow identity = new IdentityRow(ALICE.userId());
        identity.setKeys(ALICE.masterKey().publicKey().toBase64(), ALICE.masterKeyJson().toString(),
                ALICE.selfSigningKeyJson(MasterSignature.VALID).toString(),
                ALICE.userSigningKeyJson(MasterSignature.VALID).toString());
        when(devices.findByUserId(ALICE.userId())).thenReturn(List.of(row));
        when(devices.findByUserIdIn(Set.of(ALICE.userId()))).thenReturn(List.of(row));
        when(identities.findById(ALICE.userId())).thenReturn(Optional.of(identity));
        when(identities.findByUserIdIn(Set.of(ALICE.userId()))).thenReturn(List.of(identity));
        String unknownKey = TestAccount.create("@x:example.org", "x", "X").device("X").curve25519().toBase64();

        Map<String, ParsedEvidence> batch = directory.parsedEvidenceFor(Map.of(ALICE.userId(), Set.of(curve(), unknownKey)));

        ParsedEvidence known = batch.get(Directory.evidenceKey(ALICE.userId(), curve()));
        assertThat(known.recorded()).isEqualTo(directory.evidenceFor(ALICE.userId(), curve()));
        assertThat(batch.get(Directory.evidenceKey(ALICE.userId(), unknownKey)).recorded())
                .isEqualTo(directory.evidenceFor(ALICE.userId(), unknownKey));
        assertThat(known.storedDevice().orElseThrow())
                .as("the same stored text is parsed once").isSameAs(directory.parsedEvidenceFor(ALICE.userId(), curve())
                        .storedDevice().orElseThrow());
        var claimed = ALICE.device("PHONE").ed25519().publicKey();
        assertThat(io.keytrail.trust.SenderDataFinder.decide(known.toEvidence(ALICE.userId(),
                ALICE.device("PHONE").curve25519(), claimed, Optional.empty())))
                .isEqualTo(io.keytrail.trust.SenderDataFinder.decide(known.recorded().toEvidence(ALICE.userId(), curve(),
                        claimed.toBase64(), false)))
                .satisfies(d -> assertThat(d.toString()).contains("SenderUnverified"));
    }
}
