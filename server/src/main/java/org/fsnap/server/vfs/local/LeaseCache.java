package org.fsnap.server.vfs.local;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bounded LRU of resources (open file descriptors) that callers borrow through leases.
 * An entry evicted while borrowed is disposed of when its last lease closes, so eviction
 * never closes an fd under a running syscall, and fd numbers are never reused under it.
 */
final class LeaseCache<K, V> {
    private final int capacity;
    private final Consumer<V> disposer;
    private final LinkedHashMap<K, Entry> map = new LinkedHashMap<>(64, 0.75f, true);

    LeaseCache(int capacity, Consumer<V> disposer) {
        this.capacity = capacity;
        this.disposer = disposer;
    }

    private final class Entry {
        final V value;
        /** One reference for the cache while mapped, one per open lease. */
        final AtomicInteger refs = new AtomicInteger(1);
        volatile long lastUsed = System.nanoTime();

        Entry(V value) {
            this.value = value;
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                disposer.accept(value);
            }
        }
    }

    /** A borrowed value; close it when done. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        V value() {
            return entry.value;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                entry.lastUsed = System.nanoTime();
                entry.release();
            }
        }
    }

    /** A lease on the cached value, or null when absent. */
    Lease acquire(K key) {
        Entry e;
        synchronized (this) {
            e = map.get(key);
            if (e == null) {
                return null;
            }
            e.refs.incrementAndGet(); // cannot be 0: the map still holds its reference
        }
        return new Lease(e);
    }

    /**
     * Caches {@code value} unless the key is already present, in which case {@code value} is
     * disposed of and the cached one is lent instead.
     */
    Lease putIfAbsent(K key, V value) {
        List<Entry> evicted = null;
        Entry e;
        boolean lost = false;
        synchronized (this) {
            e = map.get(key);
            if (e != null) {
                e.refs.incrementAndGet();
                lost = true;
            } else {
                e = new Entry(value);
                e.refs.incrementAndGet();
                map.put(key, e);
                if (map.size() > capacity) {
                    evicted = new ArrayList<>();
                    Iterator<Entry> it = map.values().iterator();
                    while (map.size() > capacity && it.hasNext()) {
                        Entry old = it.next();
                        if (old != e) {
                            it.remove();
                            evicted.add(old);
                        }
                    }
                }
            }
        }
        if (lost) {
            disposer.accept(value);
        }
        if (evicted != null) {
            evicted.forEach(Entry::release);
        }
        return new Lease(e);
    }

    void invalidate(K key) {
        Entry e;
        synchronized (this) {
            e = map.remove(key);
        }
        if (e != null) {
            e.release();
        }
    }

    /** Drops entries not used for {@code idleNanos} and not lent out; returns how many. */
    int evictIdle(long idleNanos) {
        long now = System.nanoTime();
        List<Entry> evicted = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<K, Entry>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Entry e = it.next().getValue();
                if (now - e.lastUsed > idleNanos && e.refs.get() == 1) {
                    it.remove();
                    evicted.add(e);
                }
            }
        }
        evicted.forEach(Entry::release);
        return evicted.size();
    }

    void clear() {
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(map.values());
            map.clear();
        }
        all.forEach(Entry::release);
    }

    synchronized int size() {
        return map.size();
    }
}
