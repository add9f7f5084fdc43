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
    void parsesOneServersBenchLinesIntoSeriesPerKey() {
        List<String> lines = List.of(
                "INFO vers=4.2 size=256MiB",
                "BENCH server=fsnapd run=1 write_MBps=33.8 write_s=7.9",
                "BENCH server=ganesha run=1 write_MBps=30.1 write_s=8.9",
                "BENCH server=ganesha run=2 write_MBps=31.0 write_s=8.7",
                "BENCH server=fsnapd run=2 write_MBps=37.3 write_s=7.2",
                "BENCH server=fsnapd run=1 create_s=11.5 stat_s=0.28 remove_s=5.0 files_total_s=16.8",
                "BENCH server=fsnapdx run=3 write_MBps=2",
                "noise BENCH server=fsnapd run=3 write_MBps=1");
        Map<String, List<Double>> v = NfsBench.parse(lines, "fsnapd");
        assertEquals(List.of(33.8, 37.3), v.get("write_MBps"));
        assertEquals(List.of(16.8), v.get("files_total_s"));
        assertTrue(!v.containsKey("run") && !v.containsKey("server"), "run numbers and names are not figures");
        assertEquals(List.of(30.1, 31.0), NfsBench.parse(lines, "ganesha").get("write_MBps"));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(Optional.of(2.0), NfsBench.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(Optional.of(2.5), NfsBench.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(Optional.empty(), NfsBench.median(List.of()));
        assertEquals(Optional.empty(), NfsBench.median(null));
    }

    @Test
    void pairedRatioFollowsTheRoundsNotTheirSpread() {
        // both servers swing from 13 to 21 MB/s with the machine, fsnapd 10 % ahead in every round
        List<Double> ganesha = List.of(13.0, 21.0, 16.0, 18.0, 14.0);
        List<Double> fsnapd = ganesha.stream().map(x -> x * 1.1).toList();
        PairedRatio p = PairedRatio.of(fsnapd, ganesha).orElseThrow();
        assertEquals(1.1, p.ratio(), 1e-9);
        assertTrue(p.low() > 1.0999 && p.high() < 1.1001, p.toString());
        assertEquals("1.10x [1.10-1.10]", p.toString());
        assertEquals(1 / 1.1, p.inverse().ratio(), 1e-9);
    }

    @Test
    void pairedRatioIntervalHoldsOneWhenRoundsDisagree() {
        PairedRatio p = PairedRatio.of(List.of(20.0, 15.0, 18.0, 14.0), List.of(18.0, 16.5, 16.0, 15.5)).orElseThrow();
        assertTrue(p.low() < 1.0 && p.high() > 1.0, p.toString());
        assertTrue(p.low() <= p.ratio() && p.ratio() <= p.high(), p.toString());
        assertEquals(Optional.empty(), PairedRatio.of(List.of(1.0, 2.0), List.of(1.0, 2.0)), "two rounds are too few");
        assertEquals(Optional.empty(), PairedRatio.of(List.of(1.0, 2.0, 3.0), List.of(1.0, 2.0)), "unpaired");
        assertEquals(Optional.empty(), PairedRatio.of(List.of(1.0, 0.0, 3.0), List.of(1.0, 2.0, 3.0)), "a failed round");
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
        assertEquals(NfsBench.Layout.TOGETHER, o.layout, "the default");
        assertEquals(NfsBench.Layout.ROUNDS, NfsBench.parse(new String[] {"--layout", "rounds"}).layout);
        assertEquals(NfsBench.Layout.APART, NfsBench.parse(new String[] {"--no-interleave"}).layout);
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--layout", "mixed"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--vers", "4.0"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--size", "-1"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--servers", "knfsd"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--runs"}));
        assertThrows(IllegalArgumentException.class, () -> NfsBench.parse(new String[] {"--bogus", "1"}));
    }
}
