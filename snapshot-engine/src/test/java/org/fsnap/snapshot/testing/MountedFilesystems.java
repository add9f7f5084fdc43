package org.fsnap.snapshot.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scratch filesystems of one test class, mounted in {@code @BeforeAll} and unmounted in
 * {@code @AfterAll}. A kind that cannot be mounted here makes its tests skip, loudly.
 */
public final class MountedFilesystems implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MountedFilesystems.class);

    private final Map<ScratchFilesystem.Kind, ScratchFilesystem> mounted =
            new EnumMap<>(ScratchFilesystem.Kind.class);
    private final Map<ScratchFilesystem.Kind, String> unavailable = new EnumMap<>(ScratchFilesystem.Kind.class);

    public static MountedFilesystems mount(long sizeBytes, ScratchFilesystem.Kind... kinds) {
        MountedFilesystems all = new MountedFilesystems();
        for (ScratchFilesystem.Kind kind : kinds) {
            try {
                all.mounted.put(kind, ScratchFilesystem.mount(kind, sizeBytes));
            } catch (ScratchFilesystem.Unavailable e) {
                all.unavailable.put(kind, e.getMessage());
                LOG.warn("SKIPPING tests on {}: {}", kind, e.getMessage());
            }
        }
        return all;
    }

    /** The mounted filesystem of that kind; aborts (skips) the calling test if there is none. */
    public ScratchFilesystem get(ScratchFilesystem.Kind kind) {
        ScratchFilesystem fs = mounted.get(kind);
        if (fs == null) {
            String reason = "no " + kind + " filesystem on this machine: " + unavailable.get(kind);
            LOG.warn("SKIPPED: {}", reason);
            Assumptions.abort(reason);
        }
        return fs;
    }

    /** A fresh export directory on that kind of filesystem (skips if unavailable). */
    public Path exportOn(ScratchFilesystem.Kind kind) throws IOException {
        return get(kind).newExport();
    }

    @Override
    public void close() {
        mounted.values().forEach(ScratchFilesystem::close);
        mounted.clear();
    }
}
