package org.fsnap.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.fsnap.server.compound.OperationObserver;
import org.fsnap.server.nfs.Nfs4Names;

/**
 * fsnapd's metrics, in the Prometheus text format:
 *
 * <pre>
 * fsnap_nfs_operations_total{op="READ",status="NFS4_OK"}         operations by NFSv4 op and status
 * fsnap_nfs_operation_seconds_bucket{op="READ",le="0.001"}       their latency (histogram)
 * fsnap_snapshot_operations_total{op="create",result="ok"}       snapshot operations by result
 * fsnap_snapshot_operation_seconds_bucket{op="create",le="0.1"}  their latency (histogram)
 * fsnap_compounds_total                                          COMPOUND requests
 * fsnap_build_info{version="0.1.0"} 1
 * </pre>
 *
 * Thread-safe and cheap enough to call for every operation; always present, whether or not
 * an HTTP port serves it ({@link MetricsHttpServer}).
 */
public final class Metrics implements OperationObserver {
    /** Latency buckets in seconds: 100 µs to 10 s. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter nfsOperations;
    private final Histogram nfsLatency;
    private final Counter snapshotOperations;
    private final Histogram snapshotLatency;
    private final Counter compounds;
    private final ConcurrentHashMap<Long, OperationPoints> byOpcodeAndStatus = new ConcurrentHashMap<>();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public Metrics(String version) {
        nfsOperations = Counter.builder().name("fsnap_nfs_operations")
                .help("NFSv4 operations handled, by operation and status").labelNames("op", "status")
                .withoutExemplars().register(registry);
        nfsLatency = Histogram.builder().name("fsnap_nfs_operation").unit(Unit.SECONDS)
                .help("Time to handle one NFSv4 operation").labelNames("op")
                .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
        snapshotOperations = Counter.builder().name("fsnap_snapshot_operations")
                .help("Snapshot operations (xattr control and schedules), by operation and result")
                .labelNames("op", "result").withoutExemplars().register(registry);
        snapshotLatency = Histogram.builder().name("fsnap_snapshot_operation").unit(Unit.SECONDS)
                .help("Time of one snapshot operation").labelNames("op")
                .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
        compounds = Counter.builder().name("fsnap_compounds").help("NFSv4 COMPOUND requests")
                .withoutExemplars().register(registry);
        Gauge info = Gauge.builder().name("fsnap_build_info").help("fsnapd's version").labelNames("version")
                .register(registry);
        info.labelValues(version).set(1);
    }

    /** One NFSv4 operation of a COMPOUND: counted by name and status, its latency by name. */
    @Override
    public void operation(int opcode, int status, long nanos) {
        OperationPoints points = byOpcodeAndStatus.get(key(opcode, status));
        if (points == null) {
            points = byOpcodeAndStatus.computeIfAbsent(key(opcode, status), k -> new OperationPoints(
                    nfsOperations.labelValues(Nfs4Names.operation(opcode), Nfs4Names.status(status)),
                    nfsLatency.labelValues(Nfs4Names.operation(opcode))));
        }
        points.count().inc();
        points.latency().observe(nanos / 1e9);
    }

    private static long key(int opcode, int status) {
        return ((long) opcode << 32) | (status & 0xffffffffL);
    }

    /**
     * The data points of one operation and status, looked up once: finding them by their label
     * strings (and building those) took longer than most operations they count.
     */
    private record OperationPoints(CounterDataPoint count, DistributionDataPoint latency) {
    }

    /** One COMPOUND request. */
    @Override
    public void compound() {
        compounds.inc();
    }

    /**
     * One snapshot operation.
     *
     * @param op     create, delete, revert (or list, current, info)
     * @param result "ok" or the error's name (EXIST, NOXATTR, ACCESS, DQUOT, ...)
     */
    public void snapshotOperation(String op, String result, long nanos) {
        snapshotOperations.labelValues(op, result).inc();
        snapshotLatency.labelValues(op).observe(nanos / 1e9);
    }

    /** The content type of {@link #write}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
