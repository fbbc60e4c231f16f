package io.keytrail.matrix;

import java.util.Collections;
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
public record KeysQueryResponse(Map<String, UserKeys> users, Map<String, JsonNode> failures) {
    private static final String[] SECTIONS = {"device_keys", "master_keys", "self_signing_keys", "user_signing_keys"};

    public KeysQueryResponse {
        users = Collections.unmodifiableMap(new TreeMap<>(users));
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

    /**
     * Validates a response body.
     *
     * @throws MatrixFormatException only if the body is not an object or one of its top-level maps is
     *     not an object; everything below that is reported per user as a {@link Rejection}
     */
    public static KeysQueryResponse parse(JsonNode body) {
        ObjectNode root = Fields.object(body, "/keys/query response");
        TreeSet<String> userIds = new TreeSet<>();
        for (String section : SECTIONS) {
            userIds.addAll(section(root, section).keySet());
        }
        Map<String, UserKeys> users = new TreeMap<>();
        for (String userId : userIds) {
            users.put(userId, KeysQueryValidator.validateUser(userId,
                    Optional.ofNullable(section(root, "master_keys").get(userId)),
                    Optional.ofNullable(section(root, "self_signing_keys").get(userId)),
                    Optional.ofNullable(section(root, "user_signing_keys").get(userId)),
                    Optional.ofNullable(section(root, "device_keys").get(userId))));
        }
        return new KeysQueryResponse(users, section(root, "failures"));
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
