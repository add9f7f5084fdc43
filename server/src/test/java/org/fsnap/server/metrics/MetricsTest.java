package org.fsnap.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.fsnap.config.ListenAddress;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;
import org.junit.jupiter.api.Test;

/** Counts and histograms in the Prometheus text format, and the HTTP endpoint. */
class MetricsTest {
    @Test
    void countsAndHistograms() {
        Metrics m = new Metrics("0.1.0-test");
        m.compound();
        m.operation(OpCode.READ, Nfs4Status.NFS4_OK, 400_000);        // 0.4 ms
        m.operation(OpCode.READ, Nfs4Status.NFS4_OK, 2_000_000);      // 2 ms
        m.operation(OpCode.READ, Nfs4Status.NFS4ERR_ACCESS, 50_000);
        m.snapshotOperation("create", "ok", 30_000_000);
        m.snapshotOperation("create", "EXIST", 1_000_000);
        String text = m.scrape();
        for (String line : List.of(
                "fsnap_nfs_operations_total{op=\"READ\",status=\"NFS4_OK\"} 2.0",
                "fsnap_nfs_operations_total{op=\"READ\",status=\"NFS4ERR_ACCESS\"} 1.0",
                "fsnap_nfs_operation_seconds_bucket{op=\"READ\",le=\"1.0E-4\"} 1",
                "fsnap_nfs_operation_seconds_bucket{op=\"READ\",le=\"5.0E-4\"} 2",
                "fsnap_nfs_operation_seconds_bucket{op=\"READ\",le=\"0.0025\"} 3",
                "fsnap_nfs_operation_seconds_bucket{op=\"READ\",le=\"+Inf\"} 3",
                "fsnap_nfs_operation_seconds_count{op=\"READ\"} 3",
                "fsnap_snapshot_operations_total{op=\"create\",result=\"ok\"} 1.0",
                "fsnap_snapshot_operations_total{op=\"create\",result=\"EXIST\"} 1.0",
                "fsnap_snapshot_operation_seconds_count{op=\"create\"} 2",
                "fsnap_compounds_total 1.0",
                "fsnap_build_info{version=\"0.1.0-test\"} 1.0",
                "# TYPE fsnap_nfs_operation_seconds histogram")) {
            assertTrue(text.contains("\n" + line + "\n") || text.startsWith(line + "\n"), line + " in\n" + text);
        }
    }

    @Test
    void servedOverHttp() throws Exception {
        Metrics m = new Metrics("t");
        m.snapshotOperation("delete", "ok", 1);
        try (MetricsHttpServer server = MetricsHttpServer.start(m, new ListenAddress("127.0.0.1", 0));
             HttpClient http = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(r.body().contains("fsnap_snapshot_operations_total{op=\"delete\",result=\"ok\"} 1.0"), r.body());
            assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("/nope")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
