package org.fsnap.server.testclient;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * A small in-memory {@link VirtualFileSystem} for tests: POSIX-like permission checks
 * (owner/group/other, sticky directories, root bypass), hard links, symbolic links, stable
 * directory cookies, a change counter, and directories that can start another filesystem
 * (another fsid) to provoke NFS4ERR_XDEV. Not a model of any real filesystem's corner cases.
 */
public final class MemoryFileSystem implements VirtualFileSystem {
    private static final int MAGIC = 0x4d454d31; // "MEM1"
    private static final int R = 4;
    private static final int W = 2;
    private static final int X = 1;

    private final Map<Long, Node> nodes = new HashMap<>();
    private final Node root;
    private long nextId = 1;
    private long changeCounter = 1;

    private static final class Node {
        final long id;
        final FileType type;
        final long fsid;
        int mode;
        int uid;
        int gid;
        int nlink;
        byte[] data = new byte[0];
        long size;
        long change;
        long atime;
        long mtime;
        long ctime;
        String linkTarget;
        Node parent;
        final LinkedHashMap<String, Node> children = new LinkedHashMap<>();
        final Map<String, Long> cookies = new HashMap<>();
        long nextCookie = 3;

        Node(long id, FileType type, long fsid) {
            this.id = id;
            this.type = type;
            this.fsid = fsid;
        }
    }

    public MemoryFileSystem() {
        root = newNode(FileType.DIRECTORY, 1, 0755, 0, 0);
        root.parent = null;
    }

    private Node newNode(FileType type, long fsid, int mode, int uid, int gid) {
        Node n = new Node(nextId++, type, fsid);
        n.mode = mode & 07777;
        n.uid = uid;
        n.gid = gid;
        n.nlink = type == FileType.DIRECTORY ? 2 : 1;
        long now = System.currentTimeMillis() * 1_000_000L;
        n.atime = n.mtime = n.ctime = now;
        n.change = ++changeCounter;
        nodes.put(n.id, n);
        return n;
    }

    private void touch(Node n) {
        n.change = ++changeCounter;
        n.ctime = System.currentTimeMillis() * 1_000_000L;
    }

    private static Inode inode(Node n) {
        ByteBuffer b = ByteBuffer.allocate(12).putInt(MAGIC).putLong(n.id);
        return new Inode(b.array(), n.type);
    }

    private Node node(Inode inode) throws VfsException {
        return resolve(inode.handle());
    }

    private Node resolve(byte[] handle) throws VfsException {
        if (handle.length != 12 || ByteBuffer.wrap(handle).getInt() != MAGIC) {
            throw new VfsException(VfsError.BADHANDLE, "not a handle of this filesystem");
        }
        Node n = nodes.get(ByteBuffer.wrap(handle).getLong(4));
        if (n == null) {
            throw new VfsException(VfsError.STALE, "object no longer exists");
        }
        return n;
    }

    private static Node dir(Node n) throws VfsException {
        if (n.type != FileType.DIRECTORY) {
            throw new VfsException(VfsError.NOTDIR, "not a directory");
        }
        return n;
    }

    private static boolean permits(Caller c, Node n, int bits) {
        if (c.isRoot()) {
            return (bits & X) == 0 || n.type == FileType.DIRECTORY || (n.mode & 0111) != 0;
        }
        int shift = c.uid() == n.uid ? 6 : c.inGroup(n.gid) ? 3 : 0;
        return ((n.mode >> shift) & bits) == bits;
    }

    private static void require(Caller c, Node n, int bits) throws VfsException {
        if (!permits(c, n, bits)) {
            throw new VfsException(VfsError.ACCESS, "permission denied");
        }
    }

    /** Sticky directories: only the entry's owner, the directory's owner or root may unlink. */
    private static void requireUnlink(Caller c, Node dir, Node entry) throws VfsException {
        require(c, dir, W | X);
        if ((dir.mode & 01000) != 0 && !c.isRoot() && c.uid() != entry.uid && c.uid() != dir.uid) {
            throw new VfsException(VfsError.ACCESS, "sticky directory");
        }
    }

    private static Node child(Node dir, String name) throws VfsException {
        Node n = dir.children.get(name);
        if (n == null) {
            throw new VfsException(VfsError.NOENT, "no such entry: " + name);
        }
        return n;
    }

    private void addEntry(Node dir, String name, Node n) {
        dir.children.put(name, n);
        dir.cookies.put(name, dir.nextCookie++);
        if (n.type == FileType.DIRECTORY) {
            n.parent = dir;
            dir.nlink++;
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        dir.mtime = now;
        touch(dir);
    }

    private void removeEntry(Node dir, String name) {
        Node n = dir.children.remove(name);
        dir.cookies.remove(name);
        if (n.type == FileType.DIRECTORY) {
            dir.nlink--;
        }
        dir.mtime = System.currentTimeMillis() * 1_000_000L;
        touch(dir);
    }

    private void unlinked(Node n) {
        n.nlink -= n.type == FileType.DIRECTORY ? 2 : 1;
        touch(n);
        if (n.nlink <= 0) {
            nodes.remove(n.id);
        }
    }

    // ---- test set-up helpers (no permission checks)

    public synchronized Inode mkdir(Inode parent, String name, int mode, int uid, int gid)
            throws VfsException {
        return make(parent, name, FileType.DIRECTORY, mode, uid, gid, null, 0);
    }

    /** A directory that starts another filesystem (its own fsid), as a mount point would. */
    public synchronized Inode mkdirOtherFilesystem(Inode parent, String name, long fsid)
            throws VfsException {
        return make(parent, name, FileType.DIRECTORY, 0777, 0, 0, null, fsid);
    }

    public synchronized Inode mkfile(Inode parent, String name, int mode, int uid, int gid,
                                     byte[] content) throws VfsException {
        Inode f = make(parent, name, FileType.REGULAR, mode, uid, gid, null, 0);
        Node n = node(f);
        n.data = content.clone();
        n.size = content.length;
        return f;
    }

    public synchronized Inode symlink(Inode parent, String name, String target)
            throws VfsException {
        return make(parent, name, FileType.SYMLINK, 0777, 0, 0, target, 0);
    }

    private Inode make(Inode parent, String name, FileType type, int mode, int uid, int gid,
                       String target, long fsid) throws VfsException {
        Node dir = dir(node(parent));
        if (dir.children.containsKey(name)) {
            throw new VfsException(VfsError.EXIST, name);
        }
        Node n = newNode(type, fsid != 0 ? fsid : dir.fsid, mode, uid, gid);
        n.linkTarget = target;
        if (target != null) {
            n.size = target.length();
        }
        addEntry(dir, name, n);
        return inode(n);
    }

    /** Whether a name exists in a directory (no permission checks). */
    public synchronized boolean exists(Inode dir, String name) throws VfsException {
        return dir(node(dir)).children.containsKey(name);
    }

    // ---- VirtualFileSystem

    @Override
    public synchronized Inode root() {
        return inode(root);
    }

    @Override
    public synchronized Inode inodeOf(byte[] handle) throws VfsException {
        return inode(resolve(handle));
    }

    @Override
    public synchronized Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        Node d = dir(node(dir));
        require(caller, d, X);
        return inode(child(d, name));
    }

    @Override
    public synchronized Inode parentOf(Caller caller, Inode dir) throws VfsException {
        Node d = dir(node(dir));
        require(caller, d, X);
        if (d == root) {
            throw new VfsException(VfsError.NOENT, "root has no parent");
        }
        return inode(d.parent);
    }

    @Override
    public synchronized Stat getattr(Inode inode) throws VfsException {
        Node n = node(inode);
        return new Stat(n.type, n.id, n.fsid, 0, n.mode, n.nlink, n.uid, n.gid, n.size,
                (n.size + 4095) / 4096 * 4096, n.change, n.atime, n.mtime, n.ctime, n.ctime, 0, 0);
    }

    @Override
    public synchronized Stat setattr(Caller caller, Inode inode, SetAttributes change)
            throws VfsException {
        Node n = node(inode);
        boolean owner = caller.isRoot() || caller.uid() == n.uid;
        if (change.mode() != null) {
            if (!owner) {
                throw new VfsException(VfsError.PERM, "not the owner");
            }
            n.mode = change.mode() & 07777;
        }
        if (change.uid() != null) {
            if (!caller.isRoot() && change.uid() != n.uid) {
                throw new VfsException(VfsError.PERM, "chown");
            }
            n.uid = change.uid();
        }
        if (change.gid() != null) {
            if (!caller.isRoot() && !(owner && caller.inGroup(change.gid()))) {
                throw new VfsException(VfsError.PERM, "chgrp");
            }
            n.gid = change.gid();
        }
        if (change.size() != null) {
            if (n.type == FileType.DIRECTORY) {
                throw new VfsException(VfsError.ISDIR, "size of a directory");
            }
            if (n.type != FileType.REGULAR) {
                throw new VfsException(VfsError.INVAL, "size of a special file");
            }
            require(caller, n, W);
            resize(n, change.size());
            n.mtime = System.currentTimeMillis() * 1_000_000L;
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        if (change.atimeNanos() != null) {
            n.atime = change.atimeNanos() == SetAttributes.SET_TO_SERVER_TIME ? now : change.atimeNanos();
        }
        if (change.mtimeNanos() != null) {
            n.mtime = change.mtimeNanos() == SetAttributes.SET_TO_SERVER_TIME ? now : change.mtimeNanos();
        }
        touch(n);
        return getattr(inode);
    }

    private static void resize(Node n, long size) throws VfsException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new VfsException(VfsError.FBIG, "too large for memory");
        }
        byte[] d = new byte[(int) size];
        System.arraycopy(n.data, 0, d, 0, (int) Math.min(size, n.size));
        n.data = d;
        n.size = size;
    }

    @Override
    public synchronized int access(Caller caller, Inode inode, int requested) throws VfsException {
        Node n = node(inode);
        int granted = 0;
        if (permits(caller, n, R)) {
            granted |= Access.READ | Access.XAREAD | Access.XALIST;
        }
        if (permits(caller, n, W)) {
            granted |= Access.MODIFY | Access.EXTEND | Access.XAWRITE;
            if (n.type == FileType.DIRECTORY) {
                granted |= Access.DELETE;
            }
        }
        if (permits(caller, n, X)) {
            granted |= n.type == FileType.DIRECTORY ? Access.LOOKUP : Access.EXECUTE;
        }
        return granted & requested;
    }

    @Override
    public synchronized Inode create(Caller caller, Inode dir, String name, FileType type,
                                     SetAttributes attrs, String linkTarget) throws VfsException {
        Node d = dir(node(dir));
        require(caller, d, W | X);
        if (d.children.containsKey(name)) {
            throw new VfsException(VfsError.EXIST, name);
        }
        if (type != FileType.REGULAR && type != FileType.DIRECTORY && type != FileType.SYMLINK
                && type != FileType.FIFO && type != FileType.SOCKET) {
            throw new VfsException(VfsError.BADTYPE, "cannot create " + type);
        }
        int mode = attrs.mode() != null ? attrs.mode()
                : type == FileType.DIRECTORY || type == FileType.SYMLINK ? 0777 : 0666;
        Node n = newNode(type, d.fsid, mode, caller.uid(), caller.gid());
        n.linkTarget = linkTarget;
        if (linkTarget != null) {
            n.size = linkTarget.length();
        }
        addEntry(d, name, n);
        Inode created = inode(n);
        SetAttributes rest = new SetAttributes(null, attrs.uid(), attrs.gid(), attrs.size(),
                attrs.atimeNanos(), attrs.mtimeNanos());
        if (!rest.isEmpty()) {
            setattr(Caller.root(), created, rest);
        }
        return created;
    }

    @Override
    public synchronized void link(Caller caller, Inode target, Inode dir, String name)
            throws VfsException {
        Node t = node(target);
        Node d = dir(node(dir));
        if (t.type == FileType.DIRECTORY) {
            throw new VfsException(VfsError.ISDIR, "hard link to a directory");
        }
        if (t.fsid != d.fsid) {
            throw new VfsException(VfsError.XDEV, "link across filesystems");
        }
        require(caller, d, W | X);
        if (d.children.containsKey(name)) {
            throw new VfsException(VfsError.EXIST, name);
        }
        t.nlink++;
        touch(t);
        addEntry(d, name, t);
    }

    @Override
    public synchronized void remove(Caller caller, Inode dir, String name) throws VfsException {
        Node d = dir(node(dir));
        require(caller, d, X);
        Node n = child(d, name);
        requireUnlink(caller, d, n);
        if (n.type == FileType.DIRECTORY && !n.children.isEmpty()) {
            throw new VfsException(VfsError.NOTEMPTY, name);
        }
        removeEntry(d, name);
        unlinked(n);
    }

    @Override
    public synchronized void rename(Caller caller, Inode fromDir, String fromName, Inode toDir,
                                    String toName) throws VfsException {
        Node fd = dir(node(fromDir));
        Node td = dir(node(toDir));
        require(caller, fd, X);
        require(caller, td, X);
        Node n = child(fd, fromName);
        if (fd.fsid != td.fsid) {
            throw new VfsException(VfsError.XDEV, "rename across filesystems");
        }
        requireUnlink(caller, fd, n);
        require(caller, td, W | X);
        Node existing = td.children.get(toName);
        if (existing == n) {
            return;
        }
        if (n.type == FileType.DIRECTORY) {
            for (Node p = td; p != null; p = p.parent) {
                if (p == n) {
                    throw new VfsException(VfsError.INVAL, "directory into itself");
                }
            }
        }
        if (existing != null) {
            requireUnlink(caller, td, existing);
            boolean srcDir = n.type == FileType.DIRECTORY;
            boolean dstDir = existing.type == FileType.DIRECTORY;
            if (srcDir && !dstDir) {
                throw new VfsException(VfsError.NOTDIR, toName);
            }
            if (!srcDir && dstDir) {
                throw new VfsException(VfsError.ISDIR, toName);
            }
            if (dstDir && !existing.children.isEmpty()) {
                throw new VfsException(VfsError.NOTEMPTY, toName);
            }
            removeEntry(td, toName);
            unlinked(existing);
        }
        removeEntry(fd, fromName);
        addEntry(td, toName, n);
        touch(n);
    }

    @Override
    public synchronized String readlink(Caller caller, Inode link) throws VfsException {
        Node n = node(link);
        if (n.type != FileType.SYMLINK) {
            throw new VfsException(VfsError.INVAL, "not a symbolic link");
        }
        return n.linkTarget;
    }

    @Override
    public synchronized DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries)
            throws VfsException {
        Node d = dir(node(dir));
        require(caller, d, R);
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(d.cookies.entrySet());
        sorted.sort(Map.Entry.comparingByValue());
        List<DirectoryEntry> out = new ArrayList<>();
        boolean eof = true;
        for (Map.Entry<String, Long> e : sorted) {
            if (e.getValue() <= cookie) {
                continue;
            }
            if (out.size() == maxEntries) {
                eof = false;
                break;
            }
            Node n = d.children.get(e.getKey());
            Inode i = inode(n);
            out.add(new DirectoryEntry(e.getKey(), e.getValue(), i, getattr(i)));
        }
        return new DirectoryPage(out, d.id, eof);
    }

    @Override
    public synchronized int read(Caller caller, Inode file, ByteBuffer dst, long offset)
            throws VfsException {
        Node n = node(file);
        if (n.type == FileType.DIRECTORY) {
            throw new VfsException(VfsError.ISDIR, "read of a directory");
        }
        require(caller, n, R);
        if (offset >= n.size) {
            return -1;
        }
        int len = (int) Math.min(dst.remaining(), n.size - offset);
        dst.put(n.data, (int) offset, len);
        return len;
    }

    @Override
    public synchronized Stability write(Caller caller, Inode file, ByteBuffer src, long offset,
                                        Stability requested) throws VfsException {
        Node n = node(file);
        if (n.type == FileType.DIRECTORY) {
            throw new VfsException(VfsError.ISDIR, "write to a directory");
        }
        require(caller, n, W);
        long end = offset + src.remaining();
        if (end > n.size) {
            resize(n, end);
        }
        src.get(n.data, (int) offset, src.remaining());
        n.mtime = System.currentTimeMillis() * 1_000_000L;
        touch(n);
        return Stability.FILE_SYNC;
    }

    @Override
    public synchronized void commit(Inode file, long offset, long count) throws VfsException {
        node(file);
    }

    @Override
    public synchronized FsStat fsStat(Inode inode) throws VfsException {
        node(inode);
        return new FsStat(1L << 30, 1L << 29, 1L << 29, 1 << 20, (1 << 20) - nodes.size(),
                (1 << 20) - nodes.size());
    }
}
