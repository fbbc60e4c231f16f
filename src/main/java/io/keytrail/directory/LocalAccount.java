package io.keytrail.directory;

import java.util.Optional;

import org.springframework.stereotype.Component;

import io.keytrail.crypto.Curve25519PublicKey;
import io.keytrail.crypto.Ed25519PublicKey;
import io.keytrail.matrix.OwnDevice;

/**
 * Who "we" are: the local device, once an {@code own_device} input named it. Room keys are then checked
 * to be addressed to it, and our own cross-signing identity can vouch for other users: a master key
 * signed by our own user-signing key counts as verified once we verified our own master key.
 *
 * <p>Stored, so that a restarted service or a later replay on the same store keeps checking recipients;
 * read once and cached.
 */
@Component
public class LocalAccount {
    private final LocalAccountRows rows;
    private volatile Optional<OwnDevice> cached;

    public LocalAccount(LocalAccountRows rows) {
        this.rows = rows;
    }

    public Optional<OwnDevice> ownDevice() {
        Optional<OwnDevice> known = cached;
        if (known == null) {
            known = rows.findById(LocalAccountRow.ID).map(row -> new OwnDevice(row.userId(), row.deviceId(),
                    Curve25519PublicKey.parse(row.curve25519()), Ed25519PublicKey.parse(row.ed25519())));
            cached = known;
        }
        return known;
    }

    public Optional<String> userId() {
        return ownDevice().map(OwnDevice::userId);
    }

    public synchronized void set(OwnDevice device) {
        rows.save(new LocalAccountRow(device.userId(), device.deviceId(), device.curve25519().toBase64(),
                device.ed25519().toBase64()));
        cached = Optional.of(device);
    }

    /**
     * Forgets who we are, as on a fresh store: for tests that share one engine, so that an own device set
     * by one test class does not check the recipients of the next. Not reachable from outside the room.
     */
    synchronized void forget() {
        rows.deleteAll();
        cached = Optional.empty();
    }
}
