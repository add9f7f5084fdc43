package org.fsnap.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fsnap.it.ServerKind;
import org.junit.jupiter.api.Test;

/** The benchmark driver's own logic (no guest, no server). */
class NfsBenchTest {

    @Test
    void parsesBenchLinesIntoSeriesPerKey() {
        Map<String, List<Double>> v = NfsBench.parse(List.of(
                "INFO vers=4.2 size=256MiB",
                "BENCH run=1 write_MBps=33.8 write_s=7.9",
                "BENCH run=2 write_MBps=37.3 write_s=7.2",
                "BENCH run=1 create_s=11.5 stat_s=0.28 remove_s=5.0 files_total_s=16.8",
                "noise BENCH run=3 write_MBps=1"));
        assertEquals(List.of(33.8, 37.3), v.get("write_MBps"));
        assertEquals(List.of(16.8), v.get("files_total_s"));
        assertTrue(!v.containsKey("run"), "run numbers are not figures");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(Optional.of(2.0), NfsBench.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(Optional.of(2.5), NfsBench.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(Optional.empty(), NfsBench.median(List.of()));
        assertEquals(Optional.empty(), NfsBench.median(null));
    }

    @Test
    void optionsAndTheirErrors() {
        NfsBench.Options o = NfsBench.parse(new String[] {"--vers", "4.1", "--size", "64", "--files", "100",
                "--runs", "1", "--dir", "/tmp/b", "--servers", "ganesha,fsnapd", "--keep"});
        assertEquals("4.1", o.vers);
        assertEquals(64, o.sizeMiB);
        assertEquals(100, o.files);
        assertEquals(1, o.runs);
        assertEquals(Path.of("/tmp/b"), o.dir);
        assertEquals(List.of(ServerKind.GANESHA, ServerKind.FSNAPD), o.servers);
        assertTrue(o.keep);
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--vers", "4.0"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--size", "-1"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--servers", "knfsd"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--runs"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--bogus", "1"}));
    }
}
