package org.fsnap.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot operations on one file of a mounted fsnap export, through its user xattrs
 * ({@code fsnap.create|delete|revert} set, {@code fsnap.list|current|info} read), with every
 * failure turned into a message for people and an {@link ExitCode}.
 *
 * <p>Every operation first reads {@code fsnap.list}: on an fsnap export it always exists (empty
 * for a file without snapshots), so a failure there tells "not fsnap" apart before anything is
 * written. Without that check {@code fsnap create} on a local disk would just store an xattr.
 */
public final class SnapshotClient {
    public static final String CREATE = "fsnap.create";
    public static final String DELETE = "fsnap.delete";
    public static final String REVERT = "fsnap.revert";
    public static final String LIST = "fsnap.list";
    public static final String CURRENT = "fsnap.current";
    public static final String INFO = "fsnap.info";

    static final String MOUNT_HOWTO = "mount -t nfs -o vers=4.2 SERVER:/ MOUNTPOINT";
    static final int MAX_NAME_BYTES = 255;

    private final SnapshotXattrs xattrs;
    private final Mounts mounts;

    public SnapshotClient(SnapshotXattrs xattrs, Mounts mounts) {
        this.xattrs = xattrs;
        this.mounts = mounts;
    }

    /** What a command was doing, for the wording of its errors. */
    private enum Op {
        READ("listing snapshots", "read"),
        CREATE("creating a snapshot", "write"),
        DELETE("deleting a snapshot", "write"),
        REVERT("reverting to a snapshot", "write");

        final String doing;
        final String permission;

        Op(String doing, String permission) {
            this.doing = doing;
            this.permission = permission;
        }
    }

    /**
     * Takes a snapshot; {@code name} empty lets the server choose (a UTC time such as
     * {@code 20261122T193000Z}). Returns the snapshot's name.
     */
    public String create(Path file, Optional<String> name) throws CliException {
        probe(file);
        if (name.isPresent()) {
            validateName(file, name.get());
        }
        write(file, CREATE, name.orElse(""), Op.CREATE, name.orElse(null));
        if (name.isPresent()) {
            return name.get();
        }
        return read(file, CURRENT).strip();
    }

    public void delete(Path file, String name) throws CliException {
        probe(file);
        validateName(file, name);
        write(file, DELETE, name, Op.DELETE, name);
    }

    public void revert(Path file, String name) throws CliException {
        probe(file);
        validateName(file, name);
        write(file, REVERT, name, Op.REVERT, name);
    }

    /** The snapshots of {@code file}, oldest first, with the current one marked. */
    public List<Snapshot> list(Path file) throws CliException {
        probe(file);
        String info = read(file, INFO);
        String current = read(file, CURRENT).strip();
        return Snapshot.parseInfo(info, current);
    }

    /** The path of snapshot {@code name}'s read-only copy: {@code DIR/.fsnap/BASENAME/NAME}. */
    public Path show(Path file, String name) throws CliException {
        validateName(file, name);
        List<String> names = probe(file).lines().toList();
        if (!names.contains(name)) {
            throw noSuchSnapshot(file, name);
        }
        return viewPath(file, name);
    }

    /** {@code DIR/.fsnap/BASENAME/NAME} for FILE = {@code DIR/BASENAME}, absolute. */
    public static Path viewPath(Path file, String name) {
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        return dir.resolve(".fsnap").resolve(absolute.getFileName().toString()).resolve(name);
    }

    // ------------------------------------------------------------------------------ checks

    /** Checks FILE and that it is on an fsnap export; returns the value of fsnap.list. */
    private String probe(Path file) throws CliException {
        checkFile(file);
        try {
            return utf8(file, xattrs.read(file, LIST));
        } catch (XattrException e) {
            if (e.errno() == Errno.ENODATA) {
                throw notFsnap(file);
            }
            if (e.errno() == Errno.OTHER && !xattrs.claimsSupport(file)) {
                throw noXattrs(file);
            }
            throw failure(file, Op.READ, null, e);
        }
    }

    private static void checkFile(Path file) throws CliException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.NO_FILE, file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CliException(ExitCode.PERMISSION, file + ": permission denied (cannot reach the file)");
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, file + ": " + reason(e));
        }
        if (attrs.isDirectory()) {
            throw new CliException(ExitCode.NO_FILE, file + " is a directory: snapshots are of regular files");
        }
        if (!attrs.isRegularFile()) {
            throw new CliException(ExitCode.NO_FILE, file + " is not a regular file: snapshots are of regular files");
        }
    }

    /**
     * The engine's rules for a name (1-255 bytes of UTF-8, no '/' or NUL, not "." or ".."), plus
     * no tab or newline, which would break the line format of fsnap.list and fsnap.info.
     */
    static void validateName(Path file, String name) throws CliException {
        String why = null;
        if (name.isEmpty()) {
            why = "it is empty";
        } else if (name.equals(".") || name.equals("..")) {
            why = "'.' and '..' are not allowed";
        } else if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            why = "it contains '/' or NUL";
        } else if (name.indexOf('\n') >= 0 || name.indexOf('\t') >= 0) {
            why = "it contains a tab or newline";
        } else if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            why = "it is longer than 255 bytes";
        }
        if (why != null) {
            throw new CliException(ExitCode.SNAPSHOT, file + ": '" + printable(name)
                    + "' is not a valid snapshot name: " + why);
        }
    }

    // ------------------------------------------------------------------------------ xattrs

    private String read(Path file, String attr) throws CliException {
        try {
            return utf8(file, xattrs.read(file, attr));
        } catch (XattrException e) {
            if (e.errno() == Errno.ENODATA) {
                throw notFsnap(file);
            }
            throw failure(file, Op.READ, null, e);
        }
    }

    private void write(Path file, String attr, String value, Op op, String name) throws CliException {
        try {
            xattrs.write(file, attr, value.getBytes(StandardCharsets.UTF_8));
        } catch (XattrException e) {
            throw failure(file, op, name, e);
        }
    }

    private static String utf8(Path file, byte[] value) throws CliException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCode.IO, file + ": the server sent a snapshot list that is not UTF-8");
        }
    }

    // ------------------------------------------------------------------------------ errors

    private CliException failure(Path file, Op op, String name, XattrException e) {
        return switch (e.errno()) {
            case ENOTSUP -> noXattrs(file);
            case EACCES, EPERM -> new CliException(ExitCode.PERMISSION, file + ": permission denied: "
                    + op.doing + " needs " + op.permission + " permission on the file");
            case EROFS -> new CliException(ExitCode.PERMISSION, file + ": the export is read-only: "
                    + op.doing + " is not possible");
            case ENODATA -> op == Op.READ ? notFsnap(file) : noSuchSnapshot(file, name);
            case EEXIST -> new CliException(ExitCode.SNAPSHOT, file + ": a snapshot named '" + printable(name)
                    + "' already exists");
            case EINVAL -> new CliException(ExitCode.SNAPSHOT, file + ": the server refused "
                    + (name == null ? "the request" : "the snapshot name '" + printable(name) + "'")
                    + " as invalid (names are 1 to 255 bytes, without '/', not '.' or '..')");
            case EDQUOT -> new CliException(ExitCode.SNAPSHOT, file + ": too many snapshots: the server's limit"
                    + " of snapshots per file is reached (remove some with 'fsnap delete')");
            case ENOSPC -> new CliException(ExitCode.SNAPSHOT, file + ": no space left on the export for "
                    + op.doing.replace("a snapshot", "the snapshot"));
            case ENOENT -> new CliException(ExitCode.NO_FILE, file + ": no such file");
            case EISDIR -> new CliException(ExitCode.NO_FILE, file
                    + " is a directory: snapshots are of regular files");
            case ESTALE -> new CliException(ExitCode.IO, file
                    + ": stale file handle (the file was removed or replaced on the server)");
            case E2BIG, ERANGE -> new CliException(ExitCode.IO, file + ": the snapshot list is too long for"
                    + " an xattr; list " + viewPath(file, "x").getParent() + " instead");
            default -> new CliException(ExitCode.IO, file + ": " + op.doing + " failed: " + e.getMessage());
        };
    }

    private static CliException noSuchSnapshot(Path file, String name) {
        return new CliException(ExitCode.SNAPSHOT, file + ": no snapshot named '" + printable(name)
                + "' (see 'fsnap list " + file + "')");
    }

    /** The file system has no user xattrs at all (a local one without them, NFS before 4.2). */
    CliException noXattrs(Path file) {
        StringBuilder m = new StringBuilder(file + ": this path does not support user xattrs:"
                + " is it an fsnap export mounted with -o vers=4.2?");
        Optional<Mounts.Mount> mount = mounts.find(file);
        if (mount.isPresent() && mount.get().isNfs()) {
            Mounts.Mount nfs = mount.get();
            String vers = nfs.option("vers").orElse(nfs.type().equals("nfs4") ? "4" : "3");
            if (vers.equals("4.2")) {
                m.append("\n  ").append(nfs.mountPoint()).append(" is mounted from ").append(nfs.device())
                        .append(" with vers=4.2, but that server offers no xattrs: it is not fsnap");
            } else {
                m.append("\n  ").append(nfs.mountPoint()).append(" is mounted from ").append(nfs.device())
                        .append(" with vers=").append(vers).append("; NFS carries xattrs from 4.2 on: ")
                        .append("mount -t nfs -o vers=4.2 ").append(nfs.device()).append(' ')
                        .append(nfs.mountPoint());
            }
        } else {
            appendLocalHint(m, mount);
        }
        return new CliException(ExitCode.NOT_FSNAP, m.toString());
    }

    /** The file system has user xattrs, but fsnap's are not there: not an fsnap export. */
    CliException notFsnap(Path file) {
        StringBuilder m = new StringBuilder(file + ": not on an fsnap export (the filesystem has user xattrs"
                + " but no fsnap.list)");
        Optional<Mounts.Mount> mount = mounts.find(file);
        if (mount.isPresent() && mount.get().isNfs()) {
            m.append("\n  ").append(mount.get().mountPoint()).append(" is mounted from ")
                    .append(mount.get().device()).append(", which is not an fsnap server");
        } else {
            appendLocalHint(m, mount);
        }
        return new CliException(ExitCode.NOT_FSNAP, m.toString());
    }

    private static void appendLocalHint(StringBuilder m, Optional<Mounts.Mount> mount) {
        mount.ifPresent(local -> m.append("\n  ").append(local.mountPoint()).append(" is a local ")
                .append(local.type()).append(" filesystem, not an NFS mount"));
        m.append("\n  mount the fsnap export with: ").append(MOUNT_HOWTO);
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? f.getReason() : String.valueOf(e.getMessage());
    }

    /** A name as shown in a message: control characters escaped. */
    static String printable(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        name.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case 0 -> b.append("\\0");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}
