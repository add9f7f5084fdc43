package org.fsnap.snapshot.crash;

import java.nio.file.Path;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.clone.CloneStrategy;

/**
 * Child-JVM entry point of the crash test: opens the engine on a prepared export and performs one
 * operation, unless a crash point ({@code -Dfsnap.crashAt}) or the parent's {@code kill -9} ends it first.
 *
 * <p>Arguments: export root, operation ({@link CrashScenario.Op}), forced strategy or "DEFAULT", seed.
 */
public final class CrashWorkload {

    private CrashWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path export = Path.of(args[0]);
        CrashScenario.Op op = CrashScenario.Op.valueOf(args[1]);
        CloneStrategy forced = args[2].equals("DEFAULT") ? null : CloneStrategy.valueOf(args[2]);
        long seed = Long.parseLong(args[3]);
        try (SnapshotEngine engine = SnapshotEngine.open(CrashScenario.config(export, forced))) {
            System.out.println("READY");
            System.out.flush();
            CrashScenario.run(engine, export, op, seed);
        }
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }
}
