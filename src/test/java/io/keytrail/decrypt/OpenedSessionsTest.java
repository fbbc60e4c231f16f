package io.keytrail.decrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The opened-session cache as a plain object: it serves only what the store still says, and stays bounded. */
class OpenedSessionsTest {
    private final AtomicInteger opens = new AtomicInteger();
    private final OpenedSessions cache = new OpenedSessions(64);

    private OpenedSessions.Opened get(String id, String sealed, String senderData, String keyId) {
        return cache.get(id, sealed, senderData, keyId, () -> {
            opens.incrementAndGet();
            return new OpenedSessions.Opened(sealed, senderData, keyId, null, null);
        });
    }

    @Test
    void sameStoredValues_openTheSessionOnce() {
        OpenedSessions.Opened first = get("s", "sealed", "{\"a\":1}", "k1");

        assertThat(get("s", "sealed", "{\"a\":1}", "k1")).isSameAs(first);
        assertThat(opens).hasValue(1);
    }

    @Test
    void changedSenderData_reopens() {
        get("s", "sealed", "{\"a\":1}", "k1");

        assertThat(get("s", "sealed", "{\"b\":2}", "k1").senderDataJson()).isEqualTo("{\"b\":2}");
        assertThat(opens).hasValue(2);
    }

    @Test
    void changedSealedKey_reopens() {
        get("s", "sealed", "{}", "k1");

        assertThat(get("s", "better ratchet", "{}", "k1").sealedSessionKey()).isEqualTo("better ratchet");
        assertThat(opens).hasValue(2);
    }

    @Test
    void otherSealingKey_reopens() {
        get("s", "sealed", "{}", "k1");
        get("s", "sealed", "{}", "k2");

        assertThat(opens).hasValue(2);
    }

    @Test
    void forgottenSession_reopens_andClearForgetsAll() {
        get("s", "sealed", "{}", "k1");
        get("t", "sealed", "{}", "k1");
        cache.forget("s");
        get("s", "sealed", "{}", "k1");
        assertThat(opens).hasValue(3);

        cache.clear();

        assertThat(cache.size()).isZero();
    }

    @Test
    void manySessions_stayWithinTheBound() {
        for (int i = 0; i < 1_000; i++) {
            get("session-" + i, "sealed", "{}", "k1");
        }

        assertThat(cache.size()).isLessThanOrEqualTo(64).isPositive();
    }

    @Test
    void leastRecentlyUsedIsEvictedFirst() {
        StripedLru<String> lru = new StripedLru<>(2 * StripedLru.STRIPES);
        String[] keys = sameStripe(3);
        lru.put(keys[0], "0");
        lru.put(keys[1], "1");
        lru.get(keys[0]);
        lru.put(keys[2], "2");

        assertThat(lru.get(keys[1])).as("the least recently used of the stripe").isNull();
        assertThat(lru.get(keys[0])).isEqualTo("0");
        assertThat(lru.get(keys[2])).isEqualTo("2");
    }

    @Test
    void capacityBelowTheStripeCount_isRefused() {
        assertThatThrownBy(() -> new StripedLru<String>(StripedLru.STRIPES - 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code n} keys that land in one stripe. */
    private static String[] sameStripe(int n) {
        String[] out = new String[n];
        int found = 0;
        int stripe = Math.floorMod("k0".hashCode(), StripedLru.STRIPES);
        for (int i = 0; i < 100_000 && found < n; i++) {
            String key = "k" + i;
            if (Math.floorMod(key.hashCode(), StripedLru.STRIPES) == stripe) {
                out[found++] = key;
            }
        }
        assertThat(found).isEqualTo(n);
        return out;
    }
}
