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

    @Test
    void clusterFlags() throws Exception {
        assertTrue(run("--export", dir.toString()).cluster().isEmpty());
        ServerOptions o = run("--export", dir.toString(), "--cluster-bind", "127.0.0.1:5701",
                "--cluster-members", "127.0.0.1:5701, 127.0.0.1:5702,127.0.0.1:5703", "--cluster-name", "lab-1");
        ClusterSettings c = o.cluster().orElseThrow();
        assertEquals("lab-1", c.name());
        assertEquals(new ListenAddress("127.0.0.1", 5701), c.bind());
        assertEquals(List.of(new ListenAddress("127.0.0.1", 5701), new ListenAddress("127.0.0.1", 5702),
                new ListenAddress("127.0.0.1", 5703)), c.members());
        ClusterSettings alone = run("--export", dir.toString(), "--cluster-bind", "10.0.0.1:5701").cluster()
                .orElseThrow();
        assertEquals(CommandLine.DEFAULT_CLUSTER_NAME, alone.name());
        assertEquals(List.of(), alone.members());
        assertTrue(error("--export", dir.toString(), "--cluster-members", "a:1").contains("--cluster-bind"));
        assertTrue(error("--export", dir.toString(), "--cluster-bind", "a:1", "--cluster-name", "-x")
                .contains("--cluster-name"));
        assertTrue(error("--export", dir.toString(), "--cluster-bind", "a").contains("--cluster-bind"));
        assertTrue(error("--export", dir.toString(), "--cluster-bind", "a:0").contains("fixed port"));
    }

    @Test
    void clusterFlagsWinOverTheConfigFile() throws Exception {
        Path conf = dir.resolve("fsnap.conf");
        Files.writeString(conf, "export = " + dir + "\n[cluster]\nname = filecluster\nbind = 127.0.0.1:6000\n"
                + "members = 127.0.0.1:6000,127.0.0.1:6001\n");
        ClusterSettings fromFile = run("--config", conf.toString()).cluster().orElseThrow();
        assertEquals("filecluster", fromFile.name());
        ClusterSettings mixed = run("--config", conf.toString(), "--cluster-bind", "127.0.0.1:6001").cluster()
                .orElseThrow();
        assertEquals("filecluster", mixed.name());
        assertEquals(new ListenAddress("127.0.0.1", 6001), mixed.bind());
        assertEquals(2, mixed.members().size());
    }
}
