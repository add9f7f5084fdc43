package org.fsnap.snapshot.cluster;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How one node joins the snapshot cluster.
 *
 * @param name             cluster name; members with another name never join
 * @param bind             this node's own cluster address (an IP literal or a resolvable host)
 * @param members          every member's address, this node's own included or not (it is added)
 * @param failureDetection how long a silent member stays in the cluster ({@code max.no.heartbeat}); a dead
 *                         node's locks are freed after about this long
 * @param lockLease        longest time one snapshot operation may hold a file's lock; after it the lock is
 *                         released by the cluster even if the holder lives on (the holder is then fenced)
 * @param lockWait         longest wait for a file's lock before the operation is refused (retry later)
 * @param callTimeout      longest wait for one cluster call before it counts as "cluster unavailable"
 * @param quorumWait       how long start-up waits for a majority of the members before giving up
 */
public record ClusterOptions(String name, InetSocketAddress bind, List<InetSocketAddress> members,
                             Duration failureDetection, Duration lockLease, Duration lockWait,
                             Duration callTimeout, Duration quorumWait) {

    public static final Duration DEFAULT_FAILURE_DETECTION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LOCK_LEASE = Duration.ofSeconds(120);
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_QUORUM_WAIT = Duration.ofMinutes(5);

    public ClusterOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bind, "bind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("cluster name must not be blank");
        }
        Set<InetSocketAddress> all = new LinkedHashSet<>();
        all.add(bind);
        all.addAll(members);
        members = List.copyOf(all);
        for (Duration d : List.of(failureDetection, lockLease, lockWait, callTimeout, quorumWait)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("cluster durations must be positive");
            }
        }
    }

    /** Options with the defaults above. */
    public static ClusterOptions of(String name, InetSocketAddress bind, List<InetSocketAddress> members) {
        return new ClusterOptions(name, bind, members, DEFAULT_FAILURE_DETECTION, DEFAULT_LOCK_LEASE,
                DEFAULT_LOCK_WAIT, DEFAULT_CALL_TIMEOUT, DEFAULT_QUORUM_WAIT);
    }

    /** Members needed for a majority of {@link #members()}: more than half. */
    public int quorum() {
        return members.size() / 2 + 1;
    }

    public ClusterOptions withTimes(Duration failure, Duration lease, Duration wait, Duration call) {
        return new ClusterOptions(name, bind, members, failure, lease, wait, call, quorumWait);
    }

    public ClusterOptions withQuorumWait(Duration wait) {
        return new ClusterOptions(name, bind, members, failureDetection, lockLease, lockWait, callTimeout, wait);
    }

    /** "host:port" of each member, as Hazelcast's TCP-IP joiner wants them. */
    List<String> memberStrings() {
        List<String> out = new ArrayList<>(members.size());
        for (InetSocketAddress a : members) {
            out.add(hostString(a) + ":" + a.getPort());
        }
        return out;
    }

    static String hostString(InetSocketAddress a) {
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }
}
