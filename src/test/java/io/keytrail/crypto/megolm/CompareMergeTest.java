package io.keytrail.crypto.megolm;

import static org.assertj.core.api.Assertions.assertThat;

import io.keytrail.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

/** compare/merge of two copies of one session, and the engine's persistence round trip. */
class CompareMergeTest {
    private static final OutboundGroupSession SENDER =
            OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, TestMessages.STATE), TestMessages.KEY);
    /** Verified copy from the m.room_key at index 0. */
    private static final InboundGroupSession SIGNED = InboundGroupSession.fromSessionKey(SENDER.sessionKey());

    private static InboundGroupSession importedAt(long index) {
        return InboundGroupSession.fromExport(SIGNED.exportAt(index));
    }

    private static InboundGroupSession signedAt(long index) {
        return InboundGroupSession.fromSessionKey(OutboundGroupSession
                .fromSecrets(MegolmRatchet.of(0, TestMessages.STATE).advanceTo(index), TestMessages.KEY).sessionKey());
    }

    @Test
    void sameCopy_isEqualBothWays() {
        assertThat(SIGNED.compare(SIGNED)).isEqualTo(RatchetComparison.EQUAL);
        assertThat(importedAt(0).compare(SIGNED)).isEqualTo(RatchetComparison.EQUAL);
        assertThat(SIGNED.compare(importedAt(0))).isEqualTo(RatchetComparison.EQUAL);
    }

    @Test
    void earlierCopy_isBetter_laterCopyIsWorse_acrossReseedBoundaries() {
        for (long[] pair : new long[][] {{0, 1}, {0, 256}, {255, 256}, {200, 70_000}, {65_535, 1 << 24}}) {
            InboundGroupSession earlier = importedAt(pair[0]);
            InboundGroupSession later = importedAt(pair[1]);
            assertThat(earlier.compare(later)).as("%d vs %d", pair[0], pair[1]).isEqualTo(RatchetComparison.BETTER);
            assertThat(later.compare(earlier)).as("%d vs %d", pair[1], pair[0]).isEqualTo(RatchetComparison.WORSE);
        }
    }

    @Test
    void differentSigningKey_isUnconnected_evenWithTheSameRatchet() {
        InboundGroupSession otherKey = InboundGroupSession.fromSessionKey(OutboundGroupSession
                .fromSecrets(MegolmRatchet.of(0, TestMessages.STATE), Ed25519KeyPair.fromSeed(new byte[32])).sessionKey());
        assertThat(otherKey.compare(SIGNED)).isEqualTo(RatchetComparison.UNCONNECTED);
        assertThat(SIGNED.compare(otherKey)).isEqualTo(RatchetComparison.UNCONNECTED);
    }

    @Test
    void sameKeyButRatchetNotDerivedFromOurs_isUnconnected_atSameOrDifferentIndex() {
        byte[] forged = TestMessages.STATE.clone();
        forged[0] ^= 1; // in R0, which every later ratchet state derives from
        for (long index : new long[] {0, 1, 256, 70_000}) {
            InboundGroupSession fake = InboundGroupSession.fromSessionKey(OutboundGroupSession
                    .fromSecrets(MegolmRatchet.of(0, forged).advanceTo(index), TestMessages.KEY).sessionKey());
            assertThat(fake.sessionId()).isEqualTo(SIGNED.sessionId());
            assertThat(fake.compare(SIGNED)).as("index %d", index).isEqualTo(RatchetComparison.UNCONNECTED);
            assertThat(SIGNED.compare(fake)).as("index %d", index).isEqualTo(RatchetComparison.UNCONNECTED);
        }
    }

    @Test
    void forgedR3IsOverwrittenByTheReseedAt256_soFromThereOnTheCopyIsGenuine() {
        byte[] forgedR3 = TestMessages.STATE.clone();
        forgedR3[127] ^= 1;
        MegolmRatchet fake = MegolmRatchet.of(0, forgedR3);
        InboundGroupSession fakeAt255 = InboundGroupSession.fromSessionKey(
                OutboundGroupSession.fromSecrets(fake.advanceTo(255), TestMessages.KEY).sessionKey());
        InboundGroupSession fakeAt256 = InboundGroupSession.fromSessionKey(
                OutboundGroupSession.fromSecrets(fake.advanceTo(256), TestMessages.KEY).sessionKey());
        assertThat(fakeAt255.compare(SIGNED)).isEqualTo(RatchetComparison.UNCONNECTED);
        assertThat(fakeAt256.compare(SIGNED)).isEqualTo(RatchetComparison.WORSE);
    }

    @Test
    void mergeWithWorseCopy_keepsOurRatchet_andOrsTheVerifiedFlag() {
        InboundGroupSession merged = importedAt(0).merge(signedAt(10)).orElseThrow();
        assertThat(merged.firstKnownIndex()).isZero();
        assertThat(merged.signingKeyVerified()).isTrue();
        assertThat(merged.exportAtFirstKnownIndex()).isEqualTo(SIGNED.exportAt(0));
    }

    @Test
    void mergeWithBetterCopy_takesItsRatchet() {
        InboundGroupSession merged = signedAt(10).merge(importedAt(3)).orElseThrow();
        assertThat(merged.firstKnownIndex()).isEqualTo(3);
        assertThat(merged.signingKeyVerified()).isTrue();
        assertThat(merged).isEqualTo(signedAt(10).merge(importedAt(3)).orElseThrow());
        assertThat(importedAt(3).merge(signedAt(10))).contains(merged);
    }

    @Test
    void mergeOfTwoUnverifiedCopies_staysUnverified_andEqualCopiesMergeToThemselves() {
        InboundGroupSession merged = importedAt(5).merge(importedAt(5)).orElseThrow();
        assertThat(merged).isEqualTo(importedAt(5));
        assertThat(merged.signingKeyVerified()).isFalse();
        assertThat(SIGNED.merge(importedAt(0))).contains(SIGNED);
    }

    @Test
    void mergeWithUnconnectedCopy_isEmpty() {
        byte[] forged = TestMessages.STATE.clone();
        forged[0] ^= 1;
        InboundGroupSession fake = InboundGroupSession.fromExport(InboundGroupSession.fromSessionKey(
                OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, forged), TestMessages.KEY).sessionKey()).exportAt(4));
        assertThat(SIGNED.merge(fake)).isEmpty();
        assertThat(fake.merge(SIGNED)).isEmpty();
    }

    @Test
    void persistingAsExportAtFirstKnownIndexPlusFlag_roundTripsExactly() {
        for (InboundGroupSession original : new InboundGroupSession[] {SIGNED, importedAt(0), signedAt(300), importedAt(70_000)}) {
            String stored = original.exportAtFirstKnownIndex().toBase64();
            InboundGroupSession reloaded = InboundGroupSession.restore(ExportedSessionKey.parse(stored), original.signingKeyVerified());
            assertThat(reloaded).isEqualTo(original);
            assertThat(reloaded.compare(original)).isEqualTo(RatchetComparison.EQUAL);
            assertThat(reloaded.exportAtFirstKnownIndex().toBase64()).isEqualTo(stored);
            assertThat(reloaded.toString()).isEqualTo(original.toString());
        }
    }

    @Test
    void decryptingDoesNotAdvanceTheStoredRatchet() {
        OutboundGroupSession sender = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, TestMessages.STATE), TestMessages.KEY);
        String first = sender.encrypt("one");
        String later = OutboundGroupSession.fromSecrets(MegolmRatchet.of(0, TestMessages.STATE).advanceTo(500), TestMessages.KEY)
                .encrypt("five hundred");
        InboundGroupSession session = InboundGroupSession.fromSessionKey(SENDER.sessionKey());
        assertThat(session.decrypt(later).utf8()).isEqualTo("five hundred");
        assertThat(session.firstKnownIndex()).isZero();
        assertThat(session.decrypt(first).utf8()).isEqualTo("one");
    }
}
