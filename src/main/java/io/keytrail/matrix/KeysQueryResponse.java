package io.keytrail.matrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated {@code POST /keys/query} response body (spec: keys.yaml; design section 4).
 *
 * <p>Each user is validated on its own and each device on its own: one bad user or device never
 * hides the others. Only the top-level shape (a JSON object whose maps are objects) can fail the
 * whole response, because then no user can be read at all.
 *
 * @param users    every user named in {@code device_keys}, {@code master_keys}, {@code self_signing_keys}
 *                 or {@code user_signing_keys}, in user id order
 * @param failures {@code failures}: homeservers that could not be reached, with their error objects
 */
public record KeysQueryResponse(Map<String, UserKeys> users, Map<String, JsonNode> failures,
                                List<Rejection> refusedUsers) {
    private static final String[] SECTIONS = {"device_keys", "master_keys", "self_signing_keys", "user_signing_keys"};

    public KeysQueryResponse {
        users = Collections.unmodifiableMap(new TreeMap<>(users));
        refusedUsers = List.copyOf(refusedUsers);
        TreeMap<String, JsonNode> copies = new TreeMap<>();
        failures.forEach((server, error) -> copies.put(server, error.deepCopy()));
        failures = Collections.unmodifiableMap(copies);
    }

    /** Copies of the failure objects (JSON nodes are mutable; the record stays immutable). */
    @Override
    public Map<String, JsonNode> failures() {
        TreeMap<String, JsonNode> copies = new TreeMap<>();
        failures.forEach((server, error) -> copies.put(server, error.deepCopy()));
        return Collections.unmodifiableMap(copies);
    }

    /** The validated keys of {@code userId}, if the response named that user. */
    public Optional<UserKeys> user(String userId) {
        return Optional.ofNullable(users.get(userId));
    }

    /** Validates a response body under the default limits. */
    public static KeysQueryResponse parse(JsonNode body) {
        return parse(body, KeysQueryLimits.DEFAULT);
    }

    /**
     * Validates a response body.
     *
     * @param limits users and devices beyond these are refused one by one, in {@link #refusedUsers()}
     *               or the user's own rejections, never by failing the response
     * @throws MatrixFormatException only if the body is not an object or one of its top-level maps is
     *     not an object; everything below that is reported per user as a {@link Rejection}
     */
    public static KeysQueryResponse parse(JsonNode body, KeysQueryLimits limits) {
        ObjectNode root = Fields.object(body, "/keys/query response");
        TreeSet<String> userIds = new TreeSet<>();
        for (String section : SECTIONS) {
            userIds.addAll(section(root, section).keySet());
        }
        Map<String, UserKeys> users = new TreeMap<>();
        List<Rejection> refused = new ArrayList<>();
        for (String userId : userIds) {
            Optional<Rejection> overLimit = overLimit(userId, users.size(), section(root, "device_keys").get(userId), limits);
            if (overLimit.isPresent()) {
                refused.add(overLimit.get());
                continue;
            }
            users.put(userId, KeysQueryValidator.validateUser(userId, limits,
                    Optional.ofNullable(section(root, "master_keys").get(userId)),
                    Optional.ofNullable(section(root, "self_signing_keys").get(userId)),
                    Optional.ofNullable(section(root, "user_signing_keys").get(userId)),
                    Optional.ofNullable(section(root, "device_keys").get(userId))));
        }
        return new KeysQueryResponse(users, section(root, "failures"), refused);
    }

    /** Why a whole user is refused before its keys are read, if it is. */
    private static Optional<Rejection> overLimit(String userId, int accepted, JsonNode devices, KeysQueryLimits limits) {
        String message = null;
        if (!Bounds.isIdSized(userId)) {
            message = "the user id is longer than " + Bounds.MAX_ID_BYTES + " bytes, the Matrix limit for ids";
        } else if (accepted >= limits.maxUsers()) {
            message = "the response lists more than " + limits.maxUsers() + " users; this one is beyond the limit";
        } else if (devices != null && devices.isObject() && devices.size() > limits.maxDevicesPerUser()) {
            message = "the user lists " + devices.size() + " devices; at most " + limits.maxDevicesPerUser() + " are read";
        }
        return Optional.ofNullable(message).map(m -> new Rejection(Bounds.isIdSized(userId) ? userId : Bounds.shorten(userId),
                Rejection.USER, RejectionReason.OVER_LIMIT, Optional.empty(), Optional.empty(), m, null));
    }

    /** A response with no refused users (for tests and callers that build one by hand). */
    public KeysQueryResponse(Map<String, UserKeys> users, Map<String, JsonNode> failures) {
        this(users, failures, List.of());
    }

    private static Map<String, JsonNode> section(ObjectNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        ObjectNode object = Fields.object(node, "/keys/query response." + name);
        Map<String, JsonNode> entries = new TreeMap<>();
        object.properties().forEach(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }
}
