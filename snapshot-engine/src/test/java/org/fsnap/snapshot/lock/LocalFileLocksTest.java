package org.fsnap.snapshot.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fsnap.snapshot.FileKey;
import org.junit.jupiter.api.Test;

class LocalFileLocksTest {

    private final LocalFileLocks locks = new LocalFileLocks();
    private final LockKey inode = new LockKey.Inode(1, 42);

    @Test
    void sharedHoldersCoexistAndExcludeAWriter() throws Exception {
        FileLocks.Lease r1 = locks.shared(inode);
        FileLocks.Lease r2 = locks.shared(inode); // would deadlock if shared were exclusive
        CountDownLatch acquired = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (FileLocks.Lease w = locks.exclusive(inode)) {
                acquired.countDown();
            }
        });
        assertFalse(acquired.await(200, TimeUnit.MILLISECONDS));
        r1.close();
        assertFalse(acquired.await(100, TimeUnit.MILLISECONDS));
        r2.close();
        assertTrue(acquired.await(10, TimeUnit.SECONDS));
        writer.get(10, TimeUnit.SECONDS);
        assertEquals(0, locks.activeKeys(), "idle locks are forgotten");
    }

    @Test
    void leasesMayBeReleasedByAnotherThreadAndTwice() throws Exception {
        FileLocks.Lease lease = locks.exclusive(new LockKey.History(FileKey.random()));
        CompletableFuture.runAsync(lease::close).get(10, TimeUnit.SECONDS);
        lease.close();
        assertEquals(0, locks.activeKeys());
    }

    @Test
    void differentKeysDoNotBlockEachOther() {
        try (FileLocks.Lease a = locks.exclusive(inode);
             FileLocks.Lease b = locks.exclusive(new LockKey.Inode(1, 43));
             FileLocks.Lease c = locks.exclusive(new LockKey.Inode(2, 42))) {
            assertEquals(3, locks.activeKeys());
        }
    }
}
