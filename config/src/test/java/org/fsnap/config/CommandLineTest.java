package org.fsnap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path dir;

    private ServerOptions run(String... args) throws ConfigException {
        return assertInstanceOf(CommandLine.Run.class, CommandLine.parse(List.of(args))).options();
    }

    private String error(String... args) {
        return assertThrows(ConfigException.class, () -> CommandLine.parse(List.of(args)))
                .getMessage();
    }

    @Test
    void defaultsListenOnAllAddressesWithRootSquash() throws Exception {
        ServerOptions o = run("--export", dir.toString());
        assertEquals(new ListenAddress("0.0.0.0", 2049), o.listen());
        assertTrue(o.rootSquash());
        assertEquals(dir.toAbsolutePath().normalize(), o.export());
    }

    @Test
    void readsEveryFlag() throws Exception {
        ServerOptions o = run("--export", dir.toString(), "--listen", "127.0.0.1:20490",
                "--no-root-squash", "--lease", "20", "--grace", "5");
        assertEquals(new ListenAddress("127.0.0.1", 20490), o.listen());
        assertFalse(o.rootSquash());
        assertEquals(20, o.leaseSeconds());
        assertEquals(5, o.graceSeconds());
    }

    @Test
    void ipv6ListenAddress() throws Exception {
        assertEquals(new ListenAddress("::1", 2049), ListenAddress.parse("[::1]:2049", "x"));
    }

    @Test
    void badInputIsNamed() throws Exception {
        assertEquals("--export DIR is required", error());
        assertEquals("unknown option '--bogus'", error("--bogus"));
        assertEquals("--export needs a value", error("--export"));
        assertEquals("--export: " + dir.resolve("missing") + " does not exist",
                error("--export", dir.resolve("missing").toString()));
        Path file = Files.createFile(dir.resolve("f"));
        assertEquals("--export: " + file + " is not a directory", error("--export", file.toString()));
        assertEquals("--listen must be HOST:PORT, got '2049'",
                error("--export", dir.toString(), "--listen", "2049"));
        assertEquals("--listen: port 70000 is out of range 0-65535",
                error("--export", dir.toString(), "--listen", "h:70000"));
        assertEquals("--lease must be a whole number of seconds from 1 to 3600, got 'x'",
                error("--export", dir.toString(), "--lease", "x"));
    }

    @Test
    void helpAndVersion() throws Exception {
        assertInstanceOf(CommandLine.Help.class, CommandLine.parse(List.of("--help")));
        assertInstanceOf(CommandLine.Version.class, CommandLine.parse(List.of("--version")));
    }
}
