package io.keytrail.crypto;

/**
 * Input that cannot be parsed as the key, signature or encoding it claims to be.
 *
 * <p>Thrown by the parsing constructors of the crypto types ("parse, don't validate"), so a value
 * that exists is valid. The message names what was wrong in words a user can act on.
 */
public class CryptoInputException extends RuntimeException {
    public CryptoInputException(String message) {
        super(message);
    }

    public CryptoInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
