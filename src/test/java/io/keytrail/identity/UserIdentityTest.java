package io.keytrail.identity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.identity.IdentityCommands.AbandonKeysQuery;
import io.keytrail.identity.IdentityCommands.RecordKeysQuery;
import io.keytrail.identity.IdentityCommands.RecordKeysQueryFailure;
import io.keytrail.identity.IdentityCommands.VerifyMasterKey;
import io.keytrail.identity.IdentityCommands.WithdrawVerification;
import io.keytrail.identity.IdentityEvents.CrossSigningKeysAccepted;
import io.keytrail.identity.IdentityEvents.DeviceKeysFetched;
import io.keytrail.identity.IdentityEvents.IdentityTrust;
import io.keytrail.identity.IdentityEvents.KeysQueryAbandoned;
import io.keytrail.identity.IdentityEvents.KeysQueryFailed;
import io.keytrail.identity.IdentityEvents.KeysQueryIgnored;
import io.keytrail.identity.IdentityEvents.KeysRejected;
import io.keytrail.identity.IdentityEvents.MskVerified;
import io.keytrail.identity.IdentityEvents.VerificationWithdrawn;
import io.keytrail.matrix.fixture.DeviceSigning;
import io.keytrail.matrix.fixture.MasterSignature;
import io.keytrail.matrix.fixture.TestAccount;

/** The per-user identity aggregate: devices as last fetched, the accepted identity and our trust in it. */
class UserIdentityTest {
    private static final String PHONE = "PHONE";
    private static final String LAPTOP = "LAPTOP";
    private static final String TABLET = "TABLET";
    private static final TestAccount ALICE = TestAccount.create("@alice:example.org", "alice", PHONE, LAPTOP);
    private static final TestAccount ALICE_RESET = ALICE.withNewIdentity("reset");
    private static final String USER = ALICE.userId();
    private static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);
    private static final Instant T3 = T2.plusSeconds(60);

    private AggregateTestFixture<UserIdentity> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(UserIdentity.class);
    }

    private static Map<String, ObjectNode> devices(String... ids) {
        Map<String, ObjectNode> map = new LinkedHashMap<>();
        for (String id : ids) {
            map.put(id, ALICE.deviceKeysJson(id, DeviceSigning.CROSS_SIGNED));
        }
        return map;
    }

    private static UserKeysSnapshot snapshot(Map<String, ObjectNode> devices, TestAccount identity) {
        return new UserKeysSnapshot(USER, true, devices, identity == null ? null : identity.masterKeyJson(),
                identity == null ? null : identity.selfSigningKeyJson(MasterSignature.VALID),
                identity == null ? null : identity.userSigningKeyJson(MasterSignature.VALID), false, List.of(), Set.of());
    }

    private static DeviceKeysFetched fetched(Instant at, Map<String, ObjectNode> devices) {
        return new DeviceKeysFetched(USER, at, true, devices, devices.keySet(), Set.of(), Set.of(), Set.of());
    }

    private static CrossSigningKeysAccepted accepted(Instant at, TestAccount identity, String previous,
                                                     IdentityTrust trust) {
        return new CrossSigningKeysAccepted(USER, at, identity.masterKeyJson(),
                identity.selfSigningKeyJson(MasterSignature.VALID), identity.userSigningKeyJson(MasterSignature.VALID),
                previous, trust);
    }

    private static String msk(TestAccount identity) {
        return identity.masterKey().publicKey().toBase64();
    }

    @Test
    void firstResponse_addsTheDevicesAndAcceptsTheIdentity() {
        fixture.givenNoPriorActivity()
                .when(new RecordKeysQuery(USER, T1, snapshot(devices(PHONE, LAPTOP), ALICE)))
                .expectEvents(new DeviceKeysFetched(USER, T1, true, devices(PHONE, LAPTOP), Set.of(PHONE, LAPTOP),
                                Set.of(), Set.of(), Set.of()),
                        accepted(T1, ALICE, null, IdentityTrust.NONE));
    }

    @Test
    void laterResponse_reportsAddedChangedAndRemovedDevices() {
        Map<String, ObjectNode> before = new LinkedHashMap<>();
        before.put(PHONE, ALICE.deviceKeysJson(PHONE, DeviceSigning.SELF_SIGNED_ONLY));
        before.put(LAPTOP, ALICE.deviceKeysJson(LAPTOP, DeviceSigning.CROSS_SIGNED));
        Map<String, ObjectNode> after = devices(PHONE, TABLET);
        fixture.given(fetched(T1, before), accepted(T1, ALICE, null, IdentityTrust.NONE))
                .when(new RecordKeysQuery(USER, T2, snapshot(after, ALICE)))
                .expectEvents(new DeviceKeysFetched(USER, T2, true, after, Set.of(TABLET), Set.of(PHONE), Set.of(LAPTOP),
                        Set.of()));
    }

    @Test
    void responseThatDoesNotListTheDevices_keepsThem() {
        UserKeysSnapshot identityOnly = new UserKeysSnapshot(USER, false, Map.of(), ALICE.masterKeyJson(),
                ALICE.selfSigningKeyJson(MasterSignature.VALID), ALICE.userSigningKeyJson(MasterSignature.VALID), false,
                List.of(), Set.of());
        fixture.given(fetched(T1, devices(PHONE)))
                .when(new RecordKeysQuery(USER, T2, identityOnly))
                .expectEvents(new DeviceKeysFetched(USER, T2, false, devices(PHONE), Set.of(), Set.of(), Set.of(), Set.of()),
                        accepted(T2, ALICE, null, IdentityTrust.NONE));
    }

    @Test
    void olderResponse_isIgnored() {
        fixture.given(fetched(T2, devices(PHONE)))
                .when(new RecordKeysQuery(USER, T1, snapshot(devices(LAPTOP), ALICE_RESET)))
                .expectEvents(new KeysQueryIgnored(USER, T1, T2));
    }

    @Test
    void responseToARequestAsOldAsTheNewestApplied_isIgnored() {
        fixture.given(fetched(T2, devices(PHONE)))
                .when(new RecordKeysQuery(USER, T2, snapshot(devices(LAPTOP), ALICE)))
                .expectEvents(new KeysQueryIgnored(USER, T2, T2));
    }

    @Test
    void sameIdentityAgain_isNotAcceptedAgain() {
        fixture.given(fetched(T1, devices(PHONE)), accepted(T1, ALICE, null, IdentityTrust.NONE))
                .when(new RecordKeysQuery(USER, T2, snapshot(devices(PHONE), ALICE)))
                .expectEvents(new DeviceKeysFetched(USER, T2, true, devices(PHONE), Set.of(), Set.of(), Set.of(), Set.of()));
    }

    @Test
    void snapshotOfAnotherUser_isRefused() {
        UserKeysSnapshot bobs = new UserKeysSnapshot("@bob:example.org", true, Map.of(), null, null, null, false,
                List.of(), Set.of());
        fixture.givenNoPriorActivity()
                .when(new RecordKeysQuery(USER, T1, bobs))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void identityWithATamperedSsk_keepsThePreviousIdentityAndRecordsTheRejection() {
        KeyRejection badSsk = new KeyRejection("self_signing_key", "BAD_MASTER_SIGNATURE",
                "ed25519:" + msk(ALICE_RESET), "bad master signature", true,
                ALICE_RESET.selfSigningKeyJson(MasterSignature.BAD));
        UserKeysSnapshot tampered = new UserKeysSnapshot(USER, true, devices(PHONE), ALICE_RESET.masterKeyJson(), null,
                null, true, List.of(badSsk), Set.of());
        fixture.given(fetched(T1, devices(PHONE)), accepted(T1, ALICE, null, IdentityTrust.NONE))
                .when(new RecordKeysQuery(USER, T2, tampered))
                .expectEvents(new DeviceKeysFetched(USER, T2, true, devices(PHONE), Set.of(), Set.of(), Set.of(), Set.of()),
                        new KeysRejected(USER, T2, List.of(badSsk)));
    }

    @Test
    void verifyingTheCurrentMsk_marksItVerified() {
        fixture.given(fetched(T1, devices(PHONE)), accepted(T1, ALICE, null, IdentityTrust.NONE))
                .when(new VerifyMasterKey(USER, msk(ALICE)))
                .expectEvents(new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)));
    }

    @Test
    void verifyingAnAlreadyVerifiedMsk_recordsNothing() {
        fixture.given(accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)))
                .when(new VerifyMasterKey(USER, msk(ALICE)))
                .expectNoEvents();
    }

    @Test
    void verifyingAKeyThatIsNotCurrentYet_isRecordedButNotTrusted() {
        fixture.given(accepted(T1, ALICE, null, IdentityTrust.NONE))
                .when(new VerifyMasterKey(USER, msk(ALICE_RESET)))
                .expectEvents(new MskVerified(USER, msk(ALICE_RESET), IdentityTrust.NONE));
    }

    @Test
    void verifiedKeyThatBecomesCurrent_isTrustedAsVerified() {
        fixture.given(accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE_RESET), IdentityTrust.NONE))
                .when(new RecordKeysQuery(USER, T2, snapshot(devices(PHONE), ALICE_RESET)))
                .expectEvents(new DeviceKeysFetched(USER, T2, true, devices(PHONE), Set.of(PHONE), Set.of(), Set.of(),
                                Set.of()),
                        accepted(T2, ALICE_RESET, msk(ALICE), new IdentityTrust(true, false)));
    }

    @Test
    void verifyingBeforeAnyKeysAreKnown_appliesOnceTheKeyArrives() {
        fixture.given(new MskVerified(USER, msk(ALICE), IdentityTrust.NONE))
                .when(new RecordKeysQuery(USER, T1, snapshot(devices(PHONE), ALICE)))
                .expectEvents(new DeviceKeysFetched(USER, T1, true, devices(PHONE), Set.of(PHONE), Set.of(), Set.of(),
                                Set.of()),
                        accepted(T1, ALICE, null, new IdentityTrust(true, false)));
    }

    @Test
    void rotationAfterVerification_isPreviouslyVerified() {
        fixture.given(fetched(T1, devices(PHONE)), accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)))
                .when(new RecordKeysQuery(USER, T2, snapshot(devices(PHONE), ALICE_RESET)))
                .expectEvents(new DeviceKeysFetched(USER, T2, true, devices(PHONE), Set.of(), Set.of(), Set.of(), Set.of()),
                        accepted(T2, ALICE_RESET, msk(ALICE), new IdentityTrust(false, true)));
    }

    @Test
    void rotationBackToTheVerifiedKey_isVerifiedAgain() {
        fixture.given(fetched(T1, devices(PHONE)), accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)),
                        accepted(T2, ALICE_RESET, msk(ALICE), new IdentityTrust(false, true)))
                .when(new RecordKeysQuery(USER, T3, snapshot(devices(PHONE), ALICE)))
                .expectEvents(new DeviceKeysFetched(USER, T3, true, devices(PHONE), Set.of(), Set.of(), Set.of(), Set.of()),
                        accepted(T3, ALICE, msk(ALICE_RESET), new IdentityTrust(true, false)));
    }

    @Test
    void withdrawal_clearsVerifiedAndPreviouslyVerified() {
        fixture.given(accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)),
                        accepted(T2, ALICE_RESET, msk(ALICE), new IdentityTrust(false, true)))
                .when(new WithdrawVerification(USER))
                .expectEvents(new VerificationWithdrawn(USER, IdentityTrust.NONE));
    }

    @Test
    void withdrawalWithNothingVerified_appendsNoEvent() {
        fixture.given(accepted(T1, ALICE, null, IdentityTrust.NONE))
                .when(new WithdrawVerification(USER))
                .expectNoEvents();
    }

    @Test
    void withdrawalForAnUnknownUser_appendsNoEvent() {
        fixture.givenNoPriorActivity()
                .when(new WithdrawVerification(USER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void secondWithdrawal_appendsNoEvent() {
        fixture.given(accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)),
                        new VerificationWithdrawn(USER, IdentityTrust.NONE))
                .when(new WithdrawVerification(USER))
                .expectNoEvents();
    }

    @Test
    void rotationAfterWithdrawal_isNotPreviouslyVerified() {
        fixture.given(fetched(T1, devices(PHONE)), accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)),
                        new VerificationWithdrawn(USER, IdentityTrust.NONE))
                .when(new RecordKeysQuery(USER, T2, snapshot(devices(PHONE), ALICE_RESET)))
                .expectEvents(new DeviceKeysFetched(USER, T2, true, devices(PHONE), Set.of(), Set.of(), Set.of(), Set.of()),
                        accepted(T2, ALICE_RESET, msk(ALICE), IdentityTrust.NONE));
    }

    @Test
    void verifyingAgainAfterWithdrawal_isRecorded() {
        fixture.given(accepted(T1, ALICE, null, IdentityTrust.NONE),
                        new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)),
                        new VerificationWithdrawn(USER, IdentityTrust.NONE))
                .when(new VerifyMasterKey(USER, msk(ALICE)))
                .expectEvents(new MskVerified(USER, msk(ALICE), new IdentityTrust(true, false)));
    }

    @Test
    void failedQuery_isRecorded() {
        fixture.givenNoPriorActivity()
                .when(new RecordKeysQueryFailure(USER, T1, 2, "HTTP 502"))
                .expectEvents(new KeysQueryFailed(USER, T1, 2, "HTTP 502"));
    }

    @Test
    void abandonedQuery_isRecorded() {
        fixture.given(new KeysQueryFailed(USER, T1, 12, "timeout"))
                .when(new AbandonKeysQuery(USER, 12, Set.of("curveKey")))
                .expectEvents(new KeysQueryAbandoned(USER, 12, Set.of("curveKey")));
    }

    @Test
    void failureDoesNotMoveTheNewestAppliedResponse() {
        fixture.given(new KeysQueryFailed(USER, T2, 1, "timeout"))
                .when(new RecordKeysQuery(USER, T1, snapshot(devices(PHONE), null)))
                .expectEvents(new DeviceKeysFetched(USER, T1, true, devices(PHONE), Set.of(PHONE), Set.of(), Set.of(),
                        Set.of()));
    }
}
