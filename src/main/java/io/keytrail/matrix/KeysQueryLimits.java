package io.keytrail.matrix;

/**
 * How much of a {@code /keys/query} response Keytrail reads (design section 11). A user or device
 * beyond a limit is refused on its own, listed among the rejections; the rest of the response counts.
 *
 * @param maxUsers          users per response; users after the first {@code maxUsers} (in user id order) are refused
 * @param maxDevicesPerUser devices per user; a user listing more is refused as a whole (dropping some
 *                          devices would read as "those devices are gone")
 * @param maxObjectChars    characters of one device keys or cross-signing key object's JSON text
 */
public record KeysQueryLimits(int maxUsers, int maxDevicesPerUser, int maxObjectChars) {
    public static final KeysQueryLimits DEFAULT = new KeysQueryLimits(1_000, 1_000, Bounds.MAX_KEY_OBJECT_CHARS);

    public KeysQueryLimits {
        if (maxUsers < 1 || maxDevicesPerUser < 1 || maxObjectChars < 1) {
            throw new IllegalArgumentException("keys/query limits must be positive");
        }
    }
}
