package org.fsnap.snapshot.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.fsnap.snapshot.testing.Commands;
import org.fsnap.snapshot.testing.ScratchFilesystem;
import org.fsnap.snapshot.testing.ScratchFilesystem.Kind;

/**
 * Snapshot create throughput and latency, one node against a cluster: the same workload (THREADS threads,
 * each creating CREATES snapshots of its own 1 MiB file) on an XFS (reflink) export through
 *
 * <ol>
 *   <li>one engine without a cluster (local locks and catalogue),</li>
 *   <li>one engine in a 1-member cluster (every lock and catalogue step is a Hazelcast call),</li>
 *   <li>three engines over the one store in a 3-member cluster, threads spread over them,</li>
 *   <li>the same three, all threads on one file (every create contends for the same locks).</li>
 * </ol>
 *
 * All members run in this JVM on 127.0.0.1 (real TCP between them), so the figures show coordination
 * cost, not more hardware. Run by {@code snapshot-engine/cluster-bench.sh} ({@code bin/fsnap-bench cluster}).
 * Needs root (loop mount). Table on stdout, progress on stderr.
 */
public final class ClusterBenchmark {

    private record Row(String setup, int creates, double seconds, double[] millis) {
    }

    private final int threads;
    private final int creates;
    private final List<Row> rows = new ArrayList<>();

    private ClusterBenchmark(int threads, int creates) {
        this.threads = threads;
        this.creates = creates;
    }

    public static void main(String[] args) throws Exception {
        int threads = 6;
        int creates = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--creates" -> creates = Integer.parseInt(args[++i]);
                case "--quick" -> creates = 30;
                default -> {
                    System.err.println("usage: ClusterBenchmark [--threads N] [--creates N per thread] [--quick]");
                    System.exit(2);
                }
            }
        }
        if (!Commands.isRoot()) {
            System.err.println("the benchmark loop-mounts an XFS image and needs root");
            System.exit(2);
        }
        new ClusterBenchmark(threads, creates).run();
    }

    private void run() throws Exception {
        try (ScratchFilesystem xfs = ScratchFilesystem.mount(Kind.XFS_REFLINK, 2L << 30)) {
            Path export = xfs.newExport();
            try (SnapshotEngine alone = SnapshotEngine.open(export)) {
                log("strategy " + alone.strategy());
                measure("1 node, no cluster", export, "local", new SnapshotEngine[] {alone}, false);
            }
            export = xfs.newExport();
            try (TestCluster one = TestCluster.start(1, 1, Duration.ofSeconds(60));
                 SnapshotEngine engine = open(one, 0, export)) {
                measure("1 node, cluster of 1", export, "one", new SnapshotEngine[] {engine}, false);
            }
            export = xfs.newExport();
            try (TestCluster three = TestCluster.start(3, 3, Duration.ofSeconds(60))) {
                SnapshotEngine[] engines = {open(three, 0, export), open(three, 1, export), open(three, 2, export)};
                try {
                    measure("3 nodes, cluster of 3", export, "three", engines, false);
                    measure("3 nodes, one hot file", export, "hot", engines, true);
                } finally {
                    for (SnapshotEngine e : engines) {
                        e.close();
                    }
                }
            }
        }
        print();
    }

    private static SnapshotEngine open(TestCluster c, int member, Path export) throws IOException {
        return SnapshotEngine.open(c.members[member].configure(SnapshotEngineConfig.builder(export)).build());
    }

    private void measure(String setup, Path export, String tag, SnapshotEngine[] engines, boolean oneFile)
            throws Exception {
        Random random = new Random(42);
        Path[] files = new Path[threads];
        for (int t = 0; t < threads; t++) {
            files[t] = export.resolve(oneFile ? tag + "-hot" : tag + "-" + t);
            if (!Files.exists(files[t])) {
                byte[] data = new byte[1 << 20];
                random.nextBytes(data);
                Files.write(files[t], data);
            }
        }
        for (int t = 0; t < threads; t++) { // warm-up: JIT, FFM linkage, cluster connections
            for (int i = 0; i < 10; i++) {
                engines[t % engines.length].create(files[t], "warm-" + t + "-" + i);
            }
        }
        log(setup + ": " + threads + " threads x " + creates + " creates");
        double[] millis = new double[threads * creates];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    SnapshotEngine engine = engines[thread % engines.length];
                    for (int i = 0; i < creates; i++) {
                        long t0 = System.nanoTime();
                        engine.create(files[thread], "s-" + thread + "-" + i);
                        millis[thread * creates + i] = (System.nanoTime() - t0) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                d.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        rows.add(new Row(setup, millis.length, seconds, millis));
    }

    private void print() {
        System.out.printf("%-24s %8s %9s %10s %9s %9s%n", "setup", "creates", "seconds", "creates/s", "p50 ms",
                "p99 ms");
        for (Row r : rows) {
            double[] sorted = r.millis().clone();
            Arrays.sort(sorted);
            System.out.printf("%-24s %8d %9.2f %10.1f %9.2f %9.2f%n", r.setup(), r.creates(), r.seconds(),
                    r.creates() / r.seconds(), percentile(sorted, 50), percentile(sorted, 99));
        }
        System.out.printf("(%d threads, 1 MiB files, XFS reflink, members in one JVM on 127.0.0.1, %d cores, load %s)%n",
                threads, Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    private static double percentile(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void log(String s) {
        System.err.println("[cluster-bench] " + s);
    }
}
