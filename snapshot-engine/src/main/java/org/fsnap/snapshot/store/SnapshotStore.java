package org.fsnap.snapshot.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.StoreInUseException;
import org.fsnap.snapshot.faults.CrashPoints;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.HistoryEventCodec;
import org.fsnap.snapshot.nativeio.NativeFile;
import org.fsnap.snapshot.nativeio.NativeIoException;

/**
 * The on-disk snapshot store, the source of truth for every history. Layout:
 *
 * <pre>
 * STORE/FORMAT                       "fsnap-store 1"
 * STORE/LOCK                         flock'ed by the one engine that owns the store
 * STORE/files/&lt;uuid&gt;/history.log     append-only event log of one file's history (checksummed lines)
 * STORE/files/&lt;uuid&gt;/&lt;serial&gt;.snap   content of one snapshot (a reflink clone or a copy), read-only
 * </pre>
 *
 * Content files are written and fsynced before the log event that references them is appended; the
 * appended (fdatasync'ed) event is each operation's commit point. Anything else found here at start-up
 * is debris of an interrupted operation that the engine's recovery removes at start-up.
 */
public final class SnapshotStore implements AutoCloseable {

    /** Default directory name of the store inside the export root; the NFS view must hide it. */
    public static final String DEFAULT_DIRECTORY_NAME = ".fsnap-store";

    public static final String LOG_NAME = "history.log";
    public static final String CONTENT_SUFFIX = ".snap";
    static final String COMPACT_NAME = "history.compact";
    private static final String FORMAT_LINE = "fsnap-store 1\n";

    private final Path directory;
    private final Path files;
    private final long device;
    private final boolean singleOrderedLog;
    private final StoreLock storeLock;

    /**
     * The lock on STORE/LOCK. The JDK refuses a second overlapping lock on a file within one JVM even when
     * both are shared, so shared holds are counted per store here (several cluster nodes in one JVM: tests).
     */
    private static final class StoreLock {
        private static final Map<Path, StoreLock> SHARED = new HashMap<>(); // guarded by itself

        final Path key;
        final FileChannel channel;
        final FileLock lock;
        int users = 1; // guarded by SHARED

        StoreLock(Path key, FileChannel channel, FileLock lock) {
            this.key = key;
            this.channel = channel;
            this.lock = lock;
        }

        void release() throws IOException {
            if (lock.isShared()) {
                synchronized (SHARED) {
                    if (--users > 0) {
                        return;
                    }
                    SHARED.remove(key);
                }
            }
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private SnapshotStore(Path directory, long device, boolean singleOrderedLog, StoreLock storeLock) {
        this.directory = directory;
        this.files = directory.resolve("files");
        this.device = device;
        this.singleOrderedLog = singleOrderedLog;
        this.storeLock = storeLock;
    }

    /** Opens (creating if needed) the store and takes its exclusive lock. */
    public static SnapshotStore open(Path directory) throws IOException {
        return open(directory, false);
    }

    /**
     * Opens (creating if needed) the store and locks it: exclusively, or shared when several engines of a
     * cluster use it at once (then a non-clustered engine cannot open it meanwhile, nor the other way round).
     */
    public static SnapshotStore open(Path directory, boolean shared) throws IOException {
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("snapshot store " + directory + " exists and is not a directory");
        }
        boolean created = !Files.exists(directory, LinkOption.NOFOLLOW_LINKS);
        var privateDir = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(directory, privateDir);
        Files.createDirectories(directory.resolve("files"), privateDir);
        Path format = directory.resolve("FORMAT");
        if (Files.exists(format)) {
            String text = Files.readString(format, StandardCharsets.UTF_8);
            if (!text.equals(FORMAT_LINE)) {
                throw new IOException("snapshot store " + directory + " has unknown format: " + text.strip());
            }
        } else {
            // A name of its own: several cluster nodes may create a fresh shared store at the same moment.
            Path temp = directory.resolve("FORMAT.tmp-" + UUID.randomUUID());
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(FORMAT_LINE.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(temp, format, StandardCopyOption.ATOMIC_MOVE);
            NativeFile.syncDirectory(directory);
            if (created) {
                NativeFile.syncDirectory(directory.getParent());
            }
        }
        StoreLock storeLock = lock(directory, shared);
        long device;
        try (NativeFile dir = NativeFile.openDirectory(directory)) {
            device = dir.stat().device();
        }
        boolean xfs = Files.getFileStore(directory).type().equals("xfs");
        return new SnapshotStore(directory, device, xfs, storeLock);
    }

    private static StoreLock lock(Path directory, boolean shared) throws IOException {
        Path key = directory.toRealPath().resolve("LOCK");
        if (shared) {
            synchronized (StoreLock.SHARED) {
                StoreLock held = StoreLock.SHARED.get(key);
                if (held != null) {
                    held.users++;
                    return held;
                }
                StoreLock taken = tryLock(directory, key, true);
                StoreLock.SHARED.put(key, taken);
                return taken;
            }
        }
        return tryLock(directory, key, false);
    }

    private static StoreLock tryLock(Path directory, Path key, boolean shared) throws IOException {
        FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, shared); // a shared lock needs READ
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new StoreInUseException("snapshot store " + directory + " is in use by another engine"
                    + (shared ? " that is not part of a cluster" : " (or by cluster nodes)"));
        }
        return new StoreLock(key, channel, lock);
    }

    public Path directory() {
        return directory;
    }

    /** st_dev of the store's filesystem. */
    public long device() {
        return device;
    }

    /**
     * True when the store's filesystem journals all metadata in one ordered log (XFS): forcing that log
     * for one file (fdatasync of a history log) also makes every earlier metadata change durable, such
     * as a reflink clone made just before. A reflink moves no data, so its own fsync can then be skipped.
     * Not true of btrfs, whose fsync logs only the inode being synced.
     */
    public boolean fsyncCoversEarlierMetadata() {
        return singleOrderedLog;
    }

    public Path historyDirectory(FileKey key) {
        return files.resolve(key.toString());
    }

    public Path logPath(FileKey key) {
        return historyDirectory(key).resolve(LOG_NAME);
    }

    public Path contentPath(FileKey key, long serial) {
        return historyDirectory(key).resolve(serial + CONTENT_SUFFIX);
    }

    /** Every history directory present, whatever its state. */
    public List<FileKey> keys() throws IOException {
        List<FileKey> keys = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files)) {
            for (Path entry : entries) {
                parseKey(entry.getFileName().toString()).ifPresent(keys::add);
            }
        }
        return keys;
    }

    /** Entries of {@code files/} that are not history directories (to be reported by recovery). */
    public List<Path> foreignEntries() throws IOException {
        List<Path> foreign = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files)) {
            for (Path entry : entries) {
                if (parseKey(entry.getFileName().toString()).isEmpty()) {
                    foreign.add(entry);
                }
            }
        }
        return foreign;
    }

    private static Optional<FileKey> parseKey(String name) {
        try {
            return name.length() == 36 ? Optional.of(new FileKey(UUID.fromString(name))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Creates the history directory if missing (durably, since the log inside will depend on it). */
    public void ensureHistoryDirectory(FileKey key) throws IOException {
        Path dir = historyDirectory(key);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            NativeFile.syncDirectory(files);
        }
    }

    /** Creates an empty content file for a new snapshot, replacing leftovers of an earlier failed attempt. */
    public NativeFile createContent(FileKey key, long serial) throws IOException {
        Path path = contentPath(key, serial);
        Files.deleteIfExists(path);
        return NativeFile.createNew(path, 0400);
    }

    public NativeFile openContent(FileKey key, long serial) throws NativeIoException {
        return NativeFile.openExisting(contentPath(key, serial), false);
    }

    public FileChannel openContentChannel(FileKey key, long serial) throws IOException {
        return FileChannel.open(contentPath(key, serial), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    public void deleteContent(FileKey key, long serial) throws IOException {
        Files.deleteIfExists(contentPath(key, serial));
    }

    public List<Path> entries(FileKey key) throws IOException {
        List<Path> list = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(historyDirectory(key))) {
            entries.forEach(list::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return list;
    }

    /** Reads and decodes a history's log (empty when there is none). */
    public HistoryEventCodec.Decoded readLog(FileKey key) throws IOException {
        try {
            return HistoryEventCodec.decode(Files.readAllBytes(logPath(key)));
        } catch (NoSuchFileException e) {
            return new HistoryEventCodec.Decoded(List.of(), 0, false);
        }
    }

    /**
     * Appends events durably (fdatasync) — the commit point of every operation. On failure the log is
     * cut back to its previous length, so a failed append leaves no half record behind.
     */
    public void append(FileKey key, List<HistoryEvent> events) throws IOException {
        byte[] bytes = HistoryEventCodec.encode(events);
        Path log = logPath(key);
        boolean fresh = !Files.exists(log, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long before = ch.size();
            try {
                if (CrashPoints.arrive("log.torn-append")) {
                    ch.write(ByteBuffer.wrap(bytes, 0, Math.max(1, bytes.length / 2)), before);
                    ch.force(false);
                    CrashPoints.halt();
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long position = before;
                while (buffer.hasRemaining()) {
                    position += ch.write(buffer, position);
                }
                ch.force(false);
            } catch (IOException e) {
                try {
                    ch.truncate(before);
                    ch.force(false);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        if (fresh) {
            NativeFile.syncDirectory(historyDirectory(key));
        }
    }

    /** Cuts a torn tail off a log (recovery). */
    public void truncateLog(FileKey key, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(logPath(key), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.truncate(length);
            ch.force(false);
        }
    }

    /**
     * Replaces a log by a compacted one atomically: write a new file, fsync it, rename it over the log,
     * fsync the directory. A crash leaves either the old or the new log, plus perhaps a stray temp file.
     */
    public void rewriteLog(FileKey key, List<HistoryEvent> events) throws IOException {
        Path temp = historyDirectory(key).resolve(COMPACT_NAME);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.wrap(HistoryEventCodec.encode(events));
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        CrashPoints.reach("compact.after-write");
        Files.move(temp, logPath(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        CrashPoints.reach("compact.after-rename");
        NativeFile.syncDirectory(historyDirectory(key));
    }

    /** Removes a history directory and everything in it (the log last, so a crash keeps it recoverable). */
    public void removeHistory(FileKey key) throws IOException {
        Path log = logPath(key);
        for (Path entry : entries(key)) {
            if (!entry.equals(log)) {
                Files.deleteIfExists(entry);
            }
        }
        CrashPoints.reach("history.remove-before-log");
        Files.deleteIfExists(log);
        Files.deleteIfExists(historyDirectory(key));
        NativeFile.syncDirectory(files);
    }

    @Override
    public void close() throws IOException {
        storeLock.release();
    }
}
