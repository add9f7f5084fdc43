package org.fsnap.server.vfs.local;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads directories for READDIR and hands out cookies.
 *
 * <p>A cookie is a keyed 62-bit hash of the entry's name, and a listing walks the entries in
 * cookie order. So a cookie stays valid whatever else is created or removed meanwhile:
 * continuing after it never repeats or skips an entry that existed throughout, and the cookie
 * verifier never needs to change (it is constant for the export, even across restarts).
 * Cookies are always at least 3 (0, 1 and 2 are reserved by NFSv4).
 *
 * <p>Sorted name lists are cached per directory and reused while the directory's mtime and
 * ctime stay the same, so paging through 10,000 entries reads and sorts the directory once.
 */
final class LocalDirectoryLister {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDirectoryLister.class);
    private static final int MAX_CACHED_DIRS = 64;
    private static final long MAX_CACHED_ENTRIES = 200_000;
    /**
     * A directory changed less than this long before it was read may change again within the
     * same coarse timestamp tick, leaving its mtime unchanged: such snapshots are not reused.
     */
    private static final long SETTLE_NANOS = 50_000_000L;
    private static final int DENTS_BUFFER = 64 * 1024;

    /** One read of a directory: names sorted by cookie. */
    record Snapshot(long ino, long mtime, long ctime, long[] cookies, String[] names) {
        int size() {
            return names.length;
        }

        /** Index of the first entry whose cookie is greater than {@code cookie}. */
        int indexAfter(long cookie) {
            if (cookie < 3) {
                return 0;
            }
            int i = Arrays.binarySearch(cookies, cookie);
            if (i >= 0) {
                while (i < cookies.length && cookies[i] == cookie) {
                    i++;
                }
                return i;
            }
            return -i - 1;
        }
    }

    private final long seed;
    private final LinkedHashMap<HandleKey, Snapshot> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedEntries;
    private volatile boolean warnedBadName;

    LocalDirectoryLister(long seed) {
        this.seed = seed;
    }

    /** The cookie of a name: keyed so clients cannot line names up to collide. */
    long cookieOf(byte[] name) {
        long h = seed ^ 0x9E3779B97F4A7C15L ^ name.length;
        for (byte b : name) {
            h ^= b & 0xff;
            h *= 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        long c = h >>> 2;
        return c < 3 ? c + 3 : c;
    }

    Snapshot snapshot(HandleKey dirKey, int dirFd, Statx dir, Set<String> hidden)
            throws ErrnoException {
        synchronized (this) {
            Snapshot s = cache.get(dirKey);
            if (s != null && s.ino() == dir.ino() && s.mtime() == dir.mtimeNanos()
                    && s.ctime() == dir.ctimeNanos()) {
                return s;
            }
        }
        long readAt = System.currentTimeMillis() * 1_000_000L;
        Snapshot s = read(dirFd, dir, hidden);
        boolean settled = Math.max(dir.mtimeNanos(), dir.ctimeNanos()) < readAt - SETTLE_NANOS;
        synchronized (this) {
            Snapshot old = cache.remove(dirKey);
            if (old != null) {
                cachedEntries -= old.size();
            }
            if (settled && s.size() <= MAX_CACHED_ENTRIES) {
                cache.put(dirKey, s);
                cachedEntries += s.size();
                Iterator<Snapshot> it = cache.values().iterator();
                while ((cache.size() > MAX_CACHED_DIRS || cachedEntries > MAX_CACHED_ENTRIES)
                        && it.hasNext()) {
                    Snapshot victim = it.next();
                    if (victim != s) {
                        it.remove();
                        cachedEntries -= victim.size();
                    }
                }
            }
        }
        return s;
    }

    private record Named(long cookie, String name) {
    }

    private Snapshot read(int dirFd, Statx dir, Set<String> hidden) throws ErrnoException {
        List<Named> entries = new ArrayList<>();
        int fd = Libc.openat(dirFd, ".", Libc.O_RDONLY | Libc.O_DIRECTORY, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(DENTS_BUFFER, 8);
            while (true) {
                long n = Libc.getdents64(fd, buf);
                if (n == 0) {
                    break;
                }
                long off = 0;
                while (off < n) {
                    int reclen = Libc.direntReclen(buf, off);
                    byte[] raw = Libc.direntName(buf, off, reclen);
                    off += reclen;
                    if (isDotOrDotDot(raw)) {
                        continue;
                    }
                    String name = decode(raw);
                    if (name == null || hidden.contains(name)) {
                        continue;
                    }
                    entries.add(new Named(cookieOf(raw), name));
                }
            }
        } finally {
            Libc.close(fd);
        }
        entries.sort((a, b) -> a.cookie != b.cookie ? Long.compare(a.cookie, b.cookie)
                : a.name.compareTo(b.name));
        long[] cookies = new long[entries.size()];
        String[] names = new String[entries.size()];
        for (int i = 0; i < cookies.length; i++) {
            cookies[i] = entries.get(i).cookie;
            names[i] = entries.get(i).name;
        }
        return new Snapshot(dir.ino(), dir.mtimeNanos(), dir.ctimeNanos(), cookies, names);
    }

    private static boolean isDotOrDotDot(byte[] n) {
        return (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
    }

    /** NFS names are UTF-8; an entry whose name is not cannot be named by a client. */
    private String decode(byte[] raw) {
        boolean ascii = true;
        for (byte b : raw) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            if (!warnedBadName) {
                warnedBadName = true;
                LOG.warn("skipping directory entries whose names are not UTF-8 (first: {})",
                        new String(raw, StandardCharsets.UTF_8));
            }
            return null;
        }
    }
}
