package io.keytrail.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.crypto.backup.BackupCipher;
import io.keytrail.crypto.backup.BackupDecryptionKey;
import io.keytrail.crypto.backup.BackupVectors;
import io.keytrail.matrix.MatrixFormatException;
import io.keytrail.matrix.fixture.Mutations;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing of a whole key backup restore (issue 9): a mutated {@code GET /room_keys/keys} body gives
 * one result per session (restored or failed with a reason), or a format error when the body has no
 * {@code rooms} object; never another exception.
 */
class KeyBackupRestoreProperties {
    private static final BackupDecryptionKey KEY = BackupDecryptionKey.generate(new BackupVectors.FixedRandom(0x42));
    private static final ObjectNode BODY = body();

    private static ObjectNode body() {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("algorithm", "m.megolm.v1.aes-sha2").put("sender_key", "eDIRPZG6KCJK9gY92j+Q2nhYisaejXAjAGftPcBNGSs")
                .put("session_key", "AQAAAABexport").putObject("sender_claimed_keys")
                .put("ed25519", "A4dj1S49Xbg1JSrJb9vf5miVlI6XfFkS5rPztbmbSxc");
        entry.putArray("forwarding_curve25519_key_chain");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode data = body.putObject("rooms").putObject("!room:example.org").putObject("sessions")
                .putObject("3LGj1F8PX332hRNW8O7y2aDeWW4Lmafgg53CZ2yRWHU");
        data.put("first_message_index", 0).put("forwarded_count", 0).put("is_verified", false);
        data.set("session_data", BackupCipher.encrypt(entry.toString(), KEY.publicKey(), new BackupVectors.FixedRandom(9)));
        return body;
    }

    @Property
    void mutatedBackup_givesOneResultPerSessionOrAFormatError(@ForAll Random random) {
        JsonNode mutant = Mutations.tree(BODY, random);
        try {
            KeyBackupRestore.restore(mutant, KEY).forEach(result -> {
                if (result instanceof KeyBackupRestore.Failed failed) {
                    assertThat(failed.failure()).isNotNull();
                    assertThat(failed.message()).hasSizeLessThan(1_000);
                }
            });
        } catch (MatrixFormatException e) {
            assertThat(e.getMessage()).hasSizeLessThan(1_000);
        }
    }
}
