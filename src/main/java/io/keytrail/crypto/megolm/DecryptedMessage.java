package io.keytrail.crypto.megolm;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An authenticated, decrypted Megolm message: the index it was encrypted at (for replay detection:
 * remember {@code (session_id, index)} per event) and the plaintext, normally the JSON
 * {@code {"type", "content", "room_id"}}. The plaintext array is copied in and out.
 */
public record DecryptedMessage(long messageIndex, byte[] plaintext) {

    public DecryptedMessage {
        plaintext = plaintext.clone();
    }

    @Override
    public byte[] plaintext() {
        return plaintext.clone();
    }

    /** The plaintext as UTF-8 text; malformed UTF-8 is refused rather than silently replaced. */
    public String utf8() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plaintext))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MegolmException(MegolmException.Reason.INVALID_UTF8,
                    "the decrypted Megolm message at index " + messageIndex + " is not valid UTF-8", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecryptedMessage other && messageIndex == other.messageIndex
                && Arrays.equals(plaintext, other.plaintext);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(messageIndex) * 31 + Arrays.hashCode(plaintext);
    }

    /** Plaintext is not shown: it may be a private message. */
    @Override
    public String toString() {
        return "DecryptedMessage[messageIndex=" + messageIndex + ", plaintextLength=" + plaintext.length + "]";
    }
}
