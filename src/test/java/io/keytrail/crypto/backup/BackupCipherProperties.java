package io.keytrail.crypto.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.matrix.fixture.Mutations;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing of key backup decryption (issue 9): mutated {@code session_data} gives the plaintext or a
 * {@link BackupDecryptionException}; any text as a backup key gives a key or an
 * {@link InvalidBackupKeyException}; never another exception.
 */
class BackupCipherProperties {
    private static final BackupDecryptionKey KEY = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(0x42));
    private static final String PLAINTEXT = "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_key\":\"AQAA\"}";
    private static final ObjectNode SESSION_DATA = BackupCipher.encrypt(PLAINTEXT, KEY.publicKey(),
            new BackupVectors.FixedRandom(0x17));

    @Property
    void mutatedSessionData_decryptsToTheSameTextOrIsATypedError(@ForAll Random random) {
        JsonNode mutant = random.nextBoolean() ? Mutations.tree(SESSION_DATA, random) : base64Mutant(random);
        try {
            assertThat(BackupCipher.decrypt(mutant, KEY)).isEqualTo(PLAINTEXT);
        } catch (BackupDecryptionException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).hasSizeLessThan(1_000);
        }
    }

    /** One of the three base64 fields with a character changed, dropped or added. */
    private static JsonNode base64Mutant(Random random) {
        ObjectNode copy = SESSION_DATA.deepCopy();
        String field = new String[] {"ephemeral", "ciphertext", "mac"}[random.nextInt(3)];
        StringBuilder s = new StringBuilder(copy.get(field).textValue());
        int at = random.nextInt(s.length());
        switch (random.nextInt(3)) {
            case 0 -> s.setCharAt(at, "AZaz09+/=".charAt(random.nextInt(9)));
            case 1 -> s.deleteCharAt(at);
            default -> s.insert(at, "AAAA");
        }
        return copy.put(field, s.toString());
    }

    @Property
    void anyText_isABackupKeyOrATypedError(@ForAll String text) {
        try {
            BackupDecryptionKey.parse(text);
        } catch (CryptoInputException e) {
            assertThat(e.getMessage()).hasSizeLessThan(1_000);
        }
    }

    @Property
    void mutatedRecoveryKey_isAKeyOrATypedError(@ForAll Random random) {
        StringBuilder s = new StringBuilder(KEY.toRecoveryKey());
        int at = random.nextInt(s.length());
        switch (random.nextInt(3)) {
            case 0 -> s.setCharAt(at, Base58.ALPHABET.charAt(random.nextInt(58)));
            case 1 -> s.deleteCharAt(at);
            default -> s.insert(at, Base58.ALPHABET.charAt(random.nextInt(58)));
        }
        try {
            // The one-byte parity does not catch every change (a base58 character spans bytes): a
            // different key may parse, which is why a restore checks the key against the backup's auth_data.
            assertThat(BackupDecryptionKey.parse(s.toString()).publicKey()).isNotNull();
        } catch (InvalidBackupKeyException e) {
            assertThat(e.getMessage()).hasSizeLessThan(1_000);
        }
    }
}
