package io.keytrail.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keytrail.crypto.UnpaddedBase64;

/** ADR 0012: per-session data keys wrapped by sealing keys; the v1 form stays readable. Plain objects. */
class SessionKeyVaultTest {
    private static final String SESSION = "!r:x|session-a";
    private static final String NEIGHBOUR = "!r:x|session-b";
    private final byte[] oldKey = key(1);
    private final byte[] newKey = key(2);
    private final InMemoryDataKeys dataKeys = new InMemoryDataKeys();
    private final SecureRandom random = new SecureRandom();

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private SessionKeyVault vault(byte[] current, byte[]... older) {
        return new SessionKeyVault(new SealingKeys(current, List.of(older)), dataKeys, random);
    }

    @Test
    void valuesSealedForABatch_openOnlyOnceTheirDataKeysAreStored_togetherInOneCall() {
        SessionKeyVault vault = vault(oldKey);
        SessionKeyVault.Batch batch = vault.batch();
        String first = batch.seal("first ratchet", SESSION);
        String second = batch.seal("second ratchet", NEIGHBOUR);

        assertThat(first).startsWith("v2:").doesNotContain("first ratchet");
        assertThatThrownBy(() -> vault.open(first, SESSION)).isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
        batch.store();

        assertThat(vault.open(first, SESSION)).isEqualTo("first ratchet");
        assertThat(vault.open(second, NEIGHBOUR)).isEqualTo("second ratchet");
        batch.store(); // nothing left to store: no second copy of a data key
        assertThat(vault.destroyDataKeys(SESSION)).isEqualTo(1);
    }

    @Test
    void sealedValue_isV2UnderItsOwnDataKey_namesNoKey_andOpens() {
        SessionKeyVault vault = vault(oldKey);
        String sealed = vault.seal("secret ratchet", SESSION);

        assertThat(sealed).startsWith("v2:").doesNotContain("secret ratchet").doesNotContain(UnpaddedBase64.encode(oldKey));
        assertThat(vault.open(sealed, SESSION)).isEqualTo("secret ratchet");
        assertThat(dataKeys.sealingKeyIdsInUse()).containsExactly(vault.keyId());
    }

    @Test
    void aValueSealedUnstored_opensOnlyOnceItsDataKeyIsStored_andGcmCiphersAreReusedSafely() {
        SessionKeyVault vault = vault(oldKey);
        SessionKeyVault.Sealed mine = vault.sealUnstored("mine", SESSION);
        SessionKeyVault.Sealed theirs = vault.sealUnstored("theirs", NEIGHBOUR);

        assertThat(mine.value()).startsWith("v2:" + mine.dataKey().dataKeyId() + ":").doesNotContain("mine");
        assertThat(mine.toString()).doesNotContain(mine.dataKey().wrapped());
        assertThatThrownBy(() -> vault.open(mine.value(), SESSION))
                .isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);

        vault.storeDataKeys(List.of(mine, theirs));

        // the same thread's cipher seals, fails to open an altered value, then opens both
        assertThatThrownBy(() -> vault.open(mine.value(), NEIGHBOUR))
                .isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
        assertThat(vault.open(mine.value(), SESSION)).isEqualTo("mine");
        assertThat(vault.open(theirs.value(), NEIGHBOUR)).isEqualTo("theirs");
        assertThat(vault.destroyDataKeys(SESSION)).isEqualTo(1);
    }

    @Test
    void aRandomSourceThatRepeats_stillSealsTheSameValueTwice_asTheGoldenFixturesNeed() {
        SecureRandom repeating = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 7);
            }
        };
        SessionKeyVault vault = new SessionKeyVault(new SealingKeys(oldKey, List.of()), dataKeys, repeating);

        String first = vault.sealV1("same", SESSION);

        assertThat(vault.sealV1("same", SESSION)).isEqualTo(first);
        assertThat(vault.open(first, SESSION)).isEqualTo("same");
    }

    @Test
    void destroyingASessionsDataKeys_makesItUnreadable_andLeavesItsNeighbourReadable() {
        SessionKeyVault vault = vault(oldKey);
        String mine = vault.seal("mine", SESSION);
        String improved = vault.seal("mine, earlier index", SESSION);
        String theirs = vault.seal("theirs", NEIGHBOUR);

        assertThat(vault.destroyDataKeys(SESSION)).isEqualTo(2);

        assertThatThrownBy(() -> vault.open(mine, SESSION)).isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class)
                .hasMessageContaining("destroyed");
        assertThatThrownBy(() -> vault.open(improved, SESSION))
                .isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
        assertThat(vault.open(theirs, NEIGHBOUR)).isEqualTo("theirs");
    }

    @Test
    void aSealedValueMovedToAnotherSession_doesNotOpen() {
        SessionKeyVault vault = vault(oldKey);
        String sealed = vault.seal("mine", SESSION);

        assertThatThrownBy(() -> vault.open(sealed, NEIGHBOUR)).isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
    }

    @Test
    void dataKeyWrappedByAnUnconfiguredSealingKey_failsNamingOnlyTheKeyId() {
        String sealed = vault(oldKey).seal("mine", SESSION);
        SessionKeyVault other = vault(newKey);

        assertThatThrownBy(() -> other.open(sealed, SESSION)).isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class)
                .hasMessageContaining(SealingKeys.idOf(oldKey)).hasMessageContaining("not configured")
                .hasMessageNotContaining(UnpaddedBase64.encode(oldKey));
    }

    @Test
    void rotation_rewrapsDataKeys_thenTheOldSealingKeyIsNotNeeded() {
        String sealed = vault(oldKey).seal("mine", SESSION);
        SessionKeyVault rotating = vault(newKey, oldKey);

        for (DataKeys.Wrapped wrapped : dataKeys.wrappedByOtherThan(rotating.keyId(), "", 100)) {
            assertThat(rotating.rewrap(wrapped)).isTrue();
        }

        assertThat(dataKeys.countWrappedByOtherThan(rotating.keyId())).isZero();
        assertThat(vault(newKey).open(sealed, SESSION)).isEqualTo("mine");
    }

    @Test
    void rewrapOfADataKeyAnotherNodeRewrappedFirst_reportsFalse() {
        vault(oldKey).seal("mine", SESSION);
        SessionKeyVault rotating = vault(newKey, oldKey);
        DataKeys.Wrapped stale = dataKeys.wrappedByOtherThan(rotating.keyId(), "", 1).get(0);
        assertThat(rotating.rewrap(stale)).isTrue();

        assertThat(rotating.rewrap(stale)).isFalse();
    }

    @Test
    void v1Value_opensWithItsSealingKeyConfiguredAsOldKey_andNamesTheMissingKeyOtherwise() {
        String v1 = vault(oldKey).sealV1("legacy", SESSION);

        assertThat(SessionKeyVault.legacySealingKeyId(v1)).contains(SealingKeys.idOf(oldKey));
        assertThat(vault(newKey, oldKey).open(v1, SESSION)).isEqualTo("legacy");
        assertThatThrownBy(() -> vault(newKey).open(v1, SESSION))
                .isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class)
                .hasMessageContaining(SealingKeys.idOf(oldKey));
    }

    @Test
    void unknownFormatOrAlteredCiphertext_isUnavailable_notACrash() {
        SessionKeyVault vault = vault(oldKey);
        String sealed = vault.seal("mine", SESSION);
        String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("AA") ? "BB" : "AA");

        assertThatThrownBy(() -> vault.open("v9:x:y:z", SESSION)).isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
        assertThatThrownBy(() -> vault.open(null, SESSION)).isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
        assertThatThrownBy(() -> vault.open(altered, SESSION)).isInstanceOf(SessionKeyVault.SessionKeyUnavailableException.class);
    }

    @Test
    void sealingKeys_rejectAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> new SealingKeys(new byte[16], List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
