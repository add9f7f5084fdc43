package org.fsnap.snapshot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real filesystem mounted for a test: XFS with reflink or ext4 on a sparse loop image, or a tmpfs.
 * Each gets unique image and mount-point names so parallel runs do not collide, and {@link #close()}
 * unmounts (which also detaches the auto-clearing loop device) and deletes everything.
 */
public final class ScratchFilesystem implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchFilesystem.class);

    public enum Kind {
        XFS_REFLINK,
        EXT4,
        /** ext4 without extents (ext3-style block maps): no fallocate, so ENOSPC can strike mid-copy. */
        EXT4_NO_EXTENTS,
        TMPFS
    }

    private final Kind kind;
    private final Path mountPoint;
    private final Path image;
    private final Path workDir;
    private int exports;

    private ScratchFilesystem(Kind kind, Path mountPoint, Path image, Path workDir) {
        this.kind = kind;
        this.mountPoint = mountPoint;
        this.image = image;
        this.workDir = workDir;
    }

    /**
     * Mounts a filesystem, or explains why it cannot.
     *
     * @throws Unavailable when this machine cannot do it (not root, no tools, no loop devices)
     */
    public static ScratchFilesystem mount(Kind kind, long sizeBytes) throws Unavailable {
        if (!Commands.isRoot()) {
            throw new Unavailable("not running as root, cannot mount " + kind);
        }
        Path workDir;
        try {
            workDir = Files.createTempDirectory("fsnap-" + kind.name().toLowerCase() + "-");
        } catch (IOException e) {
            throw new Unavailable("cannot create a temp directory: " + e);
        }
        Path mountPoint = workDir.resolve("mnt");
        Path image = kind == Kind.TMPFS ? null
                : Path.of("/var/tmp", "fsnap-test-" + kind.name().toLowerCase() + "-" + UUID.randomUUID() + ".img");
        try {
            Files.createDirectory(mountPoint);
            Commands.Result mounted;
            if (kind == Kind.TMPFS) {
                mounted = Commands.run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes + ",mode=0755",
                        "fsnap-tmpfs", mountPoint.toString());
            } else {
                Files.createFile(image);
                Commands.check("truncate", "-s", Long.toString(sizeBytes), image.toString());
                if (kind == Kind.XFS_REFLINK) {
                    requireTool("mkfs.xfs");
                    Commands.check("mkfs.xfs", "-q", "-f", "-m", "reflink=1", image.toString());
                } else if (kind == Kind.EXT4) {
                    requireTool("mkfs.ext4");
                    Commands.check("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
                } else {
                    requireTool("mkfs.ext4");
                    Commands.check("mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^extent,^64bit", image.toString());
                }
                mounted = Commands.run("mount", "-o", "loop", image.toString(), mountPoint.toString());
            }
            if (!mounted.ok()) {
                throw new Unavailable("mount of " + kind + " failed: " + mounted.output().strip());
            }
            LOG.info("mounted scratch {} at {}", kind, mountPoint);
            return new ScratchFilesystem(kind, mountPoint, image, workDir);
        } catch (IOException | IllegalStateException e) {
            cleanup(image, workDir);
            throw new Unavailable("cannot prepare " + kind + ": " + e.getMessage());
        } catch (Unavailable e) {
            cleanup(image, workDir);
            throw e;
        }
    }

    private static void requireTool(String tool) throws Unavailable {
        if (!Commands.run("sh", "-c", "command -v " + tool).ok()) {
            throw new Unavailable(tool + " is not installed");
        }
    }

    public Kind kind() {
        return kind;
    }

    public Path root() {
        return mountPoint;
    }

    /** A fresh, empty directory on this filesystem, to be one test's export root. */
    public synchronized Path newExport() throws IOException {
        return Files.createDirectory(mountPoint.resolve("export-" + (++exports)));
    }

    /** Free bytes according to statfs (what df shows). */
    public long freeBytes() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    @Override
    public void close() {
        Commands.Result r = Commands.run("umount", mountPoint.toString());
        if (!r.ok()) {
            LOG.warn("umount {} failed ({}), retrying lazily", mountPoint, r.output().strip());
            Commands.run("umount", "-l", mountPoint.toString());
        }
        if (image != null) {
            // mount -o loop sets autoclear, but detach explicitly in case the kernel kept it.
            Commands.Result loops = Commands.run("losetup", "-j", image.toString());
            for (String line : loops.output().split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.startsWith("/dev/loop")) {
                    Commands.run("losetup", "-d", line.substring(0, colon));
                }
            }
        }
        cleanup(image, workDir);
        LOG.info("unmounted scratch {} from {}", kind, mountPoint);
    }

    private static void cleanup(Path image, Path workDir) {
        try {
            if (image != null) {
                Files.deleteIfExists(image);
            }
            if (workDir != null) {
                deleteTree(workDir);
            }
        } catch (IOException e) {
            LOG.warn("cleanup of scratch files failed: {}", e.toString());
        }
    }

    /** Deletes a directory tree (not following symlinks). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    /** This machine cannot provide the filesystem (the reason is the message). */
    public static final class Unavailable extends Exception {
        public Unavailable(String reason) {
            super(reason);
        }
    }
}
