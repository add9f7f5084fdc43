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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Every command and read, done or refused, is reported to the {@link SnapshotOperationListener}
 * (the audit log and metrics in the server); names outside the contract are refused without a
 * report, so clients cannot invent operations.
 */
public final class SnapshotControl {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotControl.class);
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
    private volatile SnapshotOperationListener listener = SnapshotOperationListener.NONE;

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

    /** Who hears of the operations from now on (null: nobody). */
    void listener(SnapshotOperationListener l) {
        listener = l == null ? SnapshotOperationListener.NONE : l;
    }

    byte[] get(Caller caller, Inode file, String name) throws VfsException {
        if (!QUERIES.contains(name)) {
            throw new VfsException(VfsError.INVAL, name + " is not a readable snapshot control");
        }
        long start = System.nanoTime();
        Path[] placed = new Path[1];
        try {
            byte[] value = query(caller, file, name, placed);
            report(caller, name, file, placed[0], "", null, start);
            return value;
        } catch (VfsException e) {
            report(caller, name, file, placed[0], "", e, start);
            throw e;
        } catch (RuntimeException e) {
            report(caller, name, file, placed[0], "", new VfsException(VfsError.SERVERFAULT, e.toString(), e),
                    start);
            throw e;
        }
    }

    private byte[] query(Caller caller, Inode file, String name, Path[] placed) throws VfsException {
        Path path = checkedPath(caller, file, Access.READ);
        placed[0] = path;
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
        long start = System.nanoTime();
        Path[] placed = new Path[1];
        try {
            String made = command(caller, file, name, value, placed);
            report(caller, name, file, placed[0], made, null, start);
        } catch (VfsException e) {
            report(caller, name, file, placed[0], loggedName(value), e, start);
            throw e;
        } catch (RuntimeException e) {
            report(caller, name, file, placed[0], loggedName(value),
                    new VfsException(VfsError.SERVERFAULT, e.toString(), e), start);
            throw e;
        }
    }

    /**
     * Runs a command; returns the snapshot's name (the one the engine chose, for an automatic create).
     * {@code placed[0]} is the file's path once known.
     */
    private String command(Caller caller, Inode file, String name, byte[] value, Path[] placed)
            throws VfsException {
        String snapshot = snapshotName(value);
        if (snapshot.isEmpty() && !CREATE.equals(name)) {
            throw new VfsException(VfsError.INVAL, name + " needs a snapshot name");
        }
        Path path = checkedPath(caller, file, Access.MODIFY);
        placed[0] = path;
        long before = fs.getattr(file).change();
        try {
            switch (name) {
                case CREATE -> snapshot = engine.create(path, snapshot).name();
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
        return snapshot;
    }

    /** Tells the listener; a listener's failure never changes what the client gets. */
    private void report(Caller caller, String control, Inode file, Path path, String snapshot,
                        VfsException error, long start) {
        long nanos = System.nanoTime() - start;
        try {
            listener.clientOperation(caller, control.substring(PREFIX.length()), relativePath(file, path), snapshot,
                    error == null ? null : error.error(), error == null ? null : error.getMessage(), nanos);
        } catch (RuntimeException e) {
            LOG.warn("snapshot operation listener failed: {}", e.toString());
        }
    }

    /** The file relative to the export, for the log: "." for the export, "?" if it cannot be placed. */
    private String relativePath(Inode file, Path path) {
        try {
            Path relative = paths.root().relativize(path != null ? path : paths.pathOf(file));
            return relative.toString().isEmpty() ? "." : relative.toString();
        } catch (VfsException | RuntimeException e) {
            return "?";
        }
    }

    /** A command's value as the log shows it: lossy UTF-8, without the trailing newline, at most 256 chars. */
    static String loggedName(byte[] value) {
        if (value == null) {
            return "";
        }
        String s = new String(value, StandardCharsets.UTF_8);
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.length() > 256 ? s.substring(0, 256) + "..." : s;
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
