package org.fsnap.server.vfs.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fsnap.server.testclient.Attr;
import org.fsnap.server.testclient.CompoundReply;
import org.fsnap.server.testclient.Nfs4;
import org.fsnap.server.testclient.Nfs4Client;
import org.fsnap.server.testclient.OpReply;
import org.fsnap.server.testclient.TestServer;
import org.fsnap.server.vfs.local.LocalFileSystem;

/**
 * READDIR and LOOKUP cost through the whole server (RPC, COMPOUND, attribute encoding) with the
 * snapshot view on and off, over loopback TCP with the project's test client: no guest, so the
 * difference the view makes is not drowned in emulation noise. Not a test; bin/fsnap-bench-snapshots
 * runs it: {@code java -cp ... org.fsnap.server.vfs.snapshot.SnapshotViewBench [DIR] [FILES] [ROUNDS]}.
 * On and off servers serve the same export and take turns, round by round.
 */
public final class SnapshotViewBench {
    private static final int[] ATTRS = {Attr.TYPE, Attr.SIZE, Attr.FILEID, Attr.MODE, Attr.NUMLINKS,
        Attr.OWNER, Attr.OWNER_GROUP, Attr.TIME_MODIFY, Attr.CHANGE};

    private SnapshotViewBench() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Path export = Files.createTempDirectory(base, "fsnap-viewbench");
        Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = Files.createDirectory(export.resolve("many"));
        for (int i = 1; i <= files; i++) {
            Files.writeString(dir.resolve("f" + i), Integer.toString(i));
        }
        Set<String> hidden = Set.of(".fsnap-state", ".fsnap-store");
        try (LocalFileSystem localOn = new LocalFileSystem(export, hidden);
             LocalFileSystem localOff = new LocalFileSystem(export, hidden)) {
            System.setProperty(SnapshotStack.VIEW_PROPERTY, "on");
            SnapshotStack on = SnapshotStack.build(export, localOn, 0);
            System.setProperty(SnapshotStack.VIEW_PROPERTY, "off");
            SnapshotStack off = SnapshotStack.build(export, localOff, 0);
            System.clearProperty(SnapshotStack.VIEW_PROPERTY);
            try (on; off; TestServer sOn = TestServer.start(on); TestServer sOff = TestServer.start(off);
                 Nfs4Client cOn = sOn.client(); Nfs4Client cOff = sOff.client()) {
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= files; i++) {
                    names.add("f" + i);
                }
                long[][] readdir = new long[2][rounds];
                long[][] lookup = new long[2][rounds];
                long[][] readdirCpu = new long[2][rounds];
                long[][] lookupCpu = new long[2][rounds];
                for (int warm = 0; warm < 3; warm++) {
                    readdirAll(cOn, files);
                    readdirAll(cOff, files);
                    lookupAll(cOn, names);
                    lookupAll(cOff, names);
                }
                for (int r = 0; r < rounds; r++) {
                    Nfs4Client[] order = r % 2 == 0 ? new Nfs4Client[] {cOn, cOff} : new Nfs4Client[] {cOff, cOn};
                    for (Nfs4Client c : order) {
                        int k = c == cOn ? 0 : 1;
                        long cpu0 = cpuNanos();
                        readdir[k][r] = readdirAll(c, files);
                        long cpu1 = cpuNanos();
                        lookup[k][r] = lookupAll(c, names);
                        readdirCpu[k][r] = cpu1 - cpu0;
                        lookupCpu[k][r] = cpuNanos() - cpu1;
                    }
                }
                System.out.printf("in-process server, loopback TCP, test client; %d entries, %d rounds, medians:%n",
                        files, rounds);
                System.out.println(" elapsed time:");
                report("READDIR (all pages, 9 attrs)", readdir, 1);
                report("LOOKUP+GETFH+GETATTR per name", lookup, files);
                System.out.println(" CPU time of all threads (server and client), less disturbed by other load:");
                report("READDIR (all pages, 9 attrs)", readdirCpu, 1);
                report("LOOKUP+GETFH+GETATTR per name", lookupCpu, files);
            }
        } finally {
            try (var walk = Files.walk(export)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Medians, and the two estimates that resist load from other processes: the median of the
     * per-round ratios (on and off ran back to back) and the ratio of the best rounds.
     */
    private static void report(String what, long[][] nanos, int perOps) {
        int n = nanos[0].length;
        long[] ratios = new long[n];
        for (int r = 0; r < n; r++) {
            ratios[r] = Math.round(1_000_000.0 * nanos[0][r] / nanos[1][r]);
        }
        double on = median(nanos[0]) / perOps / 1000.0;
        double off = median(nanos[1]) / perOps / 1000.0;
        double bestOn = Arrays.stream(nanos[0]).min().orElse(0) / (double) perOps / 1000.0;
        double bestOff = Arrays.stream(nanos[1]).min().orElse(0) / (double) perOps / 1000.0;
        System.out.printf("  %-32s on %8.1f us  off %8.1f us | paired on/off %+.1f%% | best on %.1f off %.1f: %+.1f%%%n",
                what, on, off, (median(ratios) / 1_000_000.0 - 1) * 100, bestOn, bestOff, (bestOn / bestOff - 1) * 100);
    }

    /** CPU time of all live threads (ns resolution; the process counter ticks in 10 ms). */
    private static long cpuNanos() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : t.getAllThreadIds()) {
            long c = t.getThreadCpuTime(id);
            if (c > 0) {
                sum += c;
            }
        }
        return sum;
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static long readdirAll(Nfs4Client c, int expected) throws Exception {
        long t0 = System.nanoTime();
        long cookie = 0;
        byte[] verf = new byte[8];
        int seen = 0;
        for (int page = 0; page < 10_000; page++) {
            CompoundReply r = c.compound().sequence().putrootfh().lookup("many")
                    .readdir(cookie, verf, 8192, 32768, ATTRS).send().assertOk();
            OpReply.ReaddirResult d = r.find(Nfs4.OP_READDIR).readdir();
            for (OpReply.DirEntry e : d.entries()) {
                cookie = e.cookie();
                seen++;
            }
            verf = d.cookieverf();
            if (d.eof()) {
                break;
            }
        }
        if (seen < expected) {
            throw new AssertionError("READDIR saw " + seen + " entries");
        }
        return System.nanoTime() - t0;
    }

    private static long lookupAll(Nfs4Client c, List<String> names) throws Exception {
        byte[] dir = c.compound().sequence().putrootfh().lookup("many").getfh().send().assertOk()
                .find(Nfs4.OP_GETFH).fh();
        long t0 = System.nanoTime();
        for (String n : names) {
            c.compound().sequence().putfh(dir).lookup(n).getfh().getattr(ATTRS).send().assertOk();
        }
        return System.nanoTime() - t0;
    }
}
