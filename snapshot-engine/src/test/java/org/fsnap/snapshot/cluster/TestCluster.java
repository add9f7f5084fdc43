package org.fsnap.snapshot.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Real Hazelcast members in this JVM on 127.0.0.1, started in parallel (each waits for a majority). */
final class TestCluster implements AutoCloseable {

    static final Duration FAILURE_DETECTION = Duration.ofSeconds(4);

    final String name = "fsnap-test-" + UUID.randomUUID().toString().substring(0, 8);
    final List<InetSocketAddress> addresses = new ArrayList<>();
    final ClusterMember[] members;
    private final Duration lease;

    private TestCluster(int configured, Duration lease) {
        for (int i = 0; i < configured; i++) {
            addresses.add(new InetSocketAddress("127.0.0.1", freePort()));
        }
        this.members = new ClusterMember[configured];
        this.lease = lease;
    }

    /** A cluster of {@code configured} members of which the first {@code started} are started. */
    static TestCluster start(int configured, int started, Duration lease) throws Exception {
        TestCluster c = new TestCluster(configured, lease);
        try {
            c.startMembers(java.util.stream.IntStream.range(0, started).toArray());
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    ClusterOptions options(int i) {
        return ClusterOptions.of(name, addresses.get(i), addresses)
                .withTimes(FAILURE_DETECTION, lease, Duration.ofSeconds(30), Duration.ofSeconds(5))
                .withQuorumWait(Duration.ofSeconds(60));
    }

    void startMembers(int... which) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(which.length);
        try {
            List<Future<ClusterMember>> started = new ArrayList<>();
            for (int i : which) {
                ClusterOptions o = options(i);
                started.add(pool.submit(() -> ClusterMember.start(o)));
            }
            for (int j = 0; j < which.length; j++) {
                members[which[j]] = started.get(j).get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits (at most 60 s) until every live member holds all its backups: a member crashing before the
     * backups lost with an earlier one are copied again can take the newest copy of an entry with it.
     */
    void awaitSafe() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (ClusterMember m : members) {
            while (m != null && !m.hazelcast().getPartitionService().isClusterSafe()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
    }

    /** Kills member i the hard way: no graceful leave, its locks are freed only by failure detection. */
    void crash(int i) {
        members[i].hazelcast().getLifecycleService().terminate();
        members[i] = null;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null) {
                members[i].hazelcast().getLifecycleService().terminate();
                members[i] = null;
            }
        }
    }
}
