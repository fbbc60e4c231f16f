package io.keytrail.identity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Key material from a {@code /keys/query} response that we refused, with the check that failed.
 *
 * @param what     {@code device:<id>}, {@code master_key}, {@code self_signing_key} or {@code user_signing_key}
 * @param check    the failed check (stable name, e.g. {@code BAD_MASTER_SIGNATURE})
 * @param keyId    the key id involved (the signer whose signature failed, or the refused key)
 * @param tampering true when the failure is evidence of tampering (a present but invalid signature)
 * @param material the refused JSON as received
 */
public record KeyRejection(String what, String check, String keyId, String reason, boolean tampering,
                           JsonNode material) {
}
