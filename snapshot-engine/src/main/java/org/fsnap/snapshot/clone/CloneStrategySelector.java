package org.fsnap.snapshot.clone;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.fsnap.snapshot.nativeio.Errno;
import org.fsnap.snapshot.nativeio.NativeFile;
import org.fsnap.snapshot.nativeio.NativeIoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the best {@link CloneStrategy} per filesystem (keyed by st_dev of the live file) and caches it.
 *
 * <p>The store's own filesystem is probed once at start-up with two scratch files in the store; a live
 * file on another device cannot share extents with the store (EXDEV), so it starts at copy_file_range.
 * When a strategy reports "not here" at run time we fall back for that transfer, and remember the
 * downgrade for the device only when the filesystem as a whole lacks the feature.
 */
public final class CloneStrategySelector {

    private static final Logger LOG = LoggerFactory.getLogger(CloneStrategySelector.class);

    private final long storeDevice;
    private final Optional<CloneStrategy> forced;
    private final ConcurrentMap<Long, CloneStrategy> byDevice = new ConcurrentHashMap<>();

    public CloneStrategySelector(Path storeDirectory, long storeDevice, Optional<CloneStrategy> forced)
            throws IOException {
        this.storeDevice = storeDevice;
        this.forced = forced;
        CloneStrategy chosen = forced.isPresent() ? forced.get() : probe(storeDirectory);
        byDevice.put(storeDevice, chosen);
    }

    /** The strategy used for files on the store's own filesystem (the export's, normally). */
    public CloneStrategy storeStrategy() {
        return byDevice.get(storeDevice);
    }

    public boolean isForced() {
        return forced.isPresent();
    }

    /** The strategy to try first for a file on {@code device}. */
    public CloneStrategy strategyFor(long device) {
        return byDevice.computeIfAbsent(device, d -> forced.orElse(CloneStrategy.COPY_FILE_RANGE));
    }

    /**
     * Transfers {@code source[0,size)} over {@code target[0,size)}, falling back strategy by strategy.
     *
     * @param device st_dev of the live file involved, the cache key
     * @return the strategy that did the work (recorded in the snapshot's metadata)
     */
    public Transfer transfer(long device, NativeFile source, NativeFile target, long size) throws IOException {
        CloneStrategy strategy = strategyFor(device);
        while (true) {
            try {
                long bytes = strategy.transfer(source, target, size);
                return new Transfer(strategy, bytes);
            } catch (NativeIoException e) {
                CloneStrategy next = strategy.fallback();
                if (next == null || !Errno.meansNoOffload(e.errno())) {
                    throw e;
                }
                if (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.ENOTTY || e.errno() == Errno.ENOSYS) {
                    if (byDevice.replace(device, strategy, next)) {
                        LOG.warn("{} is not supported on device {} ({}); using {} from now on",
                                strategy, device, e.getMessage(), next);
                    }
                } else {
                    LOG.debug("{} refused this transfer ({}); falling back to {}", strategy, e.getMessage(), next);
                }
                strategy = next;
            }
        }
    }

    /** Outcome of {@link #transfer}: who did it and how many bytes the target now holds. */
    public record Transfer(CloneStrategy strategy, long bytes) {
    }

    private static CloneStrategy probe(Path storeDirectory) throws IOException {
        String stem = "probe-" + UUID.randomUUID();
        Path source = storeDirectory.resolve(stem + ".src");
        Path target = storeDirectory.resolve(stem + ".dst");
        try (NativeFile src = NativeFile.createNew(source, 0600)) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment block = arena.allocate(4096);
                block.fill((byte) 'p');
                src.writeFully(block, block.byteSize(), 0);
            }
            for (CloneStrategy candidate : CloneStrategy.values()) {
                try (NativeFile dst = NativeFile.createNew(target, 0600)) {
                    dst.truncate(4096);
                    candidate.transfer(src, dst, 4096);
                    return candidate;
                } catch (NativeIoException e) {
                    if (!Errno.meansNoOffload(e.errno())) {
                        throw e;
                    }
                    LOG.debug("probe: {} unavailable in {}: {}", candidate, storeDirectory, e.getMessage());
                } finally {
                    Files.deleteIfExists(target);
                }
            }
            return CloneStrategy.STREAM_COPY;
        } finally {
            Files.deleteIfExists(source);
        }
    }
}
