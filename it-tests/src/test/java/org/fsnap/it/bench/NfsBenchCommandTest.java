package org.fsnap.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.fsnap.it.GuestVm;
import org.fsnap.it.ItEnv;
import org.fsnap.it.ServerKind;
import org.junit.jupiter.api.Test;

/**
 * The benchmark of the README, shrunk to one small run: one guest mounts fsnapd and ganesha at
 * once and every figure comes back for both (the speeds themselves are the benchmark's business).
 */
class NfsBenchCommandTest {

    @Test
    void oneGuestMeasuresBothServers() throws Exception {
        GuestVm.assumeAvailable();
        ServerKind.FSNAPD.assumeAvailable();
        ServerKind.GANESHA.assumeAvailable();
        NfsBench.Options o = NfsBench.parse(new String[] {"--size", "8", "--files", "20", "--runs", "1",
                "--dir", ItEnv.targetDir().resolve("bench-command-test").toString()});
        assertEquals(NfsBench.Layout.TOGETHER, o.layout);

        List<NfsBench.Outcome> outcomes = NfsBench.measure(o);

        assertEquals(List.of(ServerKind.FSNAPD, ServerKind.GANESHA), outcomes.stream().map(NfsBench.Outcome::kind).toList());
        for (NfsBench.Outcome r : outcomes) {
            assertTrue(r.problem().isEmpty(), r.kind() + ": " + r.problem());
            for (NfsBench.Metric m : NfsBench.metrics(o.files)) {
                List<Double> v = r.values().get(m.key());
                assertTrue(v != null && v.size() == 1 && v.get(0) > 0, r.kind() + " " + m.key() + ": " + v);
            }
        }
        assertTrue(!Path.of(o.dir.toString(), "export").toFile().exists(), "the scratch export is removed");
    }
}
