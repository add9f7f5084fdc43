package org.fsnap.snapshot.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A file descriptor opened through libc, so that FICLONE, xattrs and statx all act on the very inode we
 * checked (no path re-resolution between the check and the use).
 *
 * <p>Not thread-safe: one owner at a time.
 */
public final class NativeFile implements AutoCloseable {

    private static final int COMMON_OPEN_FLAGS = Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY;

    private final int fd;
    private final String subject;
    private boolean closed;

    private NativeFile(int fd, String subject) {
        this.fd = fd;
        this.subject = subject;
    }

    /**
     * Opens an existing file without following a final symlink (fails with ELOOP on one).
     * O_NONBLOCK keeps us from hanging on a FIFO that slipped past a type check.
     */
    public static NativeFile openExisting(Path path, boolean writable) throws NativeIoException {
        int access = writable ? Libc.O_RDWR : Libc.O_RDONLY;
        return open(path, access | Libc.O_NONBLOCK | COMMON_OPEN_FLAGS, 0);
    }

    /** Creates a new file that must not exist yet. */
    public static NativeFile createNew(Path path, int mode) throws NativeIoException {
        return open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | COMMON_OPEN_FLAGS, mode);
    }

    /** Opens a directory, only to fsync it (making entries created in it durable). */
    public static NativeFile openDirectory(Path path) throws NativeIoException {
        return open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | COMMON_OPEN_FLAGS, 0);
    }

    /** fsyncs a directory so that creations, renames and removals in it survive a power cut. */
    public static void syncDirectory(Path directory) throws NativeIoException {
        try (NativeFile dir = openDirectory(directory)) {
            dir.fsync();
        }
    }

    private static NativeFile open(Path path, int flags, int mode) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment cPath = arena.allocateFrom(path.toString());
            while (true) {
                int fd = (int) Libc.OPEN.invokeExact(state, cPath, flags, mode);
                if (fd >= 0) {
                    return new NativeFile(fd, path.toString());
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("open", errno, path.toString());
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native open failed unexpectedly", t);
        }
    }

    /** Reads an xattr of a path without following symlinks; empty when absent or the path is gone. */
    public static Optional<byte[]> getXattrNoFollow(Path path, String name) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment cPath = arena.allocateFrom(path.toString());
            MemorySegment cName = arena.allocateFrom(name);
            long capacity = 256;
            while (true) {
                MemorySegment buffer = arena.allocate(capacity);
                long n = (long) Libc.LGETXATTR.invokeExact(state, cPath, cName, buffer, capacity);
                if (n >= 0) {
                    return Optional.of(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
                int errno = Libc.errno(state);
                switch (errno) {
                    case Errno.ENODATA, Errno.ENOENT, Errno.ENOTDIR, Errno.EOPNOTSUPP -> {
                        return Optional.empty();
                    }
                    case Errno.ERANGE -> capacity *= 16;
                    case Errno.EINTR -> { }
                    default -> throw new NativeIoException("lgetxattr " + name, errno, path.toString());
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native lgetxattr failed unexpectedly", t);
        }
    }

    public FileStat stat() throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment empty = arena.allocateFrom("");
            MemorySegment buf = arena.allocate(Libc.STATX_SIZE_BYTES, 8);
            int rc = (int) Libc.STATX.invokeExact(state, fd, empty,
                    Libc.AT_EMPTY_PATH | Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, buf);
            if (rc != 0) {
                throw new NativeIoException("statx", Libc.errno(state), subject);
            }
            // struct statx offsets from linux/stat.h (architecture independent).
            long links = Integer.toUnsignedLong(buf.get(JAVA_INT, 16));
            int mode = Short.toUnsignedInt(buf.get(JAVA_SHORT, 28));
            long inode = buf.get(JAVA_LONG, 32);
            long size = buf.get(JAVA_LONG, 40);
            long blocks = buf.get(JAVA_LONG, 48);
            long mtimeSeconds = buf.get(JAVA_LONG, 112);
            int mtimeNanos = buf.get(JAVA_INT, 120);
            long devMajor = Integer.toUnsignedLong(buf.get(JAVA_INT, 136));
            long devMinor = Integer.toUnsignedLong(buf.get(JAVA_INT, 140));
            return new FileStat(FileStat.makeDevice(devMajor, devMinor), inode, mode, links, size, blocks * 512,
                    Instant.ofEpochSecond(mtimeSeconds, mtimeNanos));
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native statx failed unexpectedly", t);
        }
    }

    public void fsync() throws NativeIoException {
        simple("fsync", Libc.FSYNC);
    }

    public void fdatasync() throws NativeIoException {
        simple("fdatasync", Libc.FDATASYNC);
    }

    private void simple(String call, java.lang.invoke.MethodHandle handle) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            while (true) {
                int rc = (int) handle.invokeExact(state, fd);
                if (rc == 0) {
                    return;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException(call, errno, subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native " + call + " failed unexpectedly", t);
        }
    }

    public void truncate(long length) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            while (true) {
                int rc = (int) Libc.FTRUNCATE.invokeExact(state, fd, length);
                if (rc == 0) {
                    return;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("ftruncate", errno, subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native ftruncate failed unexpectedly", t);
        }
    }

    /**
     * Reserves blocks for [offset, offset+length). With {@code keepSize} the file size does not change,
     * which lets us claim space for a revert before committing to it.
     *
     * @return false when the filesystem cannot preallocate (the caller then just proceeds)
     */
    public boolean allocate(long offset, long length, boolean keepSize) throws NativeIoException {
        if (length <= 0) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int mode = keepSize ? Libc.FALLOC_FL_KEEP_SIZE : 0;
            while (true) {
                int rc = (int) Libc.FALLOCATE.invokeExact(state, fd, mode, offset, length);
                if (rc == 0) {
                    return true;
                }
                int errno = Libc.errno(state);
                if (errno == Errno.EOPNOTSUPP || errno == Errno.ENOSYS) {
                    return false;
                }
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("fallocate", errno, subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native fallocate failed unexpectedly", t);
        }
    }

    /** ioctl(FICLONE): makes this file's whole content share the extents of {@code source}. */
    public void cloneFrom(NativeFile source) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            while (true) {
                int rc = (int) Libc.IOCTL_INT.invokeExact(state, fd, Libc.FICLONE, source.fd);
                if (rc == 0) {
                    return;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("ioctl(FICLONE)", errno, source.subject + " -> " + subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native ioctl failed unexpectedly", t);
        }
    }

    /**
     * copy_file_range from {@code source} at {@code offset} to this file at the same offset.
     *
     * @return bytes copied; 0 means the source ended
     */
    public long copyRangeFrom(NativeFile source, long offset, long length) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment inOffset = arena.allocate(JAVA_LONG);
            MemorySegment outOffset = arena.allocate(JAVA_LONG);
            while (true) {
                inOffset.set(JAVA_LONG, 0, offset);
                outOffset.set(JAVA_LONG, 0, offset);
                long n = (long) Libc.COPY_FILE_RANGE.invokeExact(state, source.fd, inOffset, fd, outOffset,
                        length, 0);
                if (n >= 0) {
                    return n;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("copy_file_range", errno, source.subject + " -> " + subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native copy_file_range failed unexpectedly", t);
        }
    }

    /** pread into {@code buffer}; returns the bytes read, 0 at end of file. */
    public long read(MemorySegment buffer, long offset) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            while (true) {
                long n = (long) Libc.PREAD.invokeExact(state, fd, buffer, buffer.byteSize(), offset);
                if (n >= 0) {
                    return n;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("pread", errno, subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native pread failed unexpectedly", t);
        }
    }

    /** pwrite all of {@code buffer[0, length)} at {@code offset}. */
    public void writeFully(MemorySegment buffer, long length, long offset) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            long done = 0;
            while (done < length) {
                long n = (long) Libc.PWRITE.invokeExact(state, fd, buffer.asSlice(done), length - done,
                        offset + done);
                if (n > 0) {
                    done += n;
                    continue;
                }
                int errno = n == 0 ? Errno.EIO : Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("pwrite", errno, subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native pwrite failed unexpectedly", t);
        }
    }

    /** The value of an xattr of this inode, empty when it has none by that name. */
    public Optional<byte[]> getXattr(String name) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment cName = arena.allocateFrom(name);
            long capacity = 256;
            while (true) {
                MemorySegment buffer = arena.allocate(capacity);
                long n = (long) Libc.FGETXATTR.invokeExact(state, fd, cName, buffer, capacity);
                if (n >= 0) {
                    return Optional.of(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
                int errno = Libc.errno(state);
                switch (errno) {
                    case Errno.ENODATA -> {
                        return Optional.empty();
                    }
                    case Errno.ERANGE -> capacity *= 16;
                    case Errno.EINTR -> { }
                    default -> throw new NativeIoException("fgetxattr " + name, errno, subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native fgetxattr failed unexpectedly", t);
        }
    }

    /** Sets an xattr; with {@code createOnly} it fails with EEXIST rather than replacing a value. */
    public void setXattr(String name, byte[] value, boolean createOnly) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment cName = arena.allocateFrom(name);
            MemorySegment cValue = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(MemorySegment.ofArray(value), 0, cValue, 0, value.length);
            int flags = createOnly ? Libc.XATTR_CREATE : 0;
            while (true) {
                int rc = (int) Libc.FSETXATTR.invokeExact(state, fd, cName, cValue, (long) value.length, flags);
                if (rc == 0) {
                    return;
                }
                int errno = Libc.errno(state);
                if (errno != Errno.EINTR) {
                    throw new NativeIoException("fsetxattr " + name, errno, subject);
                }
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native fsetxattr failed unexpectedly", t);
        }
    }

    /** Sets the modification time (access time left alone), e.g. to keep a snapshot's content mtime. */
    public void setModified(Instant modified) throws NativeIoException {
        final long utimeOmit = (1L << 30) - 2;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment times = arena.allocate(32, 8);
            times.set(JAVA_LONG, 0, 0L);
            times.set(JAVA_LONG, 8, utimeOmit);
            times.set(JAVA_LONG, 16, modified.getEpochSecond());
            times.set(JAVA_LONG, 24, modified.getNano());
            int rc = (int) Libc.FUTIMENS.invokeExact(state, fd, times);
            if (rc != 0) {
                throw new NativeIoException("futimens", Libc.errno(state), subject);
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native futimens failed unexpectedly", t);
        }
    }

    public String subject() {
        return subject;
    }

    @Override
    public void close() throws NativeIoException {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int rc = (int) Libc.CLOSE.invokeExact(state, fd);
            // Never retry close on Linux: the descriptor is released even when EINTR is reported.
            if (rc != 0 && Libc.errno(state) != Errno.EINTR) {
                throw new NativeIoException("close", Libc.errno(state), subject);
            }
        } catch (NativeIoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native close failed unexpectedly", t);
        }
    }
}
