package org.fsnap.server.vfs.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.ForwardingFileSystem;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.namedattr.NamedAttributeSupport;
import org.fsnap.server.vfs.namedattr.NamedAttributeView;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.fsnap.snapshot.cluster.ClusterMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filesystem the server serves when snapshots are on: named attributes over the
 * {@code .fsnap} view and xattr snapshot control over the local export. Owns the snapshot
 * engine: {@link #close()} closes it (the local filesystem stays the caller's).
 *
 * <p>For measurements the snapshot view can be left out with the system property
 * {@code -Dfsnap.snapshotView=off} (then no engine is opened, there is no {@code .fsnap}
 * and no snapshot control; named attributes still work).
 */
public final class SnapshotStack extends ForwardingFileSystem implements NamedAttributeSupport, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStack.class);

    /** System property: {@code off} serves the export without the snapshot view. */
    public static final String VIEW_PROPERTY = "fsnap.snapshotView";

    private final NamedAttributeView top;
    private final SnapshotView view;
    private final SnapshotEngine engine;
    private final ClusterMember cluster;

    private SnapshotStack(NamedAttributeView top, SnapshotView view, SnapshotEngine engine,
                          ClusterMember cluster) {
        this.top = top;
        this.view = view;
        this.engine = engine;
        this.cluster = cluster;
    }

    /**
     * Builds the stack over the local export.
     *
     * @param export the exported directory (the one {@code local} serves)
     * @param local the local filesystem of the export; if it implements {@link PathHint} the
     *     view uses it to place files it never saw under a name
     * @param maxSnapshots the per-file snapshot limit (0 or less: the engine's default, 1000)
     */
    public static SnapshotStack build(Path export, VirtualFileSystem local, int maxSnapshots)
            throws IOException {
        return build(export, local, local instanceof PathHint h ? h : null, maxSnapshots);
    }

    /** As {@link #build(Path, VirtualFileSystem, int)}, with the local filesystem's path hint. */
    public static SnapshotStack build(Path export, VirtualFileSystem local, PathHint hint,
                                      int maxSnapshots) throws IOException {
        return build(export, local, hint, maxSnapshots, null);
    }

    /**
     * As {@link #build(Path, VirtualFileSystem, PathHint, int)}, as one node of a snapshot cluster over a
     * shared export: the engine takes the cluster's locks and catalogue and shares the store with the
     * other nodes. The stack owns {@code cluster} from here on: {@link #close()} (or a failed build)
     * shuts it down after the engine.
     *
     * @param cluster this node's started cluster member, or null to run alone
     */
    public static SnapshotStack build(Path export, VirtualFileSystem local, PathHint hint,
                                      int maxSnapshots, ClusterMember cluster) throws IOException {
        try {
            return open(export, local, hint, maxSnapshots, cluster);
        } catch (IOException | RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
    }

    /**
     * As {@link #build(Path, VirtualFileSystem, PathHint, int, ClusterMember)}, with every snapshot operation
     * a client asks for (through xattrs or named attributes) reported to {@code listener}, the audit log
     * and metrics in the server.
     *
     * @param listener told of each operation, or null for nobody
     */
    public static SnapshotStack build(Path export, VirtualFileSystem local, PathHint hint, int maxSnapshots,
                                      ClusterMember cluster, SnapshotOperationListener listener)
            throws IOException {
        SnapshotStack stack = build(export, local, hint, maxSnapshots, cluster);
        stack.operationListener(listener);
        return stack;
    }

    /**
     * From now on, every snapshot operation a client asks for is reported to {@code listener} (null:
     * to nobody), replacing the one before. For a launcher that wires the audit log after building the
     * stack; does nothing when the view is off (there is no snapshot control then).
     */
    public void operationListener(SnapshotOperationListener listener) {
        if (view != null) {
            view.operationListener(listener);
        }
    }

    private static SnapshotStack open(Path export, VirtualFileSystem local, PathHint hint,
                                      int maxSnapshots, ClusterMember cluster) throws IOException {
        if ("off".equalsIgnoreCase(System.getProperty(VIEW_PROPERTY, "on"))) {
            LOG.info("snapshot view off ({}=off): no .fsnap, no snapshot control", VIEW_PROPERTY);
            return new SnapshotStack(new NamedAttributeView(local, Set.of()), null, null, cluster);
        }
        Path root = export.toRealPath();
        SnapshotEngineConfig.Builder config = SnapshotEngineConfig.builder(root);
        if (maxSnapshots > 0) {
            config.maxSnapshotsPerFile(maxSnapshots);
        }
        if (cluster != null) {
            cluster.configure(config);
        }
        SnapshotEngine engine = openEngine(config.build(), cluster);
        try {
            long device = (Long) Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            SnapshotView view = new SnapshotView(local, engine, root, device, hint);
            NamedAttributeView top = new NamedAttributeView(view, SnapshotControl.COMMANDS);
            LOG.info("snapshots on: .fsnap view and user.fsnap.* control over {} (at most {} per file)",
                    root, engine.maxSnapshotsPerFile());
            if (cluster != null) {
                LOG.info("snapshot cluster {}: this node is {}, members {}", cluster.options().name(),
                        cluster.options().bind(), cluster.options().members());
            }
            return new SnapshotStack(top, view, engine, cluster);
        } catch (IOException | VfsException | RuntimeException e) {
            engine.close();
            throw e instanceof IOException io ? io : new IOException("cannot build the snapshot view", e);
        }
    }

    /**
     * Opens the engine; a cluster node whose majority went away during start-up recovery (a refusal,
     * nothing half done) waits for it and tries again, a few times.
     */
    private static SnapshotEngine openEngine(SnapshotEngineConfig config, ClusterMember cluster)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return SnapshotEngine.open(config);
            } catch (ClusterUnavailableException e) {
                if (cluster == null || attempt >= 5) {
                    throw e;
                }
                LOG.warn("snapshot engine: cluster unavailable while opening ({}); retrying with a majority",
                        e.getMessage());
                cluster.awaitQuorum();
            }
        }
    }

    @Override
    protected VirtualFileSystem delegate() {
        return top;
    }

    @Override
    public Inode openAttributes(Caller caller, Inode object, boolean createDir) throws VfsException {
        return top.openAttributes(caller, object, createDir);
    }

    /** The engine, or null when the view is off. */
    public SnapshotEngine engine() {
        return engine;
    }

    @Override
    public void close() throws IOException {
        if (view != null) {
            view.closeChannels();
        }
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
