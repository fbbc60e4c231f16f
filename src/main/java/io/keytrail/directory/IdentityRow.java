package io.keytrail.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's accepted cross-signing identity and our trust in it. */
@Entity
@Table(name = "kt_identity")
public class IdentityRow {
    @Id
    private String userId;
    private String masterKey;
    @Column(length = 65535)
    private String masterKeyJson;
    @Column(length = 65535)
    private String selfSigningKeyJson;
    @Column(length = 65535)
    private String userSigningKeyJson;
    private boolean verified;
    private boolean previouslyVerified;

    protected IdentityRow() {
    }

    public IdentityRow(String userId) {
        this.userId = userId;
    }

    public String getUserId() {
        return userId;
    }

    public String getMasterKey() {
        return masterKey;
    }

    public String getMasterKeyJson() {
        return masterKeyJson;
    }

    public String getSelfSigningKeyJson() {
        return selfSigningKeyJson;
    }

    public String getUserSigningKeyJson() {
        return userSigningKeyJson;
    }

    public boolean isVerified() {
        return verified;
    }

    public boolean isPreviouslyVerified() {
        return previouslyVerified;
    }

    void setKeys(String masterKey, String masterKeyJson, String selfSigningKeyJson, String userSigningKeyJson) {
        this.masterKey = masterKey;
        this.masterKeyJson = masterKeyJson;
        this.selfSigningKeyJson = selfSigningKeyJson;
        this.userSigningKeyJson = userSigningKeyJson;
    }

    void setTrust(boolean verified, boolean previouslyVerified) {
        this.verified = verified;
        this.previouslyVerified = previouslyVerified;
    }
}
