package org.fsnap.server.vfs.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseCacheTest {

    @Test
    void evictionWaitsForLeases() {
        List<String> disposed = new ArrayList<>();
        LeaseCache<Integer, String> c = new LeaseCache<>(2, disposed::add);
        var a = c.putIfAbsent(1, "a");
        c.putIfAbsent(2, "b").close();
        c.putIfAbsent(3, "c").close(); // evicts 1, which is lent out
        assertNull(c.acquire(1));
        assertTrue(disposed.isEmpty(), "still borrowed");
        a.close();
        assertEquals(List.of("a"), disposed);
        // a losing insert disposes the newcomer and lends the incumbent
        try (var l = c.putIfAbsent(3, "c2")) {
            assertEquals("c", l.value());
        }
        assertEquals(List.of("a", "c2"), disposed);
        c.clear();
        assertEquals(4, disposed.size());
    }

    @Test
    void concurrentUseNeverSeesADisposedValue() throws Exception {
        ConcurrentHashMap<Object, Boolean> dead = new ConcurrentHashMap<>();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger disposals = new AtomicInteger();
        LeaseCache<Integer, Object> c = new LeaseCache<>(4, v -> {
            assertFalse(dead.containsKey(v), "disposed twice");
            dead.put(v, true);
            disposals.incrementAndGet();
        });
        AtomicInteger failures = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < 50_000; i++) {
                    int k = r.nextInt(12);
                    var lease = c.acquire(k);
                    if (lease == null) {
                        created.incrementAndGet();
                        lease = c.putIfAbsent(k, new Object());
                    }
                    try (var l = lease) {
                        if (dead.containsKey(l.value())) {
                            failures.incrementAndGet();
                        }
                        if (r.nextInt(50) == 0) {
                            c.invalidate(k);
                        }
                        if (r.nextInt(500) == 0) {
                            c.evictIdle(0);
                        }
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, failures.get());
        c.clear();
        assertEquals(created.get(), disposals.get(), "every value disposed exactly once");
    }
}
