package io.keytrail.intake;

import java.util.Optional;

import org.springframework.stereotype.Component;

import io.keytrail.matrix.OwnDevice;

/**
 * Who "we" are: the local device, once an {@code own_device} input named it. Room keys are then checked
 * to be addressed to it, and our own cross-signing identity can vouch for other users: a master key
 * signed by our own user-signing key counts as verified once we verified our own master key.
 */
@Component
public class LocalAccount {
    private volatile OwnDevice ownDevice;

    public Optional<OwnDevice> ownDevice() {
        return Optional.ofNullable(ownDevice);
    }

    public Optional<String> userId() {
        return ownDevice().map(OwnDevice::userId);
    }

    public void set(OwnDevice device) {
        this.ownDevice = device;
    }
}
