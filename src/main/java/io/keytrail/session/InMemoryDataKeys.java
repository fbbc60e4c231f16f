package io.keytrail.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Data keys in memory: for plain-object tests and aggregate fixtures, which have no database. */
public final class InMemoryDataKeys implements DataKeys {
    private final Map<String, Wrapped> keys = new ConcurrentHashMap<>();

    @Override
    public void insert(Wrapped key) {
        if (keys.putIfAbsent(key.dataKeyId(), key) != null) {
            throw new IllegalStateException("data key id " + key.dataKeyId() + " exists already");
        }
    }

    @Override
    public Optional<Wrapped> find(String dataKeyId) {
        return Optional.ofNullable(keys.get(dataKeyId));
    }

    @Override
    public int deleteFor(String aggregateId) {
        List<String> ids = keys.values().stream().filter(k -> k.aggregateId().equals(aggregateId))
                .map(Wrapped::dataKeyId).toList();
        ids.forEach(keys::remove);
        return ids.size();
    }

    @Override
    public Set<String> sealingKeyIdsInUse() {
        Set<String> ids = new TreeSet<>();
        keys.values().forEach(k -> ids.add(k.sealingKeyId()));
        return ids;
    }

    @Override
    public List<Wrapped> wrappedByOtherThan(String sealingKeyId, String afterDataKeyId, int limit) {
        List<Wrapped> out = new ArrayList<>();
        keys.values().stream().filter(k -> !k.sealingKeyId().equals(sealingKeyId))
                .filter(k -> k.dataKeyId().compareTo(afterDataKeyId) > 0)
                .sorted(java.util.Comparator.comparing(Wrapped::dataKeyId)).limit(limit).forEach(out::add);
        return out;
    }

    @Override
    public long countWrappedByOtherThan(String sealingKeyId) {
        return keys.values().stream().filter(k -> !k.sealingKeyId().equals(sealingKeyId)).count();
    }

    @Override
    public boolean rewrap(Wrapped rewrapped, String expectedSealingKeyId) {
        Wrapped now = keys.get(rewrapped.dataKeyId());
        if (now == null || !now.sealingKeyId().equals(expectedSealingKeyId)) {
            return false;
        }
        return keys.replace(rewrapped.dataKeyId(), now, rewrapped);
    }
}
