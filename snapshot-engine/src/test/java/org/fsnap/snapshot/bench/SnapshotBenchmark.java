package org.fsnap.snapshot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.fsnap.snapshot.nativeio.NativeFile;
import org.fsnap.snapshot.testing.Commands;
import org.fsnap.snapshot.testing.ScratchFilesystem;
import org.fsnap.snapshot.testing.ScratchFilesystem.Kind;

/**
 * Prints a table of snapshot create and revert times (median, p99) for 1 MiB, 100 MiB and 1 GiB files on
 * XFS with reflink and on ext4, {@code cp --reflink=always} of the same 1 GiB file, and list times with
 * 1,000 and 10,000 snapshots. Mounts its own loop filesystems (root needed) and removes them afterwards.
 *
 * <p>Run through {@code snapshot-engine/bench.sh}; {@code --quick} shrinks everything for a smoke run.
 * Timings include everything an NFS client would wait for: the clone or copy and every fsync that makes
 * the snapshot durable. The page cache is warm (the live file was just written).
 */
public final class SnapshotBenchmark {

    private static final long MIB = 1L << 20;

    private record Row(String filesystem, String subject, String operation, double[] millis) {
        double median() {
            return percentile(0.50);
        }

        double p99() {
            return percentile(0.99);
        }

        private double percentile(double p) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p * sorted.length); // nearest-rank
            return sorted[Math.max(0, rank - 1)];
        }
    }

    private record Size(String label, long bytes, int createRuns, int revertRuns) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final boolean quick;

    private SnapshotBenchmark(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        if (!Commands.isRoot()) {
            System.err.println("the benchmark mounts loop filesystems and needs root");
            System.exit(2);
        }
        new SnapshotBenchmark(quick).run();
    }

    private void run() throws Exception {
        long imageSize = quick ? 1L << 30 : 5L << 30;
        List<Size> xfsSizes = quick
                ? List.of(new Size("1 MiB", MIB, 20, 20), new Size("64 MiB", 64 * MIB, 10, 10))
                : List.of(new Size("1 MiB", MIB, 100, 100), new Size("100 MiB", 100 * MIB, 50, 50),
                        new Size("1 GiB", 1024 * MIB, 30, 30));
        List<Size> ext4Sizes = quick
                ? List.of(new Size("1 MiB", MIB, 20, 20), new Size("64 MiB", 64 * MIB, 3, 3))
                : List.of(new Size("1 MiB", MIB, 100, 100), new Size("100 MiB", 100 * MIB, 10, 10),
                        new Size("1 GiB", 1024 * MIB, 5, 5));

        try (ScratchFilesystem xfs = ScratchFilesystem.mount(Kind.XFS_REFLINK, imageSize)) {
            Path export = xfs.newExport();
            try (SnapshotEngine engine = SnapshotEngine.open(export)) {
                log("xfs: strategy " + engine.strategy());
                for (Size size : xfsSizes) {
                    createAndRevert("xfs-reflink", engine, export, size);
                }
                copyWithCp("xfs-reflink", engine, export, xfsSizes.getLast());
            }
            listing("xfs-reflink", xfs.newExport(), quick ? 100 : 1_000, quick ? 1_000 : 10_000);
        }
        try (ScratchFilesystem ext4 = ScratchFilesystem.mount(Kind.EXT4, imageSize)) {
            Path export = ext4.newExport();
            try (SnapshotEngine engine = SnapshotEngine.open(export)) {
                log("ext4: strategy " + engine.strategy());
                for (Size size : ext4Sizes) {
                    createAndRevert("ext4", engine, export, size);
                }
            }
        }
        print();
    }

    private void createAndRevert(String fs, SnapshotEngine engine, Path export, Size size) throws IOException {
        Path live = export.resolve("live-" + size.bytes());
        writeRandom(live, size.bytes());
        for (int i = 0; i < 20; i++) { // warm-up: JIT, FFM linkage, filesystem metadata
            engine.create(live, "warm" + i);
            engine.revert(live, "warm" + i);
            engine.delete(live, "warm" + i);
        }
        log(fs + " " + size.label() + ": " + size.createRuns() + " creates");
        double[] creates = new double[size.createRuns()];
        for (int i = 0; i < creates.length; i++) {
            String name = "c" + i;
            creates[i] = time(() -> engine.create(live, name));
            engine.delete(live, name);
        }
        rows.add(new Row(fs, size.label(), "create", creates));

        log(fs + " " + size.label() + ": " + size.revertRuns() + " reverts");
        engine.create(live, "base");
        double[] reverts = new double[size.revertRuns()];
        for (int i = 0; i < reverts.length; i++) {
            dirty(live, i);
            reverts[i] = time(() -> engine.revert(live, "base"));
        }
        rows.add(new Row(fs, size.label(), "revert", reverts));
        engine.delete(live, "base");
    }

    /** cp --reflink=always of the same file (a process start included), and the bare ioctl for scale. */
    private void copyWithCp(String fs, SnapshotEngine engine, Path export, Size size) throws IOException {
        Path live = export.resolve("live-" + size.bytes());
        int runs = size.createRuns();
        log(fs + " " + size.label() + ": " + runs + " cp --reflink=always");
        double[] cp = new double[runs];
        for (int i = 0; i < runs; i++) {
            Path target = export.resolve("cp-" + i);
            cp[i] = time(() -> Commands.check("cp", "--reflink=always", live.toString(), target.toString()));
            Files.delete(target);
        }
        rows.add(new Row(fs, size.label(), "cp --reflink=always", cp));

        double[] ioctl = new double[runs];
        try (NativeFile source = NativeFile.openExisting(live, false)) {
            for (int i = 0; i < runs; i++) {
                Path target = export.resolve("ficlone-" + i);
                ioctl[i] = time(() -> {
                    try (NativeFile clone = NativeFile.createNew(target, 0600)) {
                        clone.cloneFrom(source);
                    }
                });
                Files.delete(target);
            }
        }
        rows.add(new Row(fs, size.label(), "bare FICLONE ioctl, no fsync", ioctl));
    }

    private void listing(String fs, Path export, int first, int second) throws IOException {
        SnapshotEngineConfig config = SnapshotEngineConfig.builder(export).maxSnapshotsPerFile(second).build();
        Path live = export.resolve("many");
        Files.write(live, new byte[4096]);
        FileKey key;
        try (SnapshotEngine engine = SnapshotEngine.open(config)) {
            long start = System.nanoTime();
            for (int i = 0; i < first; i++) {
                engine.create(live, "s" + i);
            }
            log(fs + ": " + first + " snapshots created in " + ms(System.nanoTime() - start) + " ms");
            rows.add(new Row(fs, String.format(Locale.ROOT, "%,d snapshots", first), "list",
                    repeat(30, () -> engine.list(live))));
            start = System.nanoTime();
            for (int i = first; i < second; i++) {
                engine.create(live, "s" + i);
            }
            log(fs + ": " + (second - first) + " more snapshots created in " + ms(System.nanoTime() - start) + " ms");
            rows.add(new Row(fs, String.format(Locale.ROOT, "%,d snapshots", second), "list",
                    repeat(30, () -> engine.list(live))));
            key = engine.keyOf(live).orElseThrow();
            rows.add(new Row(fs, String.format(Locale.ROOT, "%,d snapshots", second), "list by key (view)",
                    repeat(30, () -> engine.list(key))));
        }
        double[] reopen = new double[5];
        for (int i = 0; i < reopen.length; i++) {
            reopen[i] = time(() -> SnapshotEngine.open(config).close());
        }
        rows.add(new Row(fs, String.format(Locale.ROOT, "%,d snapshots", second), "engine open + recovery", reopen));
    }

    // ------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    private static double time(Action action) throws IOException {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double[] repeat(int runs, Action action) throws IOException {
        for (int i = 0; i < 5; i++) {
            action.run(); // warm-up
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            millis[i] = time(action);
        }
        return millis;
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        Random random = new Random(bytes);
        byte[] chunk = new byte[(int) Math.min(bytes, 4 * MIB)];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            while (written < bytes) {
                random.nextBytes(chunk);
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, bytes - written));
                while (buffer.hasRemaining()) {
                    written += ch.write(buffer);
                }
            }
            ch.force(true);
        }
    }

    /** A small durable change, so each revert has something to undo. */
    private static void dirty(Path file, int round) throws IOException {
        byte[] junk = new byte[64 * 1024];
        new Random(round).nextBytes(junk);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(junk), 0);
            ch.force(true);
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }

    private static void log(String message) {
        System.err.println("[bench] " + message);
    }

    private void print() {
        System.out.println();
        System.out.println("| filesystem | subject | operation | runs | median ms | p99 ms |");
        System.out.println("|---|---|---|---:|---:|---:|");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.3f |%n", row.filesystem(), row.subject(),
                    row.operation(), row.millis().length, row.median(), row.p99());
        }
        System.out.println();
        Row xfsCreate = find("xfs-reflink", "create");
        Row cp = find("xfs-reflink", "cp --reflink=always");
        Row listMany = null;
        for (Row row : rows) {
            if (row.operation().equals("list")) {
                listMany = row;
            }
        }
        if (xfsCreate != null && cp != null) {
            System.out.printf(Locale.ROOT, "target: XFS create of %s median %.2f ms < 20 ms: %s%n", xfsCreate.subject(),
                    xfsCreate.median(), xfsCreate.median() < 20 ? "met" : "MISSED");
            System.out.printf(Locale.ROOT, "target: within 2x of cp --reflink=always (%.2f ms): ratio %.2f: %s%n",
                    cp.median(), xfsCreate.median() / cp.median(), xfsCreate.median() <= 2 * cp.median() ? "met" : "MISSED");
        }
        if (listMany != null) {
            System.out.printf(Locale.ROOT, "target: list of %s median %.3f ms < 1 s: %s%n", listMany.subject(),
                    listMany.median(), listMany.median() < 1000 ? "met" : "MISSED");
        }
    }

    /** The last row of a filesystem and operation (the largest size). */
    private Row find(String fs, String operation) {
        Row found = null;
        for (Row row : rows) {
            if (row.filesystem().equals(fs) && row.operation().equals(operation)) {
                found = row;
            }
        }
        return found;
    }
}
