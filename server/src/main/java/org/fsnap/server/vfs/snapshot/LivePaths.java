package org.fsnap.server.vfs.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * Where a live object is, as a path the snapshot engine understands.
 *
 * <p>The local filesystem works with handles, the engine with paths. Every handle a client
 * holds was handed out by a LOOKUP, CREATE or READDIR that went through the view. For CREATE,
 * LINK and RENAME the view remembers "this object is NAME in that directory" and rebuilds a path
 * by following those links up to the root; for LOOKUP and READDIR, where even a map update per
 * name would show in their cost, it remembers only the directories used lately, and reads them
 * to find a file when one is needed (snapshot commands are rare; lookups are not). A path is only trusted after the object found there proves to be the same
 * inode. Directories can always be placed, even after a restart, by walking up with
 * {@code parentOf}; the optional {@link PathHint} of the local filesystem (where the kernel says
 * the object is) is asked next; a file that still cannot be placed (a handle kept by a client
 * across a server restart) is answered STALE, which makes a Linux client look the path up
 * again and retry.
 *
 * <p>The memory is bounded: two generations of at most {@code capacity} links each; the
 * older one is dropped when the younger fills up, and links found there move back.
 */
final class LivePaths {
    record Link(Inode parent, String name) {
    }

    private static final int MAX_DEPTH = 2048;
    private static final int SCAN_PAGE = 1024;
    /** Directories used lately, searched for a file known only by its handle (a power of 2). */
    private static final int RECENT_DIRS = 64;
    /** At most this many of them are read to place one file. */
    private static final int DIRS_SEARCHED = 8;

    private final VirtualFileSystem fs;
    private final Inode root;
    private final Path rootPath;
    private final int capacity;
    private final PathHint hint;
    private volatile Map<Inode, Link> young = new ConcurrentHashMap<>();
    private volatile Map<Inode, Link> old = new ConcurrentHashMap<>();
    /** A ring of the directories used lately (written racily: losing one is harmless). */
    private final Inode[] recent = new Inode[RECENT_DIRS];
    private int next;

    LivePaths(VirtualFileSystem fs, Path rootPath, int capacity, PathHint hint) throws VfsException {
        this.fs = fs;
        this.root = fs.root();
        this.rootPath = rootPath;
        this.capacity = capacity;
        this.hint = hint;
    }

    Path root() {
        return rootPath;
    }

    void learn(Inode child, Inode parent, String name) {
        Map<Inode, Link> y = young;
        Link known = y.get(child);
        if (known != null && known.name.equals(name) && known.parent.equals(parent)) {
            return;
        }
        y.put(child, new Link(parent, name));
        if (y.size() > capacity) {
            rotate(y);
        }
    }

    private synchronized void rotate(Map<Inode, Link> full) {
        if (young == full) {
            old = full;
            young = new ConcurrentHashMap<>();
        }
    }

    /**
     * A directory was listed or searched: its entries may later need a path. Costs a
     * comparison and an array store, so READDIR and LOOKUP stay as fast as without the view.
     */
    void visited(Inode dir) {
        int i = next;
        Inode last = recent[(i - 1) & (RECENT_DIRS - 1)];
        if (last != null && last.equals(dir)) {
            return;
        }
        recent[i & (RECENT_DIRS - 1)] = dir;
        next = i + 1;
    }

    /** The most recently used distinct directories, newest first. */
    private List<Inode> recentDirectories() {
        List<Inode> dirs = new ArrayList<>(DIRS_SEARCHED);
        int end = next;
        for (int k = 1; k <= RECENT_DIRS && dirs.size() < DIRS_SEARCHED; k++) {
            Inode d = recent[(end - k) & (RECENT_DIRS - 1)];
            if (d != null && !dirs.contains(d)) {
                dirs.add(d);
            }
        }
        return dirs;
    }

    void forget(Inode child) {
        young.remove(child);
        old.remove(child);
    }

    private Link find(Inode child) {
        Link l = young.get(child);
        if (l == null) {
            l = old.get(child);
            if (l != null) {
                young.put(child, l);
            }
        }
        return l;
    }

    /** The path of a live object, checked to lead to that very object. */
    Path pathOf(Inode inode) throws VfsException {
        if (inode.equals(root)) {
            return rootPath;
        }
        Stat st = fs.getattr(inode);
        Path quick = chase(inode, false, 0);
        if (quick != null && sameObject(quick, st)) {
            return quick;
        }
        Path careful = chase(inode, true, 0);
        if (careful != null && sameObject(careful, st)) {
            return careful;
        }
        if (hint != null) {
            Optional<Path> p = hint.pathOf(inode);
            if (p.isPresent() && p.get().startsWith(rootPath) && sameObject(p.get(), st)) {
                return p.get();
            }
        }
        for (Inode dir : recentDirectories()) {
            String name;
            try {
                name = nameIn(dir, inode);
            } catch (VfsException e) {
                continue; // that directory is gone
            }
            if (name != null) {
                learn(inode, dir, name);
                Path p = chase(inode, true, 0);
                if (p != null && sameObject(p, st)) {
                    return p;
                }
            }
        }
        throw new VfsException(VfsError.STALE,
                "cannot place this object in the export; look it up again");
    }

    /**
     * Follows links up to the root. Careless mode trusts every remembered link (one check at
     * the end); careful mode checks each ancestor and re-derives directories that moved.
     */
    private Path chase(Inode inode, boolean careful, int depth) throws VfsException {
        if (inode.equals(root)) {
            return rootPath;
        }
        if (depth > MAX_DEPTH) {
            return null;
        }
        Link l = find(inode);
        Stat st = null;
        if (careful) {
            st = fs.getattr(inode);
        }
        if (l != null) {
            Path parent = chase(l.parent, careful, depth + 1);
            if (parent != null) {
                Path p = parent.resolve(l.name);
                if (!careful || sameObject(p, st)) {
                    return p;
                }
            }
            if (careful) {
                forget(inode);
            }
        }
        if (!careful) {
            return null;
        }
        if (st.type() != FileType.DIRECTORY) {
            return null;
        }
        Inode parent = fs.parentOf(Caller.root(), inode);
        String name = nameIn(parent, inode);
        if (name == null) {
            return null;
        }
        learn(inode, parent, name);
        Path parentPath = chase(parent, true, depth + 1);
        return parentPath == null ? null : parentPath.resolve(name);
    }

    /** The name under which {@code child} appears in {@code dir}, by reading the directory. */
    private String nameIn(Inode dir, Inode child) throws VfsException {
        long cookie = 0;
        for (int pages = 0; pages < 1_000_000; pages++) {
            DirectoryPage page = fs.list(Caller.root(), dir, cookie, SCAN_PAGE);
            for (DirectoryEntry e : page.entries()) {
                if (e.inode().equals(child)) {
                    return e.name();
                }
                cookie = e.cookie();
            }
            if (page.eof() || page.entries().isEmpty()) {
                return null;
            }
        }
        return null;
    }

    private static boolean sameObject(Path p, Stat st) {
        try {
            Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return ino instanceof Long l && l == st.fileId();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
