package org.fsnap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link ViewXattrs} on a local directory, where user xattrs are only stored (no fsnap
 * server): the errno translation, the "not an fsnap export" check, and the read-only commands
 * over values put there by hand as an fsnap server would serve them.
 */
class ViewXattrsTest {
    @TempDir
    Path dir;
    Path file;
    final ViewXattrs xattrs = new ViewXattrs();

    @BeforeEach
    void needsUserXattrs() throws Exception {
        file = Files.writeString(dir.resolve("f.txt"), "hello");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        boolean works;
        try {
            view.write("probe", ByteBuffer.wrap(new byte[] {1}));
            view.delete("probe");
            works = true;
        } catch (Exception e) {
            works = false;
        }
        assumeTrue(works, "the temporary directory's filesystem has no user xattrs");
    }

    private void put(String name, String value) throws Exception {
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class)
                .write(name, StandardCharsets.UTF_8.encode(value));
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Fsnap.run(args, xattrs, Mounts.parse(""), new PrintWriter(out), new PrintWriter(err), true);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void readWriteRoundTrip() throws Exception {
        xattrs.write(file, "fsnap.test", "value".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("value".getBytes(StandardCharsets.UTF_8), xattrs.read(file, "fsnap.test"));
        xattrs.write(file, "fsnap.empty", new byte[0]);
        assertArrayEquals(new byte[0], xattrs.read(file, "fsnap.empty"));
        byte[] big = new byte[3000];
        java.util.Arrays.fill(big, (byte) 'x');
        xattrs.write(file, "fsnap.big", big);
        assertArrayEquals(big, xattrs.read(file, "fsnap.big"));
    }

    @Test
    void errnoOfRealFailures() {
        assertEquals(Errno.ENODATA, assertThrows(XattrException.class,
                () -> xattrs.read(file, "fsnap.list")).errno());
        assertEquals(Errno.ENOENT, assertThrows(XattrException.class,
                () -> xattrs.read(dir.resolve("missing"), "fsnap.list")).errno());
        Path proc = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(proc), "no /proc");
        assertEquals(Errno.ENOTSUP, assertThrows(XattrException.class,
                () -> xattrs.write(proc, "fsnap.create", new byte[0])).errno());
    }

    @Test
    void plainFilesystemIsNotAnFsnapExportAndNothingIsStored() throws Exception {
        String[] r = run("create", file.toString(), "v1");
        assertEquals("3", r[0]);
        assertEquals("fsnap: " + file + ": not on an fsnap export (the filesystem has user xattrs but no"
                + " fsnap.list)\n  mount the fsnap export with: mount -t nfs -o vers=4.2 SERVER:/ MOUNTPOINT\n",
                r[2]);
        assertEquals(List.of(), Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).list());
    }

    @Test
    void readCommandsOverStoredValues() throws Exception {
        put("fsnap.list", "v1\nv2\n");
        put("fsnap.current", "v2");
        put("fsnap.info", "v1\t2026-11-22T19:00:00Z\t5\t\nv2\t2026-11-22T20:00:00Z\t2048\tv1\n");
        String[] list = run("list", file.toString());
        assertEquals("0", list[0], list[2]);
        assertEquals(String.join("\n",
                "NAME  CREATED               SIZE  PARENT  CURRENT",
                "v1    2026-11-22T19:00:00Z     5  -",
                "v2    2026-11-22T20:00:00Z    2K  v1      *",
                ""), list[1]);
        assertEquals(String.join("\n", file.toString(),
                "`-- v1  2026-11-22T19:00:00Z",
                "    `-- v2  2026-11-22T20:00:00Z  (current)",
                ""), run("tree", "--ascii", file.toString())[1]);
        assertEquals(dir.toAbsolutePath() + "/.fsnap/f.txt/v2\n", run("show", file.toString(), "v2")[1]);
    }
}
