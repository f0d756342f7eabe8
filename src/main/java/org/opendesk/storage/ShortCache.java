package org.opendesk.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Settings read on every message (an account's settings, a robot's configuration, the callback
 * switches) kept for a short time. A write on this node invalidates its app's entries at once;
 * another node's write is seen when the entry expires, within {@code ttlMillis}. Bounded: when
 * full it starts over.
 */
public final class ShortCache<K, V> {
    private record Entry<V>(V value, long expiresAt) {
    }

    private final Map<Long, Map<K, Entry<V>>> byApp = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxPerApp;

    public ShortCache(long ttlMillis, int maxPerApp) {
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.maxPerApp = maxPerApp;
    }

    public V get(long sdkAppId, K key, Function<K, V> load) {
        Map<K, Entry<V>> app = byApp.computeIfAbsent(sdkAppId, id -> new ConcurrentHashMap<>());
        long now = System.nanoTime();
        Entry<V> e = app.get(key);
        if (e != null && now - e.expiresAt() < 0) {
            return e.value();
        }
        V value = load.apply(key);
        if (app.size() >= maxPerApp) {
            app.clear();
        }
        app.put(key, new Entry<>(value, now + ttlNanos));
        return value;
    }

    /** The value when present and fresh, else null. */
    public V peek(long sdkAppId, K key) {
        Map<K, Entry<V>> app = byApp.get(sdkAppId);
        Entry<V> e = app == null ? null : app.get(key);
        return e != null && System.nanoTime() - e.expiresAt() < 0 ? e.value() : null;
    }

    public void put(long sdkAppId, K key, V value) {
        Map<K, Entry<V>> app = byApp.computeIfAbsent(sdkAppId, id -> new ConcurrentHashMap<>());
        if (app.size() >= maxPerApp) {
            app.clear();
        }
        app.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
    }

    /** Forgets an app's entries (after a write on this node). */
    public void invalidate(long sdkAppId) {
        byApp.remove(sdkAppId);
    }
}
