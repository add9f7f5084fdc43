package org.fsnap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports files fsnapd cannot serve: one message naming the file and line, exit status 2. */
class ServedExportsTest {
    @TempDir
    Path dir;

    private String refused(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Fsnapd.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Fsnapd.EXIT_USAGE, status);
        return err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }

    @Test
    void nestedExportsAreRefused() throws Exception {
        Path outer = Files.createDirectories(dir.resolve("srv"));
        Path inner = Files.createDirectories(outer.resolve("vms"));
        Path exports = Files.writeString(dir.resolve("exports"), outer + " *(rw)\n# vms\n" + inner + " *(ro)\n");
        assertEquals("fsnapd: " + exports + ":3: " + inner + " is inside " + outer
                + " (line 1): nested exports are not supported; export directories side by side",
                refused("--exports", exports.toString(), "--listen", "127.0.0.1:0"));
        assertTrue(Files.notExists(outer.resolve(".fsnap-store")), "nothing opened");
    }

    @Test
    void aClusterServesOneExport() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path exports = Files.writeString(dir.resolve("exports"), a + " *(rw)\n" + b + " *(rw)\n");
        assertEquals("fsnapd: " + exports + ": 2 exports, but a snapshot cluster (--cluster-* or [cluster]) serves"
                + " exactly one export; list one directory in the exports file",
                refused("--exports", exports.toString(), "--listen", "127.0.0.1:0", "--cluster-bind",
                        "127.0.0.1:5799"));
    }

    @Test
    void exportsFileErrorsNameTheLine() throws Exception {
        Path exports = Files.writeString(dir.resolve("exports"), dir + " 10.0.0.0/8(rw,anonuid=x)\n");
        assertEquals("fsnapd: " + exports + ":1: anonuid must be a number from 0 to 2147483647, got 'x'",
                refused("--exports", exports.toString()));
    }
}
