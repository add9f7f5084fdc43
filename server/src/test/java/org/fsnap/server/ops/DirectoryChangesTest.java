package org.fsnap.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fsnap.server.testclient.MemoryFileSystem;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.junit.jupiter.api.Test;

class DirectoryChangesTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final Caller root = Caller.root();

    @Test
    void concurrentChangesOfOneDirectoryNeverShareAnInterval() throws Exception {
        DirectoryChanges changes = new DirectoryChanges(true);
        Inode dir = fs.root();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<ChangeInfo>> results = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String name = "f" + i;
            results.add(pool.submit(() -> changes.in(fs, dir, () -> {
                Thread.yield(); // widen the window another change could fall into
                return fs.create(root, dir, name, FileType.REGULAR, SetAttributes.NONE, null);
            }).info()));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        List<ChangeInfo> infos = new ArrayList<>();
        for (Future<ChangeInfo> f : results) {
            infos.add(f.get());
        }
        infos.sort((a, b) -> Long.compare(a.before(), b.before()));
        for (int i = 0; i < infos.size(); i++) {
            ChangeInfo c = infos.get(i);
            assertTrue(c.atomic());
            assertTrue(c.after() > c.before(), c.toString());
            if (i > 0) {
                // Each change starts where the one before it ended: nothing fell in between.
                assertEquals(infos.get(i - 1).after(), c.before(), "changes overlap: " + infos.get(i - 1) + " " + c);
            }
        }
    }

    @Test
    void renameReportsBothDirectoriesAndSameDirectoryWorks() throws Exception {
        DirectoryChanges changes = new DirectoryChanges(true);
        Inode top = fs.root();
        Inode sub = fs.create(root, top, "sub", FileType.DIRECTORY, SetAttributes.NONE, null);
        fs.create(root, top, "a", FileType.REGULAR, SetAttributes.NONE, null);
        DirectoryChanges.Moved moved = changes.in(fs, top, sub, () -> {
            fs.rename(root, top, "a", sub, "b");
            return null;
        });
        assertTrue(moved.from().after() > moved.from().before());
        assertTrue(moved.to().after() > moved.to().before());
        DirectoryChanges.Moved same = changes.in(fs, sub, sub, () -> {
            fs.rename(root, sub, "b", sub, "c");
            return null;
        });
        assertEquals(same.from(), same.to());
    }

    @Test
    void withOtherWritersNothingIsAtomicAndFailuresReleaseTheLock() throws Exception {
        DirectoryChanges changes = new DirectoryChanges(false);
        Inode dir = fs.root();
        ChangeInfo info = changes.in(fs, dir, () -> fs.create(root, dir, "x", FileType.REGULAR,
                SetAttributes.NONE, null)).info();
        assertFalse(info.atomic());
        assertFalse(changes.unchanged(7).atomic());
        VfsException e = assertThrows(VfsException.class, () -> changes.in(fs, dir,
                () -> fs.create(root, dir, "x", FileType.REGULAR, SetAttributes.NONE, null)));
        assertEquals(VfsError.EXIST, e.error());
        // The lock was released: another thread can change the directory.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> changes.in(fs, dir, () -> {
                fs.remove(root, dir, "x");
                return null;
            })).get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }
}
