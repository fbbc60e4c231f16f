package io.keytrail.crypto.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Random;

import io.keytrail.crypto.backup.BackupVectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing of key export files (issue 9): arbitrary and mutated files give the payload or a
 * {@link KeyExportException}, never another exception; a mutated file never decrypts to other text
 * (the HMAC covers everything).
 */
class KeyExportFileProperties {
    private static final String PASSPHRASE = "fuzz passphrase";
    private static final String PAYLOAD = "[{\"room_id\":\"!r:x\",\"session_id\":\"s\"}]";
    /** One PBKDF2 round so that a try costs microseconds; mutations of the round count are kept small below. */
    private static final String FILE = KeyExportFile.encrypt(PAYLOAD, PASSPHRASE, 1, new BackupVectors.FixedRandom(7));

    private static final String ALPHABET = "AZaz09+/=\n\r -é";

    private static String mutate(String text, Random random) {
        StringBuilder s = new StringBuilder(text);
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(10)));
                case 2 -> s.insert(at, s, at, Math.min(s.length(), at + 1 + random.nextInt(10)));
                case 3 -> s.insert(at, "-----END MEGOLM SESSION DATA-----\n");
                default -> s.setLength(at);
            }
        }
        return s.toString();
    }

    /** The round count a mutant asks for, when it can be read; big ones are real work, not a parser bug. */
    private static long rounds(String file) {
        try {
            String body = file.replaceAll("(?s).*-----BEGIN MEGOLM SESSION DATA-----|-----END MEGOLM SESSION DATA-----.*", "");
            byte[] data = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
            return data.length < KeyExportFile.HEADER_LENGTH ? 0
                    : ByteBuffer.wrap(data, 1 + KeyExportFile.SALT_LENGTH + KeyExportFile.IV_LENGTH, 4).getInt() & 0xffffffffL;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    private static void decryptOrTyped(String file, String passphrase) {
        try {
            assertThat(KeyExportFile.decrypt(file, passphrase)).isEqualTo(PAYLOAD);
        } catch (KeyExportException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).hasSizeLessThan(1_000);
        }
    }

    @Property
    void anyText_isATypedError(@ForAll String text) {
        if (rounds(text) <= 1_000) {
            decryptOrTyped(text, PASSPHRASE);
        }
    }

    @Property
    void mutatedFile_decryptsToTheSamePayloadOrIsATypedError(@ForAll Random random) {
        String mutant = mutate(FILE, random);
        if (rounds(mutant) <= 1_000) {
            decryptOrTyped(mutant, random.nextInt(8) == 0 ? "wrong" : PASSPHRASE);
        }
    }
}
