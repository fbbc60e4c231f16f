package io.keytrail.matrix;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The validated keys of one user in a {@code /keys/query} response.
 *
 * <p>Only what passed every check is here; everything refused is in {@link #rejections()}, so a
 * caller never has to re-check a signature to know whether it may trust an accepted key. An
 * accepted SSK or USK implies an accepted MSK that validly signed it.
 *
 * @param devices     accepted devices by device id, in device id order
 * @param listsDevices whether the response had a {@code device_keys} entry for this user (the
 *                     response is a full snapshot of the devices of the users it lists)
 */
public record UserKeys(String userId, Optional<CrossSigningKey> masterKey, Optional<CrossSigningKey> selfSigningKey,
                       Optional<CrossSigningKey> userSigningKey, Map<String, AcceptedDevice> devices,
                       boolean listsDevices, List<Rejection> rejections) {
    public UserKeys {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(selfSigningKey, "selfSigningKey");
        Objects.requireNonNull(userSigningKey, "userSigningKey");
        devices = Collections.unmodifiableMap(new TreeMap<>(devices));
        rejections = List.copyOf(rejections);
    }

    /** The accepted device with this id, if any. */
    public Optional<AcceptedDevice> device(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /** The rejections that are evidence of tampering (see {@link RejectionReason#isTampering()}). */
    public List<Rejection> tampering() {
        return rejections.stream().filter(Rejection::isTampering).toList();
    }
}
