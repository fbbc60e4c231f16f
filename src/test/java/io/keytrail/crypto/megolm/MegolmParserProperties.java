package io.keytrail.crypto.megolm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.keytrail.crypto.CryptoInputException;
import io.keytrail.crypto.UnpaddedBase64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the Megolm parsers (issue 9): session keys, exported session keys and messages, from
 * arbitrary text, arbitrary bytes and mutations of valid ones, give a value or a
 * {@link CryptoInputException} (of which {@link MegolmException} is one); never another exception.
 * A mutated message that still decrypts decrypts to the original plaintext (MAC and signature).
 */
class MegolmParserProperties {
    private static final OutboundGroupSession SENDER = OutboundGroupSession.fromSecrets(
            MegolmRatchet.of(7, TestMessages.STATE), TestMessages.KEY);
    private static final String SESSION_KEY = SENDER.sessionKey().toBase64();
    private static final InboundGroupSession RECEIVER = InboundGroupSession.fromSessionKey(SENDER.sessionKey());
    private static final String EXPORTED = RECEIVER.exportAtFirstKnownIndex().toBase64();
    private static final String PLAINTEXT = "{\"type\":\"m.room.message\",\"content\":{\"body\":\"fuzz\"}}";
    private static final String MESSAGE = SENDER.encrypt(PLAINTEXT);

    /** Flips, drops or inserts base64 characters, or changes decoded bytes and re-encodes them. */
    private static String mutate(String base64, Random random) {
        if (random.nextBoolean()) {
            byte[] bytes = UnpaddedBase64.decode(base64);
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt(bytes.length);
                switch (random.nextInt(3)) {
                    case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> bytes[at] = (byte) random.nextInt(256);
                    default -> bytes = java.util.Arrays.copyOf(bytes, at);
                }
                if (bytes.length == 0) {
                    break;
                }
            }
            return UnpaddedBase64.encode(bytes);
        }
        StringBuilder s = new StringBuilder(base64);
        int at = random.nextInt(s.length());
        switch (random.nextInt(4)) {
            case 0 -> s.setCharAt(at, "AZaz09+/=-_ !é".charAt(random.nextInt(14)));
            case 1 -> s.deleteCharAt(at);
            case 2 -> s.insert(at, "A".repeat(1 + random.nextInt(4)));
            default -> s.setLength(at);
        }
        return s.toString();
    }

    private static void typed(Runnable parse) {
        try {
            parse.run();
        } catch (CryptoInputException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(1_000);
        }
    }

    @Property
    void anyText_isASessionKeyExportOrMessage_orATypedError(@ForAll String text) {
        typed(() -> SessionKey.parse(text));
        typed(() -> ExportedSessionKey.parse(text));
        typed(() -> MegolmMessage.parse(text));
    }

    @Property
    void anyBytes_asBase64_giveOnlyTypedErrors(@ForAll @Size(max = 400) byte[] bytes) {
        String base64 = UnpaddedBase64.encode(bytes);
        typed(() -> SessionKey.parse(base64));
        typed(() -> ExportedSessionKey.parse(base64));
        typed(() -> MegolmMessage.fromBytes(bytes));
        typed(() -> RECEIVER.decrypt(base64));
    }

    @Property
    void mutatedSessionKey_isTheSameSessionOrATypedError(@ForAll Random random) {
        typed(() -> {
            SessionKey key = SessionKey.parse(mutate(SESSION_KEY, random));
            // The embedded signature covers everything: what parses is the sender's session.
            assertThat(key.sessionId()).isEqualTo(SENDER.sessionId());
        });
    }

    @Property
    void mutatedExportedSessionKey_parsesOrIsATypedError(@ForAll Random random) {
        typed(() -> InboundGroupSession.fromExport(ExportedSessionKey.parse(mutate(EXPORTED, random))));
    }

    @Property
    void mutatedMessage_decryptsToTheOriginalOrIsATypedError(@ForAll Random random) {
        typed(() -> {
            DecryptedMessage message = RECEIVER.decrypt(mutate(MESSAGE, random));
            assertThat(new String(message.plaintext(), StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
        });
    }
}
