package org.fsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Small parts: errno texts, the mount table, fsnap.info parsing, sizes, JSON strings. */
class UnitsTest {
    @Test
    void errnoFromJdkMessages() {
        assertEquals(Errno.ENOTSUP, Errno.fromReason("Error reading extended attribute 'fsnap.list': "
                + "Operation not supported"));
        assertEquals(Errno.ENODATA, Errno.fromReason("Error reading extended attribute 'x': No data available"));
        assertEquals(Errno.EDQUOT, Errno.fromReason("Error writing extended attribute 'fsnap.create': "
                + "Disk quota exceeded"));
        assertEquals(Errno.ERANGE, Errno.fromReason("Error reading extended attribute 'x': "
                + "Insufficient space in buffer"));
        assertEquals(Errno.OTHER, Errno.fromReason("Error reading extended attribute 'x': Keine Daten"));
        assertEquals(Errno.OTHER, Errno.fromReason(null));
    }

    @Test
    void mountTable() {
        Mounts m = Mounts.parse(String.join("\n",
                "/dev/vda / ext4 rw,relatime 0 0",
                "srv:/ /mnt/a\\040b nfs4 rw,vers=4.2,addr=10.0.2.2 0 0",
                "srv2:/x /mnt/a\\040b/deeper nfs rw,vers=3 0 0",
                "bad line",
                ""));
        Mounts.Mount a = m.find(Path.of("/mnt/a b/file")).orElseThrow();
        assertEquals(Path.of("/mnt/a b"), a.mountPoint());
        assertEquals(Optional.of("4.2"), a.option("vers"));
        assertEquals("srv2:/x", m.find(Path.of("/mnt/a b/deeper/f")).orElseThrow().device());
        assertEquals("ext4", m.find(Path.of("/mnt/other")).orElseThrow().type());
        assertEquals(Optional.empty(), Mounts.parse("").find(Path.of("/x")));
        assertEquals("a\\x", Mounts.unescape("a\\x"));
    }

    @Test
    void infoParsing() throws Exception {
        List<Snapshot> s = Snapshot.parseInfo("v1\t2026-11-22T19:00:00Z\t5\t\nv2\t2026-11-22T19:00:01.5Z\t7\tv1\n",
                "v2");
        assertEquals(List.of(
                new Snapshot("v1", Instant.parse("2026-11-22T19:00:00Z"), 5, Optional.empty(), false),
                new Snapshot("v2", Instant.parse("2026-11-22T19:00:01.5Z"), 7, Optional.of("v1"), true)), s);
        assertEquals(List.of(), Snapshot.parseInfo("", ""));
        assertEquals("unexpected fsnap.info line 1 from the server (expected 4 tab-separated fields, got 2): v1\\t5",
                assertThrows(CliException.class, () -> Snapshot.parseInfo("v1\t5\n", "")).getMessage());
        assertEquals("unexpected fsnap.info line 1 from the server (bad size 'x'): v1\\t2026-11-22T19:00:00Z\\tx\\t",
                assertThrows(CliException.class, () -> Snapshot.parseInfo("v1\t2026-11-22T19:00:00Z\tx\t", ""))
                        .getMessage());
    }

    @Test
    void sizes() {
        assertEquals("0", Render.humanSize(0));
        assertEquals("1023", Render.humanSize(1023));
        assertEquals("1K", Render.humanSize(1024));
        assertEquals("1.5K", Render.humanSize(1536));
        assertEquals("10M", Render.humanSize(10L << 20));
        assertEquals("2.3G", Render.humanSize(2_500_000_000L));
    }

    @Test
    void jsonStrings() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001é\"", Render.jsonString("a\"b\\c\n\u0001é"));
    }

    @Test
    void viewPath() {
        assertEquals(Path.of("/m/d/.fsnap/f.txt/v1"), SnapshotClient.viewPath(Path.of("/m/d/./f.txt"), "v1"));
    }
}
