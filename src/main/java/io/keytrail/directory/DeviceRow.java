package io.keytrail.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/** A device as last fetched; looked up by the creator's curve25519 key on the fast lane. */
@Entity
@Table(name = "kt_device", indexes = {
        @Index(name = "kt_device_user", columnList = "userId"),
        @Index(name = "kt_device_curve", columnList = "curve25519")})
public class DeviceRow {
    /** {@code userId|deviceId}: two ids of at most 255 bytes each (design section 11). */
    @Id
    @Column(length = 512)
    private String id;
    @Column(nullable = false)
    private String userId;
    @Column(nullable = false)
    private String deviceId;
    private String curve25519;
    @Column(nullable = false, length = 65535)
    private String json;
    private boolean tainted;
    /** The device's cross-signing as checked on arrival ({@code trust.DeviceStanding} as JSON), or null. */
    @Column(length = 65535)
    private String standingJson;

    protected DeviceRow() {
    }

    public DeviceRow(String userId, String deviceId, String curve25519, String json, boolean tainted) {
        this(userId, deviceId, curve25519, json, tainted, null);
    }

    public DeviceRow(String userId, String deviceId, String curve25519, String json, boolean tainted,
                     String standingJson) {
        this.id = userId + "|" + deviceId;
        this.userId = userId;
        this.deviceId = deviceId;
        this.curve25519 = curve25519;
        this.json = json;
        this.tainted = tainted;
        this.standingJson = standingJson;
    }

    public String getUserId() {
        return userId;
    }

    public String getDeviceId() {
        return deviceId;
    }

    public String getCurve25519() {
        return curve25519;
    }

    public String getJson() {
        return json;
    }

    public boolean isTainted() {
        return tainted;
    }

    public String getStandingJson() {
        return standingJson;
    }
}
