package io.keytrail.decrypt;

import io.keytrail.trust.TrustPolicy;

/**
 * What decryption reports to operations (metrics, ADR 0015): one call per decrypt request with its
 * policy and outcome. Implemented in {@code api}; it must not throw.
 */
public interface DecryptObserver {
    /** Observes nothing (the default). */
    DecryptObserver NONE = (policy, outcome) -> { };

    /**
     * @param policy  the policy asked for, or {@code null} when the request named none that is valid
     * @param outcome {@code shown}, {@code withheld} (the policy withheld it) or the refusal code in lower
     *                case ({@code unknown_session}, {@code bad_mac}, ...)
     */
    void decrypted(TrustPolicy policy, String outcome);
}
