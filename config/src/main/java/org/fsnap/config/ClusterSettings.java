package org.fsnap.config;

import java.util.List;

/**
 * The {@code [cluster]} section: parsed and validated here, used by the clustering code.
 *
 * @param name    the cluster's name; members with another name do not join
 * @param bind    where this node listens for its peers
 * @param members the peers to contact at start (may include this node)
 */
public record ClusterSettings(String name, ListenAddress bind, List<ListenAddress> members) {
    public ClusterSettings {
        members = List.copyOf(members);
    }
}
