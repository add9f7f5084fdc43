package org.fsnap.server.ops;

import java.util.concurrent.locks.ReentrantLock;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * Runs changes to directories and reports their change_info4 (RFC 8881 section 3.3.6).
 *
 * <p>A change holds its directory's lock while the directory's change attribute is read before
 * it, the change is made, and the attribute is read again: no other change made through this
 * server can fall between the readings, so the answer is marked atomic. That matters to the
 * Linux client: for an atomic answer whose "before" is the value it cached, it keeps the names
 * and access rights it cached for the directory; otherwise it checks every cached name again
 * with LOOKUP and ACCESS (two more round trips per file when removing or creating many files).
 * When other servers write the same directories (several nodes over one export), answers are
 * never marked atomic.
 */
public final class DirectoryChanges {
    private static final int STRIPES = 64;

    private final boolean soleWriter;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    /** @param soleWriter whether this server is the only one changing the export's directories */
    public DirectoryChanges(boolean soleWriter) {
        this.soleWriter = soleWriter;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** A change to one or two directories. */
    @FunctionalInterface
    public interface Change<T> {
        T run() throws NfsException, VfsException;
    }

    /** What a change returned, with the directory's change_info4. */
    public record Changed<T>(T value, ChangeInfo info) {
    }

    /** The change_info4 of both directories of a RENAME. */
    public record Moved(ChangeInfo from, ChangeInfo to) {
    }

    /** Runs a change of {@code dir}. */
    public <T> Changed<T> in(VirtualFileSystem vfs, Inode dir, Change<T> change)
            throws NfsException, VfsException {
        ReentrantLock lock = lockOf(dir);
        lock.lock();
        try {
            long before = ChangeInfo.changeOf(vfs, dir);
            T value = change.run();
            return new Changed<>(value, new ChangeInfo(soleWriter, before, ChangeInfo.changeOf(vfs, dir)));
        } finally {
            lock.unlock();
        }
    }

    /** Runs a change of two directories (they may be the same), taking their locks in one order. */
    public Moved in(VirtualFileSystem vfs, Inode fromDir, Inode toDir, Change<?> change)
            throws NfsException, VfsException {
        int a = stripeOf(fromDir);
        int b = stripeOf(toDir);
        ReentrantLock first = locks[Math.min(a, b)];
        ReentrantLock second = locks[Math.max(a, b)];
        first.lock();
        second.lock(); // reentrant: the same stripe twice is fine
        try {
            long fromBefore = ChangeInfo.changeOf(vfs, fromDir);
            long toBefore = ChangeInfo.changeOf(vfs, toDir);
            change.run();
            return new Moved(new ChangeInfo(soleWriter, fromBefore, ChangeInfo.changeOf(vfs, fromDir)),
                    new ChangeInfo(soleWriter, toBefore, ChangeInfo.changeOf(vfs, toDir)));
        } finally {
            second.unlock();
            first.unlock();
        }
    }

    /** The change_info4 of an operation that changed nothing: the attribute read once. */
    public ChangeInfo unchanged(long change) {
        return new ChangeInfo(soleWriter, change, change);
    }

    private ReentrantLock lockOf(Inode dir) {
        return locks[stripeOf(dir)];
    }

    private static int stripeOf(Inode dir) {
        return (dir.hashCode() * 0x9E3779B9) >>> 26; // top 6 bits: 64 stripes
    }
}
