package org.fsnap.snapshot.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles for the few libc functions the engine needs and the JDK does not expose
 * (FICLONE, xattrs on an open descriptor, statx, fallocate with flags).
 *
 * <p>Every handle captures {@code errno} into a caller-supplied segment laid out as {@link #CALL_STATE},
 * because errno read later from Java may already be clobbered by the JVM.
 */
final class Libc {

    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // Open flags differ between architectures; only the two we build for are supported.
    static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
    static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    static final int O_CLOEXEC = 02000000;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_SIZE_BYTES = 256;

    static final long FICLONE = 0x40049409L; // _IOW(0x94, 9, int)
    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int XATTR_CREATE = 1;

    static final MethodHandle OPEN;
    static final MethodHandle CLOSE;
    static final MethodHandle STATX;
    static final MethodHandle FSYNC;
    static final MethodHandle FDATASYNC;
    static final MethodHandle FTRUNCATE;
    static final MethodHandle FALLOCATE;
    static final MethodHandle IOCTL_INT;
    static final MethodHandle COPY_FILE_RANGE;
    static final MethodHandle PREAD;
    static final MethodHandle PWRITE;
    static final MethodHandle FGETXATTR;
    static final MethodHandle FSETXATTR;
    static final MethodHandle LGETXATTR;
    static final MethodHandle FUTIMENS;

    static {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            throw new ExceptionInInitializerError(
                    "fsnap's native file access supports Linux on x86_64 and aarch64 only, not " + os + "/" + arch);
        }
        OPEN = variadic("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
        CLOSE = plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        STATX = plain("statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        FSYNC = plain("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        FDATASYNC = plain("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        FTRUNCATE = plain("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        FALLOCATE = plain("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        IOCTL_INT = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT), 2);
        COPY_FILE_RANGE = plain("copy_file_range",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        PREAD = plain("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        PWRITE = plain("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        FGETXATTR = plain("fgetxattr", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        FSETXATTR = plain("fsetxattr",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        LGETXATTR = plain("lgetxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        FUTIMENS = plain("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private Libc() {
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new ExceptionInInitializerError("libc has no " + name));
        return linker.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle variadic(String name, FunctionDescriptor descriptor, int firstVariadic) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new ExceptionInInitializerError("libc has no " + name));
        return linker.downcallHandle(symbol, descriptor,
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
    }
}
