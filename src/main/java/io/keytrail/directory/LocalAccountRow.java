package io.keytrail.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The local device, stored so that a restart (or a later replay on the same store) still knows who we are. */
@Entity
@Table(name = "kt_local_account")
public class LocalAccountRow {
    static final String ID = "local";

    @Id
    private String id = ID;
    @Column(nullable = false)
    private String userId;
    @Column(nullable = false)
    private String deviceId;
    @Column(nullable = false)
    private String curve25519;
    @Column(nullable = false)
    private String ed25519;

    protected LocalAccountRow() {
    }

    LocalAccountRow(String userId, String deviceId, String curve25519, String ed25519) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.curve25519 = curve25519;
        this.ed25519 = ed25519;
    }

    String userId() {
        return userId;
    }

    String deviceId() {
        return deviceId;
    }

    String curve25519() {
        return curve25519;
    }

    String ed25519() {
        return ed25519;
    }
}
