package org.fsnap.server.vfs.local;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stability;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Descriptors are never closed under a running call, whatever the caches do meanwhile. */
class ConcurrencyTest extends LocalFsTestSupport {

    @Test
    void ioWhileCachesAreDropped() throws Exception {
        Inode d = dir(ROOT, root(), "d", 0777);
        List<Inode> files = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            files.add(file(ALICE, d, "f" + t, 0644));
        }
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread dropper = new Thread(() -> {
            while (!done.get()) {
                fs.dropCaches();
                Thread.onSpinWait();
            }
        });
        dropper.start();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Inode f = files.get(t);
            byte tag = (byte) ('a' + t);
            Thread w = new Thread(() -> {
                try {
                    byte[] block = new byte[4096];
                    java.util.Arrays.fill(block, tag);
                    for (int i = 0; i < 300; i++) {
                        fs.write(ALICE, f, ByteBuffer.wrap(block), (long) i * 4096, Stability.UNSTABLE);
                        ByteBuffer back = ByteBuffer.allocate(4096);
                        assertEquals(4096, fs.read(ALICE, f, back, (long) i * 4096));
                        for (byte b : back.array()) {
                            assertEquals(tag, b);
                        }
                        fs.getattr(fs.inodeOf(f.handle()));
                        fs.lookup(ALICE, d, "f" + (i % 4));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        done.set(true);
        dropper.join();
        assertTrue(errors.isEmpty(), () -> errors.peek().toString());
        for (Inode f : files) {
            assertEquals(300L * 4096, fs.getattr(f).size());
        }
    }
}
