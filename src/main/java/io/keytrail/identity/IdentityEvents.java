package io.keytrail.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axonframework.serialization.Revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.trust.DeviceStanding;

/**
 * Events of the per-user identity aggregate. Immutable and versioned: change them only with a new
 * revision and an upcaster.
 */
public final class IdentityEvents {
    private IdentityEvents() {
    }

    /**
     * Our trust in the user's current MSK after the event.
     *
     * @param verified           the current MSK is one the local user verified
     * @param previouslyVerified an earlier MSK was verified and the current one is not
     */
    public record IdentityTrust(boolean verified, boolean previouslyVerified) {
        public static final IdentityTrust NONE = new IdentityTrust(false, false);
    }

    /**
     * A user's devices as of a {@code /keys/query} response. When {@code listed}, {@code devices} is the
     * full list (a device absent is gone); otherwise the response had no device list for the user and
     * {@code devices} repeats the list we kept. {@code standings} holds each listed device's cross-signing as
     * checked on arrival (by device id); events written before it existed read with an empty map, and an
     * empty map is not written, so such events are stored exactly as before.
     */
    @Revision("1")
    public record DeviceKeysFetched(String userId, Instant requestedAt, boolean listed, Map<String, ObjectNode> devices,
                                    Set<String> added, Set<String> changed, Set<String> removed,
                                    Set<String> taintedDeviceIds,
                                    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, DeviceStanding> standings) {
        public DeviceKeysFetched {
            standings = standings == null ? Map.of() : Map.copyOf(standings);
        }

        public DeviceKeysFetched(String userId, Instant requestedAt, boolean listed, Map<String, ObjectNode> devices,
                                 Set<String> added, Set<String> changed, Set<String> removed,
                                 Set<String> taintedDeviceIds) {
            this(userId, requestedAt, listed, devices, added, changed, removed, taintedDeviceIds, Map.of());
        }
    }

    /** A new or changed cross-signing identity was accepted (SSK validly signed by the MSK). */
    @Revision("1")
    public record CrossSigningKeysAccepted(String userId, Instant requestedAt, ObjectNode masterKey, ObjectNode selfSigningKey,
                                           ObjectNode userSigningKey, String previousMasterKey,
                                           IdentityTrust trust) {
    }

    /** Key material refused, with the failed check: evidence for the audit trail. */
    @Revision("1")
    public record KeysRejected(String userId, Instant requestedAt, List<KeyRejection> rejections) {
    }

    /** A response older than the newest applied one arrived and was ignored. */
    @Revision("1")
    public record KeysQueryIgnored(String userId, Instant requestedAt, Instant newestApplied) {
    }

    /** A query for the user failed (HTTP error, timeout, unreachable server, user absent from the answer). */
    @Revision("1")
    public record KeysQueryFailed(String userId, Instant requestedAt, int attempt, String reason) {
    }

    /**
     * The slow lane gave up on the user's missing devices; sessions keep their best-known sender data
     * and are still shown per policy. A later {@code DeviceKeysFetched} from any source still re-decides them.
     */
    @Revision("1")
    public record KeysQueryAbandoned(String userId, int attempts, Set<String> missingCurveKeys) {
    }

    @Revision("1")
    public record MskVerified(String userId, String masterKey, IdentityTrust trust) {
    }

    /**
     * The user's master key is verified through cross-signing: our own USK signed it, and our own master
     * key is verified. Carries both signed objects as evidence.
     */
    @Revision("1")
    public record MskVerifiedByUserSigningKey(String userId, String masterKey, ObjectNode ownUserSigningKey,
                                              ObjectNode signedMasterKey, IdentityTrust trust) {
    }

    @Revision("1")
    public record VerificationWithdrawn(String userId, IdentityTrust trust) {
    }
}
