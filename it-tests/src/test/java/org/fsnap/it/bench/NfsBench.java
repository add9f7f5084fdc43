package org.fsnap.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fsnap.it.GuestVm;
import org.fsnap.it.ItEnv;
import org.fsnap.it.NfsServer;
import org.fsnap.it.ServerKind;
import org.fsnap.it.ServerOptions;

/**
 * bin/fsnap-bench: serves one directory with fsnapd and with nfs-ganesha, each on its own loopback
 * port, to the same Linux client guest, runs guest/bench.sh against them, and prints the medians
 * side by side with the speed ratio fsnapd/ganesha (above 1.0: fsnapd is faster).
 *
 * <p>To add a figure (e.g. snapshot latency through NFS): make a guest phase print
 * {@code BENCH server=NAME run=N your_key=value} (bench.sh's {@code report} does that), and add a
 * {@link Metric} to {@link #metrics}; a server that does not produce it shows "n/a".
 */
public final class NfsBench {

    /**
     * One line of the table.
     *
     * @param key            the key in the guest's BENCH lines
     * @param higherIsBetter MB/s yes, seconds no: the ratio column is always "fsnapd speed /
     *                       ganesha speed"
     */
    public record Metric(String key, String label, String unit, boolean higherIsBetter) {
    }

    static List<Metric> metrics(int files) {
        return List.of(
                new Metric("write_MBps", "sequential write (dd conv=fsync)", "MB/s", true),
                new Metric("read_MBps", "sequential read (fresh mount)", "MB/s", true),
                new Metric("files_total_s", files + " small files: create+stat+remove", "s", false),
                new Metric("create_s", "  create", "s", false),
                new Metric("stat_s", "  stat (fresh mount)", "s", false),
                new Metric("remove_s", "  remove (one rm)", "s", false));
    }

    static final class Options {
        String vers = "4.2";
        int sizeMiB = 256;
        int files = 2000;
        int runs = 3;
        Path dir = Path.of("/var/tmp/fsnap-bench");
        List<ServerKind> servers = List.of(ServerKind.FSNAPD, ServerKind.GANESHA);
        String phases = "seq files";
        boolean keep;
        Layout layout = Layout.TOGETHER;
    }

    /** How runs are laid out over guest boots. */
    enum Layout {
        /** Both servers up, one guest mounts both; they take turns in every run (ABBA). */
        TOGETHER,
        /** One guest boot per server and run, alternating servers (ABBA). */
        ROUNDS,
        /** All runs of a server in one guest boot, one server after the other. */
        APART
    }

    private static final String USAGE = """
            usage: bin/fsnap-bench [--vers 4.1|4.2] [--size MIB] [--files N] [--runs N]
                                   [--dir DIR] [--servers fsnapd,ganesha] [--phases "seq files"]
                                   [--layout together|rounds|apart] [--keep]
              --vers     NFS minor version the guest mounts with (default 4.2)
              --size     MiB written and read sequentially per run (default 256)
              --files    small files created, stat'ed and removed per run (default 2000)
              --runs     runs per server; medians are shown (default 3)
              --layout   together (default): both servers up, one guest mounts both and they take
                         turns in every run, after an unmeasured warm-up run each;
                         rounds: one guest boot per server and run, alternating (cold servers);
                         apart: all runs of a server in one guest boot, then the other server's
              --dir      scratch directory; DIR/export is served by both servers (default /var/tmp/fsnap-bench)
              --servers  which servers, in this order (default fsnapd,ganesha)
              --phases   guest phases to run (default "seq files")
              --keep     keep DIR/export afterwards
            """;

    public static void main(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fsnap-bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(o));
    }

    /** Parses ARGS and runs; bad arguments print the usage and give exit status 2. */
    public static int runWithArgs(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fsnap-bench: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        return run(o);
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException("usage");
            }
            if (a.equals("--keep")) {
                o.keep = true;
                continue;
            }
            if (a.equals("--no-interleave")) { // the old name of --layout apart
                o.layout = Layout.APART;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--vers" -> {
                    if (!v.equals("4.1") && !v.equals("4.2")) {
                        throw new IllegalArgumentException("--vers must be 4.1 or 4.2");
                    }
                    o.vers = v;
                }
                case "--size" -> o.sizeMiB = positive(a, v);
                case "--files" -> o.files = positive(a, v);
                case "--runs" -> o.runs = positive(a, v);
                case "--dir" -> o.dir = Path.of(v).toAbsolutePath();
                case "--phases" -> o.phases = v;
                case "--layout" -> {
                    try {
                        o.layout = Layout.valueOf(v.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--layout takes together, rounds or apart");
                    }
                }
                case "--servers" -> {
                    try {
                        o.servers = Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank())
                                .map(s -> ServerKind.valueOf(s.toUpperCase(Locale.ROOT))).toList();
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--servers takes fsnapd and/or ganesha");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return o;
    }

    private static int positive(String opt, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(opt + " takes a positive number, not " + v);
    }

    /** Figures of one server: key -> values of each run; empty when it could not run. */
    record Outcome(ServerKind kind, Map<String, List<Double>> values, Optional<String> problem, double seconds) {
    }

    static int run(Options o) {
        Optional<String> noGuest = GuestVm.unavailableReason();
        if (noGuest.isPresent()) {
            System.err.println("fsnap-bench: " + noGuest.get());
            return 2;
        }
        List<Outcome> outcomes;
        try {
            outcomes = measure(o);
        } catch (IOException e) {
            System.err.println("fsnap-bench: " + e);
            return 2;
        }
        String table = table(o, outcomes);
        System.out.print(table);
        try {
            Path result = ItEnv.targetDir().resolve("fsnap-bench/result.txt");
            Files.createDirectories(result.getParent());
            Files.writeString(result, table);
            System.out.println("(also in " + result + ")");
        } catch (IOException e) {
            System.err.println("fsnap-bench: cannot save the table: " + e);
        }
        return outcomes.stream().allMatch(r -> r.problem().isEmpty()) ? 0 : 1;
    }

    /** Runs the servers of O as its layout says, over a fresh DIR/export (removed afterwards unless --keep). */
    static List<Outcome> measure(Options o) throws IOException {
        Path export = o.dir.resolve("export");
        try {
            ItEnv.deleteTree(export);
            Files.createDirectories(export);
            String fsType = Files.getFileStore(export).type();
            System.out.printf("fsnap-bench: serving %s (%s) with %s; vers=%s, %d MiB, %d files, %d run(s) each%n",
                    export, fsType, o.servers, o.vers, o.sizeMiB, o.files, o.runs);
            boolean together = o.layout == Layout.TOGETHER && o.servers.size() > 1
                    && o.servers.stream().allMatch(k -> k.unavailableReason().isEmpty());
            Map<ServerKind, Outcome> byServer = together ? benchTogether(export, o) : benchInTurns(export, o);
            return new ArrayList<>(byServer.values());
        } finally {
            if (!o.keep) {
                ItEnv.deleteTree(export);
            }
        }
    }

    /**
     * Layout TOGETHER: all servers up at once over the same directory, one guest mounts them all and
     * they take turns in every run. Turns of a few seconds cancel more of the machine's drift
     * than a guest boot per server, and every server is measured warm, as users meet it.
     */
    private static Map<ServerKind, Outcome> benchTogether(Path export, Options o) {
        long limit = 240 + (long) (o.runs + 1) * o.servers.size() * (o.sizeMiB * 2L + o.files / 4 + 120);
        long t0 = System.nanoTime();
        List<NfsServer> up = new ArrayList<>();
        Map<ServerKind, Outcome> out = new LinkedHashMap<>();
        try {
            for (ServerKind kind : o.servers) {
                up.add(kind.start("bench-" + label(kind), export, ServerOptions.rootIsRoot()));
            }
            // the first server is the guest's nfs-server:2049; the others keep their own port numbers
            List<String> args = new ArrayList<>(List.of(o.vers, "" + o.sizeMiB, "" + o.files, "" + o.runs, o.phases));
            List<String> forwards = new ArrayList<>();
            for (int i = 0; i < up.size(); i++) {
                NfsServer s = up.get(i);
                int guestPort = i == 0 ? 2049 : s.port();
                if (i > 0) {
                    forwards.add("" + s.port());
                }
                args.add(label(o.servers.get(i)) + ":" + guestPort + ":" + s.mountPath());
            }
            System.out.printf("fsnap-bench: one guest, %s taking turns, %d run(s) each after a warm-up%n",
                    o.servers, o.runs);
            GuestVm.Result r = new GuestVm("bench-together").port(up.get(0).port())
                    .env("NFSVM_FWD_PORTS", String.join(" ", forwards))
                    .timeout(Duration.ofSeconds(limit))
                    .run(GuestVm.script("bench.sh"), args.toArray(String[]::new));
            double secs = (System.nanoTime() - t0) / 1e9;
            Optional<String> problem = guestProblem(r);
            problem.ifPresent(p -> System.err.println("fsnap-bench: " + p));
            for (ServerKind kind : o.servers) {
                out.put(kind, new Outcome(kind, parse(r.lines(), label(kind)), problem, secs));
            }
        } catch (AssertionError | RuntimeException e) {
            System.err.println("fsnap-bench: failed: " + e.getMessage());
            for (ServerKind kind : o.servers) {
                out.put(kind, new Outcome(kind, Map.of(), Optional.of(String.valueOf(e.getMessage())),
                        (System.nanoTime() - t0) / 1e9));
            }
        } finally {
            up.forEach(NfsServer::close);
        }
        return out;
    }

    /**
     * Layouts ROUNDS and APART: one server at a time. ROUNDS boots a guest per server and run,
     * alternating servers (ABBA), so that load from elsewhere on the machine hits both alike.
     */
    private static Map<ServerKind, Outcome> benchInTurns(Path export, Options o) throws IOException {
        int rounds = o.layout == Layout.ROUNDS ? o.runs : 1;
        int runsPerBoot = o.layout == Layout.ROUNDS ? 1 : o.runs;
        Map<ServerKind, Outcome> byServer = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            // ABBA: who goes first changes every round, so that neither server always gets
            // the machine just after a guest boot or just after the other's run
            List<ServerKind> order = new ArrayList<>(o.servers);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (ServerKind kind : order) {
                Outcome before = byServer.get(kind);
                if (before != null && before.problem().isPresent()) {
                    continue; // it failed once: no more rounds for it
                }
                if (rounds > 1) {
                    System.out.printf("fsnap-bench: round %d of %d: %s%n", round, rounds, kind);
                }
                Outcome now = benchOne(kind, export, o, runsPerBoot, rounds > 1 ? "-" + round : "");
                byServer.merge(kind, now, NfsBench::combine);
                clear(export);
            }
        }
        return byServer;
    }

    /** The name a server's BENCH lines carry: "fsnapd", "ganesha". */
    static String label(ServerKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static Optional<String> guestProblem(GuestVm.Result r) {
        if (r.exitCode() == 0 && r.failLines().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(GuestVm.Result.describeExit(r.exitCode())
                + (r.failLines().isEmpty() ? "" : ": " + r.failLines()) + " (log " + r.log() + ")");
    }

    private static Outcome combine(Outcome a, Outcome b) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (Map<String, List<Double>> m : List.of(a.values(), b.values())) {
            m.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return new Outcome(a.kind(), values, a.problem().or(b::problem), a.seconds() + b.seconds());
    }

    private static Outcome benchOne(ServerKind kind, Path export, Options o, int runs, String suffix) {
        Optional<String> unavailable = kind.unavailableReason();
        if (unavailable.isPresent()) {
            System.err.println("fsnap-bench: " + kind + " cannot run: " + unavailable.get());
            return new Outcome(kind, Map.of(), unavailable, 0);
        }
        // A ceiling, not an estimate: on a loaded 2-core machine under TCG emulation writes
        // have dropped to 3 MB/s and 2,000 files to 4 minutes.
        long limit = 240 + (long) runs * (o.sizeMiB * 2L + o.files / 4 + 120);
        long t0 = System.nanoTime();
        String name = "bench-" + kind + suffix;
        try (NfsServer server = kind.start(name, export, ServerOptions.rootIsRoot())) {
            GuestVm.Result r = new GuestVm(name).port(server.port())
                    .timeout(Duration.ofSeconds(limit))
                    .run(GuestVm.script("bench.sh"), o.vers, "" + o.sizeMiB, "" + o.files, "" + runs,
                            o.phases, label(kind) + ":2049:" + server.mountPath());
            double secs = (System.nanoTime() - t0) / 1e9;
            Optional<String> problem = guestProblem(r);
            problem.ifPresent(p -> System.err.println("fsnap-bench: " + kind + ": " + p));
            return new Outcome(kind, parse(r.lines(), label(kind)), problem, secs);
        } catch (AssertionError | RuntimeException e) {
            System.err.println("fsnap-bench: " + kind + " failed: " + e.getMessage());
            return new Outcome(kind, Map.of(), Optional.of(String.valueOf(e.getMessage())),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static final Pattern KV = Pattern.compile("(\\w+)=(-?[0-9]+(?:\\.[0-9]+)?)");

    /** The figures of SERVER's "BENCH server=SERVER run=N key=value ..." lines, key -> values in run order. */
    static Map<String, List<Double>> parse(List<String> lines, String server) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (String l : lines) {
            if (!l.startsWith("BENCH server=" + server + " ")) {
                continue;
            }
            Matcher m = KV.matcher(l);
            while (m.find()) {
                if (!m.group(1).equals("run")) {
                    out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                }
            }
        }
        return out;
    }

    static Optional<Double> median(List<Double> xs) {
        if (xs == null || xs.isEmpty()) {
            return Optional.empty();
        }
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return Optional.of(n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2);
    }

    private static String table(Options o, List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n=== fsnap-bench: NFS vers=").append(o.vers).append(", median of ").append(o.runs)
                .append(" run(s), layout ").append(o.layout.name().toLowerCase(Locale.ROOT)).append("; speed ratio = fsnapd/ganesha (above 1.0: fsnapd faster) ===\n");
        sb.append(String.format("%-42s %-5s", "metric", "unit"));
        for (Outcome r : outcomes) {
            sb.append(String.format(" %12s", r.kind()));
        }
        Outcome fs = find(outcomes, ServerKind.FSNAPD);
        Outcome ga = find(outcomes, ServerKind.GANESHA);
        boolean ratio = fs != null && ga != null;
        if (ratio) {
            sb.append(String.format(" %15s %22s", "fsnapd/ganesha", "paired, 95% interval"));
        }
        sb.append('\n');
        for (Metric m : metrics(o.files)) {
            boolean anyValue = outcomes.stream().anyMatch(r -> r.values().containsKey(m.key()));
            if (!anyValue && outcomes.stream().allMatch(r -> r.problem().isEmpty())) {
                continue; // a phase that was not run
            }
            sb.append(String.format("%-42s %-5s", m.label(), m.unit()));
            for (Outcome r : outcomes) {
                sb.append(String.format(" %12s", median(r.values().get(m.key())).map(NfsBench::fmt).orElse("n/a")));
            }
            if (ratio) {
                Optional<Double> f = median(fs.values().get(m.key()));
                Optional<Double> g = median(ga.values().get(m.key()));
                String cell = "n/a";
                if (f.isPresent() && g.isPresent() && f.get() > 0 && g.get() > 0) {
                    double speed = m.higherIsBetter() ? f.get() / g.get() : g.get() / f.get();
                    cell = String.format("%.2fx", speed);
                }
                Optional<PairedRatio> paired = PairedRatio.of(fs.values().get(m.key()), ga.values().get(m.key()))
                        .map(p -> m.higherIsBetter() ? p : p.inverse());
                sb.append(String.format(" %15s %22s", cell, paired.map(PairedRatio::toString).orElse("n/a")));
            }
            sb.append('\n');
        }
        if (ratio && o.layout != Layout.APART && o.runs >= 3) {
            sb.append("paired: geometric mean of the per-run ratios; an interval that holds 1.00 cannot tell\n"
                    + "the servers apart (PairedRatio)\n");
        }
        for (Outcome r : outcomes) {
            sb.append(String.format("%s: %s, %.0f s in all%n", r.kind(),
                    r.problem().map(p -> "FAILED: " + p).orElse("ok"), r.seconds()));
        }
        return sb.toString();
    }

    private static Outcome find(List<Outcome> outcomes, ServerKind kind) {
        return outcomes.stream().filter(r -> r.kind() == kind).findFirst().orElse(null);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format("%.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    /** Empties the export between servers (the guest removes its files; this catches leftovers). */
    private static void clear(Path export) throws IOException {
        try (var s = Files.list(export)) {
            for (Path p : s.toList()) {
                ItEnv.deleteTree(p);
            }
        }
    }
}
