package org.fsnap.server.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fsnap.config.ClusterSettings;
import org.fsnap.config.ListenAddress;
import org.fsnap.snapshot.cluster.ClusterMember;
import org.fsnap.snapshot.cluster.ClusterOptions;

/**
 * fsnapd's side of the snapshot cluster: starts this node's member from the {@code --cluster-*} flags or
 * the {@code [cluster]} section, and names where this node keeps its own NFS state. Without cluster
 * settings nothing here runs and no Hazelcast class is loaded.
 */
public final class ClusterSetup {

    private ClusterSetup() {
    }

    /**
     * Starts this node's cluster member and waits for a majority of the members (a node must not touch the
     * shared store before), or returns null when there are no cluster settings.
     */
    public static ClusterMember start(Optional<ClusterSettings> settings) throws IOException {
        if (settings.isEmpty()) {
            return null;
        }
        return ClusterMember.start(options(settings.get()));
    }

    static ClusterOptions options(ClusterSettings s) {
        List<InetSocketAddress> members = new ArrayList<>();
        for (ListenAddress m : s.members()) {
            members.add(address(m));
        }
        return ClusterOptions.of(s.name(), address(s.bind()), members);
    }

    private static InetSocketAddress address(ListenAddress a) {
        return new InetSocketAddress(a.host(), a.port());
    }

    /**
     * Where this node keeps its NFS client records: its own directory under the shared state directory when
     * clustered (nodes serve different clients), the state directory itself otherwise.
     */
    public static Path nodeStateDirectory(Path stateDir, Optional<ClusterSettings> settings) {
        if (settings.isEmpty()) {
            return stateDir;
        }
        ListenAddress bind = settings.get().bind();
        return stateDir.resolve("node-" + bind.host().replaceAll("[^A-Za-z0-9.-]", "_") + "-" + bind.port());
    }
}
