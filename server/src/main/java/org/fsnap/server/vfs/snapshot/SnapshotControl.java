package org.fsnap.server.vfs.snapshot;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotException;
import org.fsnap.snapshot.SnapshotInfo;

/**
 * Snapshot control through extended attributes: the user-facing contract. Names are as they
 * travel on the wire, without the {@code user.} prefix the Linux client strips:
 *
 * <pre>
 *  set fsnap.create  NAME   take snapshot NAME (empty value: an automatic UTC name)
 *  set fsnap.delete  NAME   delete snapshot NAME
 *  set fsnap.revert  NAME   revert the file to NAME, in place
 *  get fsnap.list           names, one per line, oldest first
 *  get fsnap.current        the current snapshot's name (empty if none)
 *  get fsnap.info           name, created (RFC 3339 UTC), size, parent: tab-separated lines
 * </pre>
 *
 * The names are virtual: never stored, never listed. Every other {@code fsnap.*} name is
 * refused with EINVAL, so nothing can hide a real attribute under the control namespace.
 * Create, delete and revert need write permission on the file; the reads need read permission.
 */
public final class SnapshotControl {
    public static final String PREFIX = "fsnap.";
    public static final String CREATE = "fsnap.create";
    public static final String DELETE = "fsnap.delete";
    public static final String REVERT = "fsnap.revert";
    public static final String LIST = "fsnap.list";
    public static final String CURRENT = "fsnap.current";
    public static final String INFO = "fsnap.info";

    /** Names that are set to act; reading them yields nothing. */
    public static final Set<String> COMMANDS = Set.of(CREATE, DELETE, REVERT);
    /** Names that are read to learn. */
    public static final Set<String> QUERIES = Set.of(LIST, CURRENT, INFO);

    /** XATTR_SIZE_MAX: no Linux client can receive a larger value. */
    static final int MAX_VALUE = 65536;

    private final VirtualFileSystem fs;
    private final SnapshotEngine engine;
    private final LivePaths paths;
    private final ChangeBumps bumps;

    SnapshotControl(VirtualFileSystem fs, SnapshotEngine engine, LivePaths paths, ChangeBumps bumps) {
        this.fs = fs;
        this.engine = engine;
        this.paths = paths;
        this.bumps = bumps;
    }

    /** Whether a wire name belongs to the control namespace. */
    public static boolean isControlName(String name) {
        return name != null && name.startsWith(PREFIX);
    }

    /**
     * Whether setting this name rewrites the file's data in place (a revert). The SETXATTR
     * operation needs to know: clients drop cached data only when a GETATTR shows a change
     * attribute other than the one they hold, never because of change_info.
     */
    public static boolean changesContent(String name) {
        return REVERT.equals(name);
    }

    byte[] get(Caller caller, Inode file, String name) throws VfsException {
        if (!QUERIES.contains(name)) {
            throw new VfsException(VfsError.INVAL, name + " is not a readable snapshot control");
        }
        Path path = checkedPath(caller, file, Access.READ);
        try {
            String text = switch (name) {
                case LIST -> list(engine.list(path));
                case CURRENT -> engine.current(path).orElse("");
                default -> info(engine.list(path));
            };
            byte[] value = text.getBytes(StandardCharsets.UTF_8);
            if (value.length > MAX_VALUE) {
                throw new VfsException(VfsError.XATTR2BIG, name + " is " + value.length
                        + " bytes, more than an xattr can carry; list .fsnap/FILE/ instead");
            }
            return value;
        } catch (SnapshotException e) {
            throw SnapshotErrors.of(e);
        }
    }

    void set(Caller caller, Inode file, String name, byte[] value) throws VfsException {
        if (!COMMANDS.contains(name)) {
            throw new VfsException(VfsError.INVAL, name + " is not a snapshot command");
        }
        String snapshot = snapshotName(value);
        if (snapshot.isEmpty() && !CREATE.equals(name)) {
            throw new VfsException(VfsError.INVAL, name + " needs a snapshot name");
        }
        Path path = checkedPath(caller, file, Access.MODIFY);
        long before = fs.getattr(file).change();
        try {
            switch (name) {
                case CREATE -> engine.create(path, snapshot);
                case DELETE -> engine.delete(path, snapshot);
                default -> engine.revert(path, snapshot);
            }
        } catch (SnapshotException e) {
            throw SnapshotErrors.of(e);
        }
        if (!changesContent(name)) {
            // Creating or deleting a snapshot changes what fsnap.list says: move the file's
            // ctime (a chmod to the same mode) so every client's cached xattrs are dropped.
            touch(file);
        }
        bumps.changed(file, before, fs.getattr(file).change());
    }

    private void touch(Inode file) throws VfsException {
        Stat st = fs.getattr(file);
        fs.setattr(Caller.root(), file, SetAttributes.ofMode(st.mode()));
    }

    /** The live regular file's path, after the type and permission checks of the contract. */
    private Path checkedPath(Caller caller, Inode file, int right) throws VfsException {
        Stat st = fs.getattr(file);
        if (st.type() == FileType.DIRECTORY) {
            throw new VfsException(VfsError.ISDIR, "snapshots are of regular files");
        }
        if (st.type() != FileType.REGULAR) {
            throw new VfsException(VfsError.INVAL, "snapshots are of regular files");
        }
        if ((fs.access(caller, file, right) & right) == 0) {
            throw new VfsException(VfsError.ACCESS, right == Access.READ
                    ? "no read permission on the file" : "no write permission on the file");
        }
        return paths.pathOf(file);
    }

    /**
     * The snapshot name in a command's value: UTF-8, one trailing newline forgiven (as written
     * by {@code echo NAME > fsnap.create} through named attributes), no tab or newline inside.
     */
    static String snapshotName(byte[] value) throws VfsException {
        int len = value == null ? 0 : value.length;
        if (len > 0 && value[len - 1] == '\n') {
            len--;
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value == null ? new byte[0] : value, 0, len)).toString();
        } catch (CharacterCodingException e) {
            throw new VfsException(VfsError.INVAL, "snapshot name is not UTF-8");
        }
        if (name.indexOf('\n') >= 0 || name.indexOf('\t') >= 0) {
            // they would break the line format of fsnap.list and fsnap.info
            throw new VfsException(VfsError.INVAL, "snapshot names hold no tab or newline");
        }
        return name;
    }

    static String list(List<SnapshotInfo> snapshots) {
        StringBuilder b = new StringBuilder();
        for (SnapshotInfo s : snapshots) {
            b.append(s.name()).append('\n');
        }
        return b.toString();
    }

    static String info(List<SnapshotInfo> snapshots) {
        StringBuilder b = new StringBuilder();
        for (SnapshotInfo s : snapshots) {
            b.append(s.name()).append('\t')
                    .append(DateTimeFormatter.ISO_INSTANT.format(s.created())).append('\t')
                    .append(s.size()).append('\t')
                    .append(s.parent().orElse("")).append('\n');
        }
        return b.toString();
    }
}
