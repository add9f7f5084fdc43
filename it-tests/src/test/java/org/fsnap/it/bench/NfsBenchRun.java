package org.fsnap.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.fsnap.it.ItEnv;
import org.junit.jupiter.api.Test;

/**
 * How bin/fsnap-bench runs {@link NfsBench} inside Maven (so it gets the test classpath):
 * {@code mvn test -Dtest=NfsBenchRun -Dfsnap.bench.args=...}, the arguments separated by the
 * character U+001F. Not a test of its own: the name does not end in "Test", so `mvn install`
 * leaves it out. The exit status goes to target/fsnap-bench/exit-status for the script.
 */
class NfsBenchRun {

    @Test
    void bench() throws Exception {
        String raw = System.getProperty("fsnap.bench.args", "");
        String[] args = raw.isEmpty() ? new String[0] : raw.split("\u001f");
        int rc = NfsBench.runWithArgs(args);
        Path status = ItEnv.targetDir().resolve("fsnap-bench/exit-status");
        Files.createDirectories(status.getParent());
        Files.writeString(status, rc + "\n");
        assertEquals(0, rc, "fsnap-bench exit status (see the messages above)");
    }
}
