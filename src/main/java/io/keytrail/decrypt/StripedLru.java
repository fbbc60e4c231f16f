package io.keytrail.decrypt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map split in {@value #STRIPES} stripes by key hash: each stripe has its
 * own small lock held only for a map operation, so threads working on different keys rarely meet and
 * nobody ever waits for I/O or crypto behind it.
 */
final class StripedLru<V> {
    static final int STRIPES = 16;

    private final Map<String, V>[] stripes;

    @SuppressWarnings("unchecked")
    StripedLru(int capacity) {
        if (capacity < STRIPES) {
            throw new IllegalArgumentException("capacity must be at least " + STRIPES);
        }
        int perStripe = capacity / STRIPES;
        this.stripes = new Map[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                    return size() > perStripe;
                }
            };
        }
    }

    V get(String key) {
        Map<String, V> stripe = stripe(key);
        synchronized (stripe) {
            return stripe.get(key);
        }
    }

    void put(String key, V value) {
        Map<String, V> stripe = stripe(key);
        synchronized (stripe) {
            stripe.put(key, value);
        }
    }

    void remove(String key) {
        Map<String, V> stripe = stripe(key);
        synchronized (stripe) {
            stripe.remove(key);
        }
    }

    void clear() {
        for (Map<String, V> stripe : stripes) {
            synchronized (stripe) {
                stripe.clear();
            }
        }
    }

    int size() {
        int size = 0;
        for (Map<String, V> stripe : stripes) {
            synchronized (stripe) {
                size += stripe.size();
            }
        }
        return size;
    }

    private Map<String, V> stripe(String key) {
        return stripes[Math.floorMod(key.hashCode(), STRIPES)];
    }
}
