package org.fsnap.server.vfs.local;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The Linux calls NIO cannot make (file handles, *at() calls relative to a directory fd,
 * statx, xattr flags), bound with the FFM API. Each wrapper takes and returns plain Java
 * values and throws {@link ErrnoException} on failure. Strings cross as UTF-8 whatever the
 * JVM's file-name encoding, because NFS names are UTF-8.
 */
final class Libc {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;
    /** O_DIRECTORY and O_NOFOLLOW are the only flags we use whose values differ by arch. */
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;

    static final int XATTR_CREATE = 1;
    static final int XATTR_REPLACE = 2;

    /**
     * "now" and "leave as it is" for {@link #utimensat}, whose times are nanoseconds since the
     * epoch: values no settable time can take (the decoder refuses times this far back), not
     * the kernel's tv_nsec markers, which as whole nanoseconds are the real times
     * 1.073741823 s and 1.073741822 s after the epoch.
     */
    static final long UTIME_NOW = Long.MIN_VALUE;
    static final long UTIME_OMIT = Long.MIN_VALUE + 1;
    /** The kernel's UTIME_NOW / UTIME_OMIT, in tv_nsec. */
    private static final long KERNEL_UTIME_NOW = (1L << 30) - 1;
    private static final long KERNEL_UTIME_OMIT = (1L << 30) - 2;

    /** Linux MAX_HANDLE_SZ; we ask for at most what fits in our handle format. */
    static final int MAX_KERNEL_HANDLE = 128;

    static {
        String arch = System.getProperty("os.arch");
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            O_DIRECTORY = 040000;
            O_NOFOLLOW = 0100000;
        } else {
            O_DIRECTORY = 0200000;
            O_NOFOLLOW = 0400000;
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPENAT = variadic("openat", 3, JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = fn("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle DUP = fn("dup", JAVA_INT, JAVA_INT);
    private static final MethodHandle STATX = fn("statx", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT,
            JAVA_INT, ADDRESS);
    private static final MethodHandle NAME_TO_HANDLE_AT = fn("name_to_handle_at", JAVA_INT,
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle OPEN_BY_HANDLE_AT = fn("open_by_handle_at", JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle READLINKAT = fn("readlinkat", JAVA_LONG, JAVA_INT, ADDRESS,
            ADDRESS, JAVA_LONG);
    private static final MethodHandle MKDIRAT = fn("mkdirat", JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT);
    private static final MethodHandle MKNODAT = fn("mknodat", JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT, JAVA_LONG);
    private static final MethodHandle SYMLINKAT = fn("symlinkat", JAVA_INT, ADDRESS, JAVA_INT,
            ADDRESS);
    private static final MethodHandle LINKAT = fn("linkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT,
            ADDRESS, JAVA_INT);
    private static final MethodHandle UNLINKAT = fn("unlinkat", JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT);
    private static final MethodHandle RENAMEAT = fn("renameat", JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT, ADDRESS);
    private static final MethodHandle FCHOWNAT = fn("fchownat", JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCHOWN = fn("fchown", JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT);
    private static final MethodHandle FCHMOD = fn("fchmod", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CHMOD = fn("chmod", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle UTIMENSAT = fn("utimensat", JAVA_INT, JAVA_INT, ADDRESS,
            ADDRESS, JAVA_INT);
    private static final MethodHandle FTRUNCATE = fn("ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle PREAD = fn("pread", JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PWRITE = fn("pwrite", JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_LONG);
    private static final MethodHandle MMAP = fn("mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MUNMAP = fn("munmap", JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle GETPAGESIZE = fn("getpagesize", JAVA_INT);
    private static final MethodHandle FSYNC = fn("fsync", JAVA_INT, JAVA_INT);
    private static final MethodHandle FDATASYNC = fn("fdatasync", JAVA_INT, JAVA_INT);
    private static final MethodHandle FSTATFS = fn("fstatfs", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle GETDENTS64 = fn("getdents64", JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG);
    private static final MethodHandle GETXATTR = fn("getxattr", JAVA_LONG, ADDRESS, ADDRESS,
            ADDRESS, JAVA_LONG);
    private static final MethodHandle SETXATTR = fn("setxattr", JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle LISTXATTR = fn("listxattr", JAVA_LONG, ADDRESS, ADDRESS,
            JAVA_LONG);
    private static final MethodHandle REMOVEXATTR = fn("removexattr", JAVA_INT, ADDRESS, ADDRESS);

    /** The granularity of {@link #mmapShared}'s offsets. */
    static final long PAGE_SIZE = pageSize();

    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 0x01;
    /** Map every page at once: one call instead of a page fault per few pages on the way out. */
    private static final int MAP_POPULATE = 0x8000;

    private Libc() {
    }

    private static long pageSize() {
        try (Arena a = Arena.ofConfined()) {
            return (int) GETPAGESIZE.invokeExact(errnoSlot(a));
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    @SuppressWarnings("restricted") // native access is the point; the launcher enables it
    private static MethodHandle fn(String name, MemoryLayout ret, MemoryLayout... args) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(ret, args),
                Linker.Option.captureCallState("errno"));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle variadic(String name, int firstVariadic, MemoryLayout ret,
                                         MemoryLayout... args) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(ret, args),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** The path under /proc through which a path-only call reaches exactly the object of fd. */
    static String procPath(int fd) {
        return "/proc/self/fd/" + fd;
    }

    private static MemorySegment errnoSlot(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    private static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    private static MemorySegment cstr(Arena arena, String s) {
        return arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    private static RuntimeException linkageFailure(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static int check(String call, int result, MemorySegment slot) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, errno(slot));
        }
        return result;
    }

    private static long check(String call, long result, MemorySegment slot) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, errno(slot));
        }
        return result;
    }

    // ---- descriptors

    static int openat(int dirfd, String path, int flags, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            int r = (int) OPENAT.invokeExact(e, dirfd, cstr(a, path), flags | O_CLOEXEC, mode);
            return check("openat", r, e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int dup(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            return check("dup", (int) DUP.invokeExact(e, fd), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Closes quietly: a failed close of an fd we own leaves nothing to undo. */
    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(errnoSlot(a), fd);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    // ---- attributes

    static Statx statx(int dirfd, String path, int flags, int mask) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment buf = a.allocate(Statx.SIZE, 8);
            int r = (int) STATX.invokeExact(e, dirfd, cstr(a, path), flags, mask, buf);
            check("statx", r, e);
            return Statx.decode(buf);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** statx of the object an fd refers to. */
    static Statx fstatx(int fd) throws ErrnoException {
        return statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, Statx.STATX_WANTED);
    }

    /** The fields of struct statfs we need. */
    record StatFs(long type, long blockSize, long blocks, long freeBlocks, long availBlocks,
                  long files, long freeFiles, int fsid0, int fsid1, long fragmentSize) {
        long unit() {
            return fragmentSize > 0 ? fragmentSize : blockSize;
        }
    }

    static StatFs fstatfs(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment b = a.allocate(120, 8);
            check("fstatfs", (int) FSTATFS.invokeExact(e, fd, b), e);
            return new StatFs(b.get(JAVA_LONG, 0), b.get(JAVA_LONG, 8), b.get(JAVA_LONG, 16),
                    b.get(JAVA_LONG, 24), b.get(JAVA_LONG, 32), b.get(JAVA_LONG, 40),
                    b.get(JAVA_LONG, 48), b.get(JAVA_INT, 56), b.get(JAVA_INT, 60),
                    b.get(JAVA_LONG, 72));
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    // ---- file handles

    /** A kernel file handle (struct file_handle) plus the mount id it was taken on. */
    record KernelHandle(int type, byte[] bytes, int mountId) {
    }

    static KernelHandle nameToHandleAt(int dirfd, String path, int flags, int maxBytes)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment fh = a.allocate(8L + MAX_KERNEL_HANDLE, 8);
            fh.set(JAVA_INT, 0, Math.min(maxBytes, MAX_KERNEL_HANDLE));
            MemorySegment mountId = a.allocate(JAVA_INT);
            int r = (int) NAME_TO_HANDLE_AT.invokeExact(e, dirfd, cstr(a, path), fh, mountId,
                    flags);
            check("name_to_handle_at", r, e);
            int n = fh.get(JAVA_INT, 0);
            byte[] bytes = fh.asSlice(8, n).toArray(JAVA_BYTE);
            return new KernelHandle(fh.get(JAVA_INT, 4), bytes, mountId.get(JAVA_INT, 0));
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int openByHandleAt(int mountFd, int type, byte[] bytes, int flags)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment fh = a.allocate(8L + bytes.length, 8);
            fh.set(JAVA_INT, 0, bytes.length);
            fh.set(JAVA_INT, 4, type);
            MemorySegment.copy(bytes, 0, fh, JAVA_BYTE, 8, bytes.length);
            int r = (int) OPEN_BY_HANDLE_AT.invokeExact(e, mountFd, fh, flags | O_CLOEXEC);
            return check("open_by_handle_at", r, e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    // ---- names

    /** readlinkat as raw bytes; with an empty path it reads the symlink an O_PATH fd holds. */
    static byte[] readlinkat(int dirfd, String path) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            long cap = 4096;
            MemorySegment p = cstr(a, path);
            while (true) {
                MemorySegment buf = a.allocate(cap);
                long n = check("readlinkat", (long) READLINKAT.invokeExact(e, dirfd, p, buf, cap),
                        e);
                if (n < cap) {
                    return buf.asSlice(0, n).toArray(JAVA_BYTE);
                }
                cap *= 4; // truncated: retry bigger (symlink bodies can reach PATH_MAX and beyond)
                if (cap > (1 << 20)) {
                    throw new ErrnoException("readlinkat", Errno.ENAMETOOLONG);
                }
            }
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void mkdirat(int dirfd, String name, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("mkdirat", (int) MKDIRAT.invokeExact(e, dirfd, cstr(a, name), mode), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void mknodat(int dirfd, String name, int mode, long dev) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("mknodat", (int) MKNODAT.invokeExact(e, dirfd, cstr(a, name), mode, dev), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void symlinkat(byte[] target, int dirfd, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment t = a.allocate(target.length + 1L);
            MemorySegment.copy(target, 0, t, JAVA_BYTE, 0, target.length);
            check("symlinkat", (int) SYMLINKAT.invokeExact(e, t, dirfd, cstr(a, name)), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            int r = (int) LINKAT.invokeExact(e, olddirfd, cstr(a, oldpath), newdirfd,
                    cstr(a, newpath), flags);
            check("linkat", r, e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void unlinkat(int dirfd, String name, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("unlinkat", (int) UNLINKAT.invokeExact(e, dirfd, cstr(a, name), flags), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void renameat(int olddirfd, String oldname, int newdirfd, String newname)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            int r = (int) RENAMEAT.invokeExact(e, olddirfd, cstr(a, oldname), newdirfd,
                    cstr(a, newname));
            check("renameat", r, e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    // ---- ownership, mode, times, size

    static void fchownat(int dirfd, String path, int uid, int gid, int flags)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("fchownat", (int) FCHOWNAT.invokeExact(e, dirfd, cstr(a, path), uid, gid, flags),
                    e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void fchown(int fd, int uid, int gid) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("fchown", (int) FCHOWN.invokeExact(e, fd, uid, gid), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void fchmod(int fd, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("fchmod", (int) FCHMOD.invokeExact(e, fd, mode), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** chmod by path; used with {@link #procPath} because fchmod refuses O_PATH descriptors. */
    static void chmod(String path, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("chmod", (int) CHMOD.invokeExact(e, cstr(a, path), mode), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Times in ns since the epoch, or {@link #UTIME_NOW} / {@link #UTIME_OMIT}. */
    static void utimensat(int dirfd, String path, long atime, long mtime, int flags)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment ts = a.allocate(32, 8);
            putTime(ts, 0, atime);
            putTime(ts, 16, mtime);
            check("utimensat", (int) UTIMENSAT.invokeExact(e, dirfd, cstr(a, path), ts, flags), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    private static void putTime(MemorySegment ts, long offset, long value) {
        if (value == UTIME_NOW || value == UTIME_OMIT) {
            ts.set(JAVA_LONG, offset, 0);
            ts.set(JAVA_LONG, offset + 8,
                    value == UTIME_NOW ? KERNEL_UTIME_NOW : KERNEL_UTIME_OMIT);
        } else {
            ts.set(JAVA_LONG, offset, Math.floorDiv(value, 1_000_000_000L));
            ts.set(JAVA_LONG, offset + 8, Math.floorMod(value, 1_000_000_000L));
        }
    }

    static void ftruncate(int fd, long length) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("ftruncate", (int) FTRUNCATE.invokeExact(e, fd, length), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    // ---- data

    /** pread into native memory; returns bytes read (0 at end of file). Retries EINTR. */
    static long pread(int fd, MemorySegment dst, long offset) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            while (true) {
                long n = (long) PREAD.invokeExact(e, fd, dst, dst.byteSize(), offset);
                if (n >= 0) {
                    return n;
                }
                if (errno(e) != Errno.EINTR) {
                    throw new ErrnoException("pread", errno(e));
                }
            }
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** pwrite from native memory; returns bytes written. Retries EINTR. */
    static long pwrite(int fd, MemorySegment src, long offset) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            while (true) {
                long n = (long) PWRITE.invokeExact(e, fd, src, src.byteSize(), offset);
                if (n >= 0) {
                    return n;
                }
                if (errno(e) != Errno.EINTR) {
                    throw new ErrnoException("pwrite", errno(e));
                }
            }
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * Maps {@code length} bytes of fd from {@code offset} (a multiple of {@link #PAGE_SIZE})
     * read-only and shared, its pages populated. Writing into the segment kills the JVM.
     */
    @SuppressWarnings("restricted") // the segment is given the mapping's length, no more
    static MemorySegment mmapShared(int fd, long offset, long length) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment m = (MemorySegment) MMAP.invokeExact(e, MemorySegment.NULL, length,
                    PROT_READ, MAP_SHARED | MAP_POPULATE, fd, offset);
            if (m.address() == -1L) { // MAP_FAILED
                throw new ErrnoException("mmap", errno(e));
            }
            return m.reinterpret(length);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void munmap(MemorySegment mapping) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("munmap", (int) MUNMAP.invokeExact(e, mapping, mapping.byteSize()), e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void fsync(int fd, boolean dataOnly) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            int r = dataOnly ? (int) FDATASYNC.invokeExact(e, fd) : (int) FSYNC.invokeExact(e, fd);
            check(dataOnly ? "fdatasync" : "fsync", r, e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Fills buf with linux_dirent64 records; returns bytes used, 0 at the end. */
    static long getdents64(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            return check("getdents64", (long) GETDENTS64.invokeExact(e, fd, buf, buf.byteSize()),
                    e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    // ---- extended attributes (path based: reached through procPath(fd), which follows to the fd's object)

    static byte[] getxattr(String path, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment p = cstr(a, path);
            MemorySegment n = cstr(a, name);
            while (true) {
                long size = check("getxattr",
                        (long) GETXATTR.invokeExact(e, p, n, MemorySegment.NULL, 0L), e);
                MemorySegment buf = a.allocate(Math.max(1, size));
                long got = (long) GETXATTR.invokeExact(e, p, n, buf, buf.byteSize());
                if (got < 0 && errno(e) == Errno.ERANGE) {
                    continue; // grew between the two calls
                }
                check("getxattr", got, e);
                return buf.asSlice(0, got).toArray(JAVA_BYTE);
            }
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void setxattr(String path, String name, byte[] value, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
            int r = (int) SETXATTR.invokeExact(e, cstr(a, path), cstr(a, name), v,
                    (long) value.length, flags);
            check("setxattr", r, e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** All attribute names, NUL-separated as the kernel gives them. */
    static byte[] listxattr(String path) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            MemorySegment p = cstr(a, path);
            while (true) {
                long size = check("listxattr",
                        (long) LISTXATTR.invokeExact(e, p, MemorySegment.NULL, 0L), e);
                if (size == 0) {
                    return new byte[0];
                }
                MemorySegment buf = a.allocate(size);
                long got = (long) LISTXATTR.invokeExact(e, p, buf, size);
                if (got < 0 && errno(e) == Errno.ERANGE) {
                    continue;
                }
                check("listxattr", got, e);
                return buf.asSlice(0, got).toArray(JAVA_BYTE);
            }
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static void removexattr(String path, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = errnoSlot(a);
            check("removexattr", (int) REMOVEXATTR.invokeExact(e, cstr(a, path), cstr(a, name)),
                    e);
        } catch (ErrnoException ex) {
            throw ex;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** Reads a little-endian linux_dirent64 field set; see {@link LocalDirectoryLister}. */
    static long direntIno(MemorySegment buf, long off) {
        return buf.get(JAVA_LONG_UNALIGNED, off);
    }

    static int direntReclen(MemorySegment buf, long off) {
        return Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, off + 16));
    }

    static int direntType(MemorySegment buf, long off) {
        return Byte.toUnsignedInt(buf.get(JAVA_BYTE, off + 18));
    }

    /** The NUL-terminated d_name bytes of the record at off. */
    static byte[] direntName(MemorySegment buf, long off, int reclen) {
        long start = off + 19;
        long end = start;
        long limit = off + reclen;
        while (end < limit && buf.get(JAVA_BYTE, end) != 0) {
            end++;
        }
        return buf.asSlice(start, end - start).toArray(JAVA_BYTE);
    }
}
