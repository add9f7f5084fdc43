package org.fsnap.server.vfs.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.XattrSetMode;

/**
 * RFC 8276 extended attributes kept as local {@code user.*} attributes. Names on the wire
 * carry no prefix; only the user namespace is ever visible, so the export's trusted key and
 * any security labels stay hidden. Calls go through /proc/self/fd/N of the object's O_PATH
 * descriptor, which reaches exactly that object.
 */
final class LocalXattrs {
    static final String PREFIX = "user.";
    /** XATTR_SIZE_MAX: no Linux filesystem stores a larger value. */
    static final int MAX_VALUE = 65536;
    /** XATTR_NAME_MAX, counted with the prefix. */
    static final int MAX_NAME = 255;

    private final boolean supported;

    LocalXattrs(boolean supported) {
        this.supported = supported;
    }

    /** Whether the export's filesystem takes user xattrs (probed once on the root). */
    static boolean probe(int rootFd) {
        try {
            Libc.getxattr(Libc.procPath(rootFd), PREFIX + "fsnap.probe");
            return true;
        } catch (ErrnoException e) {
            return e.is(Errno.ENODATA) || e.is(Errno.ERANGE);
        }
    }

    boolean supported() {
        return supported;
    }

    static String fullName(String name) throws VfsException {
        if (name == null || name.isEmpty()) {
            throw new VfsException(VfsError.INVAL, "empty xattr name");
        }
        if (name.indexOf('\0') >= 0) {
            throw new VfsException(VfsError.BADNAME, "xattr name with NUL");
        }
        String full = PREFIX + name;
        if (Names.utf8Length(full) > MAX_NAME) {
            throw new VfsException(VfsError.NAMETOOLONG, "xattr name too long");
        }
        return full;
    }

    private void requireSupported() throws VfsException {
        if (!supported) {
            throw new VfsException(VfsError.NOTSUPP, "filesystem without user xattrs");
        }
    }

    byte[] get(int fd, String name) throws VfsException {
        requireSupported();
        String full = fullName(name);
        try {
            return Libc.getxattr(Libc.procPath(fd), full);
        } catch (ErrnoException e) {
            throw e.is(Errno.ENODATA) ? new VfsException(VfsError.NOXATTR, "no xattr " + name)
                    : VfsErrors.of(e);
        }
    }

    void set(int fd, String name, byte[] value, XattrSetMode mode) throws VfsException {
        requireSupported();
        String full = fullName(name);
        if (value.length > MAX_VALUE) {
            throw new VfsException(VfsError.XATTR2BIG, "xattr value of " + value.length + " bytes");
        }
        int flags = switch (mode) {
            case CREATE -> Libc.XATTR_CREATE;
            case REPLACE -> Libc.XATTR_REPLACE;
            case EITHER -> 0;
        };
        try {
            Libc.setxattr(Libc.procPath(fd), full, value, flags);
        } catch (ErrnoException e) {
            switch (e.errno()) {
                case Errno.EEXIST -> throw new VfsException(VfsError.EXIST, "xattr exists");
                case Errno.ENODATA -> throw new VfsException(VfsError.NOXATTR, "no xattr " + name);
                // ext4 answers ENOSPC when a value does not fit its xattr block, btrfs E2BIG
                // or ERANGE; a genuinely full disk is told apart by the value being small
                case Errno.E2BIG, Errno.ERANGE -> throw new VfsException(VfsError.XATTR2BIG,
                        "xattr value too large for the filesystem");
                case Errno.ENOSPC -> throw value.length > 1024
                        ? new VfsException(VfsError.XATTR2BIG, "xattr value too large for the filesystem")
                        : VfsErrors.of(e);
                default -> throw VfsErrors.of(e);
            }
        }
    }

    List<String> list(int fd) throws VfsException {
        requireSupported();
        byte[] all;
        try {
            all = Libc.listxattr(Libc.procPath(fd));
        } catch (ErrnoException e) {
            throw VfsErrors.of(e);
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == 0) {
                String n = new String(all, start, i - start, StandardCharsets.UTF_8);
                if (n.startsWith(PREFIX) && n.length() > PREFIX.length()) {
                    names.add(n.substring(PREFIX.length()));
                }
                start = i + 1;
            }
        }
        return names;
    }

    void remove(int fd, String name) throws VfsException {
        requireSupported();
        String full = fullName(name);
        try {
            Libc.removexattr(Libc.procPath(fd), full);
        } catch (ErrnoException e) {
            throw e.is(Errno.ENODATA) ? new VfsException(VfsError.NOXATTR, "no xattr " + name)
                    : VfsErrors.of(e);
        }
    }
}
