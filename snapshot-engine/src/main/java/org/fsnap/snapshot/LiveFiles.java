package org.fsnap.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.fsnap.snapshot.nativeio.Errno;
import org.fsnap.snapshot.nativeio.FileStat;
import org.fsnap.snapshot.nativeio.NativeFile;
import org.fsnap.snapshot.nativeio.NativeIoException;

/**
 * Turns caller paths into live files of the export: resolves them (relative paths against the export root),
 * refuses anything outside the export or inside the store, and opens regular files without following a
 * symlink in the last component. Symlinks in parent directories are resolved first and the result
 * checked, so a link cannot lead out of the export.
 */
final class LiveFiles {

    /** A live path: absolute with real parent directories, and relative to the export root. */
    record LivePath(Path absolute, String relative) {
        String name() {
            return absolute.getFileName().toString();
        }
    }

    private final Path root;
    private final Path store;

    LiveFiles(Path realExportRoot, Path realStoreDirectory) {
        this.root = realExportRoot;
        this.store = realStoreDirectory;
    }

    Path root() {
        return root;
    }

    /** Resolves a path that should name a file (not the export root itself). */
    LivePath resolve(Path path) throws SnapshotException {
        Path absolute = (path.isAbsolute() ? path : root.resolve(path)).normalize();
        Path name = absolute.getFileName();
        Path parent = absolute.getParent();
        if (name == null || parent == null) {
            throw new NotRegularFileException(path + " is a directory");
        }
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchLiveFileException(path + " does not exist");
        } catch (IOException e) {
            throw new SnapshotIoException("cannot resolve " + path, e);
        }
        Path candidate = realParent.resolve(name);
        if (candidate.equals(root)) {
            throw new NotRegularFileException(path + " is the export root, a directory");
        }
        return check(path, candidate);
    }

    /** Resolves a path that should name a directory of the export (the root included). */
    LivePath resolveDirectory(Path path) throws SnapshotException {
        Path absolute = (path.isAbsolute() ? path : root.resolve(path)).normalize();
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchLiveFileException(path + " does not exist");
        } catch (IOException e) {
            throw new SnapshotIoException("cannot resolve " + path, e);
        }
        if (!Files.isDirectory(real)) {
            throw new NotRegularFileException(path + " is not a directory");
        }
        if (real.equals(root)) {
            return new LivePath(real, "");
        }
        return check(path, real);
    }

    private LivePath check(Path original, Path candidate) throws PathOutsideExportException {
        if (!candidate.startsWith(root) || candidate.equals(root)) {
            throw new PathOutsideExportException(original + " is not inside the export " + root);
        }
        if (candidate.startsWith(store)) {
            throw new PathOutsideExportException(original + " lies inside the snapshot store");
        }
        return new LivePath(candidate, root.relativize(candidate).toString());
    }

    /** The absolute path of a location recorded relative to the export root. */
    Path absolute(String relative) {
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    String relative(Path absolute) {
        return root.relativize(absolute).toString();
    }

    boolean isStore(Path absolute) {
        return absolute.startsWith(store);
    }

    /**
     * Opens a live regular file. The type is checked before opening (so no device or FIFO is ever opened)
     * and again on the descriptor (so a swap between check and open is caught).
     */
    NativeFile openRegular(LivePath path, boolean writable) throws SnapshotException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path.absolute(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchLiveFileException(path.relative() + " does not exist");
        } catch (IOException e) {
            throw new SnapshotIoException("cannot stat " + path.relative(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new NotRegularFileException(path.relative() + " is not a regular file ("
                    + describe(attributes) + ")");
        }
        NativeFile file;
        try {
            file = NativeFile.openExisting(path.absolute(), writable);
        } catch (NativeIoException e) {
            throw switch (e.errno()) {
                case Errno.ENOENT -> new NoSuchLiveFileException(path.relative() + " does not exist");
                case Errno.ELOOP -> new NotRegularFileException(path.relative() + " is a symbolic link");
                default -> new SnapshotIoException("cannot open " + path.relative(), e);
            };
        }
        try {
            FileStat stat = file.stat();
            if (!stat.isRegularFile()) {
                throw new NotRegularFileException(path.relative() + " is not a regular file");
            }
            return file;
        } catch (SnapshotException | RuntimeException e) {
            closeQuietly(file, e);
            throw e;
        } catch (NativeIoException e) {
            closeQuietly(file, e);
            throw new SnapshotIoException("cannot stat " + path.relative(), e);
        }
    }

    private static String describe(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "directory";
        }
        if (attributes.isSymbolicLink()) {
            return "symbolic link";
        }
        return "special file";
    }

    private static void closeQuietly(NativeFile file, Exception primary) {
        try {
            file.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
