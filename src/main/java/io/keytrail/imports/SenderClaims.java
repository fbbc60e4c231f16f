package io.keytrail.imports;

import io.keytrail.directory.SessionRow;
import io.keytrail.directory.JsonText;
import io.keytrail.session.ImportClaim;
import io.keytrail.trust.SenderData;
import io.keytrail.trust.SenderDataJson;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The namespaced fields a Keytrail export or backup entry carries so that the Keytrail reading it knows
 * who created each session (issue 12, matrix-rust-sdk #3548; ADR 0018). Other clients ignore unknown
 * fields of {@code ExportedSessionData} and {@code BackedUpSessionData}, and files from other clients
 * have none of these, so both directions interoperate.
 *
 * <ul>
 * <li>{@value #SENDER}: the session owner's user id: the user Olm authenticated when we received it,
 *     or, for a session we imported, the owner its own claim named.</li>
 * <li>{@value #SENDER_DATA}: the sender data we had decided, in matrix-rust-sdk's {@code SenderData} JSON
 *     (the shape {@link SenderDataJson} writes, e.g. {@code {"SenderUnverified":{"user_id",…}}}).</li>
 * </ul>
 *
 * <p>Read back, both are a claim (an export is protected only by its passphrase): the session stays
 * legacy, the claim is stored beside it, and its user id is whose keys the background fetches.
 */
public final class SenderClaims {
    public static final String SENDER = "io.keytrail.sender";
    public static final String SENDER_DATA = "io.keytrail.sender_data";
    private static final int MAX_USER_ID_LENGTH = 255;
    private static final Logger log = LoggerFactory.getLogger(SenderClaims.class);

    private SenderClaims() {
    }

    /** Adds the two fields for {@code row} to an export or backup entry. */
    static ObjectNode write(ObjectNode entry, SessionRow row) {
        String owner = row.getSender() != null ? row.getSender() : row.getClaimedSender();
        if (owner != null) {
            entry.put(SENDER, owner);
        }
        entry.set(SENDER_DATA, JsonText.parse(row.getSenderDataJson()));
        return entry;
    }

    /**
     * The claim an entry carries, or null (files from other clients). A malformed claim is no claim: it
     * could only ever have named whose keys to fetch, so dropping it loses nothing that was proven.
     */
    static ImportClaim read(JsonNode entry) {
        String user = null;
        JsonNode sender = entry.get(SENDER);
        if (sender != null && sender.isTextual() && isUserId(sender.textValue())) {
            user = sender.textValue();
        } else if (sender != null) {
            log.info("ignoring a malformed {} claim in an imported session", SENDER);
        }
        SenderData data = null;
        JsonNode senderData = entry.get(SENDER_DATA);
        if (senderData != null) {
            try {
                data = SenderDataJson.read(senderData);
            } catch (RuntimeException e) {
                log.info("ignoring a malformed {} claim in an imported session: {}", SENDER_DATA, e.getMessage());
            }
        }
        if (data != null && user == null) {
            user = data.userId().filter(SenderClaims::isUserId).orElse(null);
        }
        return ImportClaim.of(user, data);
    }

    private static boolean isUserId(String id) {
        return id.startsWith("@") && id.indexOf(':') > 1 && id.length() <= MAX_USER_ID_LENGTH;
    }
}
