package org.fsnap.snapshot.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's embedded Hazelcast member, set up for fsnap: TCP-IP join to the configured members only
 * (no multicast, no auto-detection), bound to the given address, no phone-home, no Jet, logging through
 * slf4j, no join waits, fast failure detection, no JVM shutdown hook ({@link #close()} shuts it down).
 *
 * <p>The maps get a majority split-brain protection and the discard merge policy: a side of a split
 * that is not a majority refuses changes, so when it merges back its data is the stale side and is
 * dropped. On top of that {@link #requireQuorum} is checked by the locks and the catalogue before every
 * change (Hazelcast only notices a lost member after {@link ClusterOptions#failureDetection()}, and a
 * check of our own makes the rule visible in one place).
 *
 * <p>The discard merge policy is not enough on its own: when two minorities merge (say a majority split in
 * two while a third node was paused), Hazelcast picks the surviving side by size and address, so the maps
 * that survive may be a stale copy that missed changes an earlier majority committed to the store. So a
 * node that regains a majority, merges, or loses partitions treats the catalogue as stale and refuses
 * changes ({@link #requireQuorum}) until {@link CatalogResync} has re-read it from the store (the store is
 * the truth). {@link #requireQuorum} also refuses while this node's view of the members is ahead of the
 * membership events it has handled, so no change slips through between a regain and its event.
 */
public final class ClusterMember implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    static final String CATALOG_MAP = "fsnap.catalog";
    static final String LOCK_MAP = "fsnap.locks";
    static final String LOCK_STATE_MAP = "fsnap.lock-state";
    static final String MAJORITY = "fsnap-majority";
    private static final String LOGGING_PROPERTY = "hazelcast.logging.type";

    private final ClusterOptions options;
    private final HazelcastInstance hz;
    private final AtomicBoolean hadQuorum = new AtomicBoolean(true);
    private final CatalogResync resync;
    // The members as of the last membership event handled (so as of the last quorumChanged decision).
    private volatile Set<Member> seenMembers = Set.of();
    // Created once a majority is there: creating a map proxy is refused by split-brain protection before.
    private volatile HazelcastFileLocks locks;
    private volatile HazelcastSnapshotCatalog catalog;

    private ClusterMember(ClusterOptions options, HazelcastInstance hz) {
        this.options = options;
        this.hz = hz;
        this.resync = new CatalogResync(this, "fsnap-catalog-resync-" + options.bind().getPort());
    }

    /**
     * Starts the member and waits (up to {@link ClusterOptions#quorumWait()}) until a majority of the
     * configured members is in the cluster: a node must not touch the shared store before that.
     */
    public static ClusterMember start(ClusterOptions options) throws IOException {
        if (System.getProperty(LOGGING_PROPERTY) == null) {
            // Before Hazelcast's first class loads, or its first warning goes through JUL.
            System.setProperty(LOGGING_PROPERTY, "slf4j");
        }
        Config config = hazelcastConfig(options);
        long started = System.nanoTime();
        HazelcastInstance hz;
        try {
            hz = Hazelcast.newHazelcastInstance(config);
        } catch (HazelcastException | IllegalStateException e) {
            throw new IOException("cannot start the cluster member on " + options.bind() + ": " + e.getMessage(), e);
        }
        ClusterMember member = new ClusterMember(options, hz);
        try {
            member.listen();
            member.createStructures(System.nanoTime() + options.quorumWait().toNanos());
        } catch (IOException | RuntimeException e) {
            member.close();
            throw e;
        }
        LOG.info("cluster {}: member {} up in {} ms, {} of {} members present (majority {})", options.name(),
                options.bind(), Duration.ofNanos(System.nanoTime() - started).toMillis(), member.size(),
                options.members().size(), options.quorum());
        return member;
    }

    static Config hazelcastConfig(ClusterOptions options) throws IOException {
        String host = bindIp(options);
        Config c = new Config();
        c.setClusterName(options.name());
        c.setInstanceName("fsnap-" + host + "-" + options.bind().getPort());
        c.setProperty(LOGGING_PROPERTY, "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds",
                Long.toString(Math.max(2, options.failureDetection().toSeconds())));
        c.setProperty("hazelcast.operation.call.timeout.millis", Long.toString(options.callTimeout().toMillis()));
        c.setProperty("hazelcast.invocation.max.retry.count", "40");
        c.setProperty("hazelcast.invocation.retry.pause.millis", "250");
        // Split-brain merge checks: soon and often, so a healed node rejoins in seconds, not minutes.
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        c.setProperty("hazelcast.partition.count", "71");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.socket.client.bind.any", "false");
        c.getJetConfig().setEnabled(false);

        NetworkConfig network = c.getNetworkConfig();
        network.setPort(options.bind().getPort()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(options.memberStrings());

        c.getSerializationConfig().addDataSerializableFactory(ClusterSerialization.FACTORY_ID,
                new ClusterSerialization());

        c.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(MAJORITY, true, options.quorum())
                .setProtectOn(SplitBrainProtectionOn.WRITE));
        MergePolicyConfig discard = new MergePolicyConfig(DiscardMergePolicy.class.getName(),
                MergePolicyConfig.DEFAULT_BATCH_SIZE);
        for (String name : new String[] {CATALOG_MAP, LOCK_MAP, LOCK_STATE_MAP}) {
            MapConfig map = new MapConfig(name)
                    .setBackupCount(Math.min(2, Math.max(1, options.members().size() - 1)))
                    .setAsyncBackupCount(0)
                    .setReadBackupData(false)
                    .setStatisticsEnabled(false)
                    .setSplitBrainProtectionName(MAJORITY)
                    .setMergePolicyConfig(discard);
            if (name.equals(CATALOG_MAP)) {
                map.addIndexConfig(new IndexConfig(IndexType.HASH, "directory"));
            }
            c.addMapConfig(map);
        }
        return c;
    }

    private static String bindIp(ClusterOptions options) throws IOException {
        try {
            return InetAddress.getByName(ClusterOptions.hostString(options.bind())).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IOException("cluster bind address " + options.bind() + " does not resolve", e);
        }
    }

    private void listen() {
        hz.getCluster().addMembershipListener(new InitialMembershipListener() {
            @Override
            public void init(InitialMembershipEvent event) {
                seenMembers = Set.copyOf(event.getMembers());
            }

            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info("cluster {}: member {} joined; {} of {} members", options.name(),
                        event.getMember().getAddress(), event.getMembers().size(), options.members().size());
                quorumChanged(event.getMembers().size());
                seenMembers = Set.copyOf(event.getMembers());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                LOG.warn("cluster {}: member {} left; {} of {} members", options.name(),
                        event.getMember().getAddress(), event.getMembers().size(), options.members().size());
                quorumChanged(event.getMembers().size());
                seenMembers = Set.copyOf(event.getMembers());
            }
        });
        hz.getLifecycleService().addLifecycleListener(event -> {
            LifecycleEvent.LifecycleState state = event.getState();
            if (state == LifecycleEvent.LifecycleState.MERGING) {
                LOG.warn("cluster {}: split-brain merge: {}", options.name(), state);
                resync.markStale("a split-brain merge");
            } else if (state == LifecycleEvent.LifecycleState.MERGED
                    || state == LifecycleEvent.LifecycleState.MERGE_FAILED) {
                LOG.warn("cluster {}: split-brain merge: {}", options.name(), state);
                resync.resyncSoon(state == LifecycleEvent.LifecycleState.MERGED ? "a split-brain merge"
                        : "a failed split-brain merge");
                // The merge rejoined under a new member id; its membership events must not hold the gate.
                seenMembers = currentMembers();
            }
        });
    }

    private void quorumChanged(int size) {
        boolean now = size >= options.quorum();
        if (hadQuorum.getAndSet(now) != now) {
            if (now) {
                LOG.warn("cluster {}: majority regained ({} of {} members): snapshot changes allowed again once "
                        + "the catalogue is re-read from the store", options.name(), size, options.members().size());
                resync.resyncSoon("the majority's return");
            } else {
                LOG.error("cluster {}: majority lost ({} of {} members, {} needed): refusing snapshot changes",
                        options.name(), size, options.members().size(), options.quorum());
                resync.markStale("the loss of the majority");
            }
        }
    }

    /** Waits for a majority, then creates the map proxies (refused without one); again if it is lost. */
    private void createStructures(long deadline) throws IOException {
        while (true) {
            awaitQuorum(deadline);
            try {
                HazelcastFileLocks l = new HazelcastFileLocks(this);
                HazelcastSnapshotCatalog c = new HazelcastSnapshotCatalog(this, l);
                for (String name : new String[] {CATALOG_MAP, LOCK_MAP, LOCK_STATE_MAP}) {
                    // Entries of these maps gone with all their replicas: the catalogue lags the store.
                    hz.getMap(name).addPartitionLostListener(event -> resync.resyncSoon("the loss of "
                            + event.getName() + " entries (partition " + event.getPartitionId() + ")"));
                }
                catalog = c;
                locks = l;
                return;
            } catch (HazelcastException | IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cluster " + options.name() + ": cannot set up its maps: " + e.getMessage(), e);
                }
                LOG.warn("cluster {}: the majority went away while starting ({}); waiting for it again", options.name(),
                        e.toString());
                sleep(500);
            }
        }
    }

    /**
     * Waits until this node sees a majority of the members and its catalogue is not being re-read from
     * the store, at most {@link ClusterOptions#quorumWait()} (e.g. before retrying start-up work that the
     * cluster refused).
     */
    public void awaitQuorum() throws IOException {
        awaitQuorum(System.nanoTime() + options.quorumWait().toNanos());
    }

    private void awaitQuorum(long deadline) throws IOException {
        boolean logged = false;
        while (!hasQuorum() || resync.isStale()) {
            if (!logged && !hasQuorum()) {
                LOG.info("cluster {}: waiting for a majority: {} of {} members present, {} needed", options.name(),
                        size(), options.members().size(), options.quorum());
                logged = true;
            }
            if (System.nanoTime() > deadline && hasQuorum()) {
                throw new IOException("cluster " + options.name() + ": the catalogue was not re-read from the "
                        + "store within " + options.quorumWait().toSeconds() + " s");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no majority of cluster " + options.name() + " within "
                        + options.quorumWait().toSeconds() + " s (" + size() + " of " + options.members().size()
                        + " members present, " + options.quorum() + " needed)");
            }
            sleep(100);
        }
        hadQuorum.set(true);
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the cluster", e);
        }
    }

    // ---------------------------------------------------------------- for the engine

    /** Makes an engine use this cluster: its locks, its catalogue, and the store shared with other nodes. */
    public SnapshotEngineConfig.Builder configure(SnapshotEngineConfig.Builder builder) {
        return builder.locks(locks).catalog(catalog).sharedStore(true);
    }

    public HazelcastFileLocks locks() {
        return locks;
    }

    public HazelcastSnapshotCatalog catalog() {
        return catalog;
    }

    public ClusterOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- membership

    /** Members currently in this node's view of the cluster (0 once shut down). */
    public int size() {
        try {
            return hz.getLifecycleService().isRunning() ? hz.getCluster().getMembers().size() : 0;
        } catch (HazelcastException | IllegalStateException e) {
            return 0;
        }
    }

    /** Whether this node sees a majority of the configured members (itself included). */
    public boolean hasQuorum() {
        return size() >= options.quorum();
    }

    /**
     * Refuses unless {@link #hasQuorum()}, this node has handled the membership events up to its current
     * view, and the catalogue is not being re-read from the store (except on the thread re-reading it).
     */
    void requireQuorum(String what) throws ClusterUnavailableException {
        Set<Member> members = currentMembers();
        int size = members.size();
        if (size < options.quorum()) {
            throw new ClusterUnavailableException(what + ": this node sees " + size + " of "
                    + options.members().size() + " cluster members, a majority (" + options.quorum()
                    + ") is needed");
        }
        if (!members.equals(seenMembers)) {
            throw new ClusterUnavailableException(what + ": the cluster's membership is changing; try again "
                    + "shortly");
        }
        String refusal = resync.refusal();
        if (refusal != null) {
            throw new ClusterUnavailableException(what + ": " + refusal);
        }
    }

    private Set<Member> currentMembers() {
        try {
            return hz.getLifecycleService().isRunning() ? hz.getCluster().getMembers() : Set.of();
        } catch (HazelcastException | IllegalStateException e) {
            return Set.of();
        }
    }

    /** The re-synchronisation of the catalogue (gate and thread). */
    CatalogResync resync() {
        return resync;
    }

    /** Whether snapshot changes wait for the catalogue to be re-read from the store. */
    public boolean resynchronising() {
        return resync.isStale();
    }

    UUID localMember() {
        return hz.getCluster().getLocalMember().getUuid();
    }

    Set<UUID> liveMembers() {
        Set<UUID> live = new HashSet<>();
        for (Member m : hz.getCluster().getMembers()) {
            live.add(m.getUuid());
        }
        return live;
    }

    <K, V> IMap<K, V> map(String name) {
        return hz.getMap(name);
    }

    /** The Hazelcast instance (tests). */
    HazelcastInstance hazelcast() {
        return hz;
    }

    ClusterUnavailableException unavailable(String what, RuntimeException cause) {
        return new ClusterUnavailableException(what + ": cluster call failed (" + cause.getClass().getSimpleName()
                + ": " + cause.getMessage() + ")", cause);
    }

    /** Leaves the cluster cleanly (its locks are released, partitions handed over). */
    @Override
    public void close() {
        resync.close();
        try {
            if (hz.getLifecycleService().isRunning()) {
                LOG.info("cluster {}: member {} leaving", options.name(), options.bind());
                hz.shutdown();
            }
        } catch (HazelcastException | IllegalStateException e) {
            LOG.warn("cluster {}: error while leaving: {}", options.name(), e.toString());
        }
    }
}
