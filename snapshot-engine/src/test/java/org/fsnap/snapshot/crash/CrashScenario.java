package org.fsnap.snapshot.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.fsnap.snapshot.clone.CloneStrategy;

/**
 * The state a crash run starts from, and the operations a child JVM performs on it.
 *
 * <pre>
 * f: snapshots one (C1) → two (C2) → three (C3), current three, live content C4
 * g: live content CG, no snapshots (its first snapshot assigns the identity)
 * h: one snapshot h1 (CH), about to lose its last snapshot
 * </pre>
 * Sizes are deliberately not block multiples, and differ, so a torn copy cannot pass for a whole one.
 */
final class CrashScenario {

    static final byte[] C1 = content(40 * 1024 + 1, 1);
    static final byte[] C2 = content(72 * 1024 + 3, 2);
    static final byte[] C3 = content(24 * 1024 + 5, 3);
    static final byte[] C4 = content(100 * 1024 + 7, 4);
    static final byte[] CG = content(50 * 1024 + 11, 5);
    static final byte[] CH = content(30 * 1024 + 13, 6);

    /** What each named snapshot must contain. */
    static final Map<String, byte[]> BY_NAME = Map.of("one", C1, "two", C2, "three", C3, "four", C4,
            "g1", CG, "h1", CH);
    static final List<byte[]> F_CONTENTS = List.of(C1, C2, C3, C4);

    enum Op {
        CREATE, REVERT, DELETE, CREATE_FIRST, DELETE_ONLY, REVERT_TWICE, RANDOM_LOOP
    }

    private CrashScenario() {
    }

    static Path f(Path export) {
        return export.resolve("f.img");
    }

    static Path g(Path export) {
        return export.resolve("g.img");
    }

    static Path h(Path export) {
        return export.resolve("sub").resolve("h.img");
    }

    static SnapshotEngineConfig config(Path export, CloneStrategy forced) {
        SnapshotEngineConfig.Builder b = SnapshotEngineConfig.builder(export).compactionSlack(0);
        if (forced != null) {
            b.forcedStrategy(forced);
        }
        return b.build();
    }

    static void setUp(Path export, CloneStrategy forced) throws IOException {
        Files.createDirectories(h(export).getParent());
        try (SnapshotEngine engine = SnapshotEngine.open(config(export, forced))) {
            Path f = f(export);
            Files.write(f, C1);
            engine.create(f, "one");
            Files.write(f, C2);
            engine.create(f, "two");
            Files.write(f, C3);
            engine.create(f, "three");
            Files.write(f, C4);
            Files.write(g(export), CG);
            Files.write(h(export), CH);
            engine.create(h(export), "h1");
        }
    }

    /** Runs one operation; RANDOM_LOOP never returns (the parent kills the JVM). */
    static void run(SnapshotEngine engine, Path export, Op op, long seed) throws IOException {
        Path f = f(export);
        switch (op) {
            case CREATE -> engine.create(f, "four");
            case REVERT -> engine.revert(f, "one");
            case DELETE -> engine.delete(f, "two");
            case CREATE_FIRST -> engine.create(g(export), "g1");
            case DELETE_ONLY -> engine.delete(h(export), "h1");
            case REVERT_TWICE -> {
                engine.revert(f, "one");
                engine.revert(f, "two");
            }
            case RANDOM_LOOP -> randomLoop(engine, f, seed);
        }
    }

    private static void randomLoop(SnapshotEngine engine, Path f, long seed) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; ; i++) {
            System.out.println("OP " + i);
            var now = engine.list(f);
            int choice = random.nextInt(10);
            if (now.size() < 2 || (choice < 4 && now.size() < 25)) {
                engine.create(f, "r" + i);
            } else if (choice < 8) {
                engine.revert(f, now.get(random.nextInt(now.size())).name());
            } else {
                engine.delete(f, now.get(random.nextInt(now.size())).name());
            }
        }
    }

    private static byte[] content(int length, int seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }
}
