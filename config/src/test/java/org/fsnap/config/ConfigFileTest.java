package org.fsnap.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: every setting, and the messages for bad files word for word. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private FileSettings parse(String... lines) throws ConfigException {
        return ConfigFile.parse("fsnap.conf", String.join("\n", lines) + "\n", dir, dir.resolve("fsnap.conf"));
    }

    private String error(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void emptyFileSetsNothing() throws Exception {
        FileSettings f = parse("# nothing", "", "   ");
        assertEquals(Optional.empty(), f.listen());
        assertEquals(Optional.empty(), f.export());
        assertEquals(OptionalInt.empty(), f.leaseSeconds());
        assertEquals(List.of(), f.schedules());
        assertEquals(Optional.empty(), f.cluster());
    }

    @Test
    void everySetting() throws Exception {
        Path exports = Files.writeString(dir.resolve("exports"), "/srv *(rw)\n");
        FileSettings f = parse(
                "listen = 127.0.0.1:20490   # a comment",
                "exports = exports",
                "[nfs]",
                "lease = 30",
                "grace = 5",
                "root_squash = no",
                "anonuid = 1000",
                "anongid = 1001",
                "[snapshots]",
                "max_per_file = 50",
                "[log]",
                "level = DEBUG",
                "audit = off",
                "[metrics]",
                "listen = [::1]:9102",
                "[cluster]",
                "name = fsnap-test",
                "bind = 10.0.0.1:5701",
                "members = 10.0.0.1:5701, 10.0.0.2:5701 10.0.0.3:5702",
                "[schedule hourly]",
                "match = *.qcow2 vm/**/*.img",
                "every = 1h",
                "keep.hourly = 24",
                "keep.daily = 7",
                "[schedule.weekly]",
                "match = \"*.db\"",
                "export = /srv/db",
                "every = 1w",
                "keep.last = 2",
                "keep.weekly = 4",
                "keep.monthly = 12");
        assertEquals(Optional.of(new ListenAddress("127.0.0.1", 20490)), f.listen());
        assertEquals(Optional.of(exports), f.exportsFile());
        assertEquals(OptionalInt.of(30), f.leaseSeconds());
        assertEquals(OptionalInt.of(5), f.graceSeconds());
        assertEquals(Optional.of(false), f.rootSquash());
        assertEquals(OptionalInt.of(1000), f.anonUid());
        assertEquals(OptionalInt.of(1001), f.anonGid());
        assertEquals(OptionalInt.of(50), f.maxSnapshotsPerFile());
        assertEquals(Optional.of("debug"), f.logLevel());
        assertEquals(Optional.of(false), f.audit());
        assertEquals(Optional.of(new ListenAddress("::1", 9102)), f.metricsListen());
        assertEquals(Optional.of(new ClusterSettings("fsnap-test", new ListenAddress("10.0.0.1", 5701),
                List.of(new ListenAddress("10.0.0.1", 5701), new ListenAddress("10.0.0.2", 5701),
                        new ListenAddress("10.0.0.3", 5702)))), f.cluster());
        assertEquals(List.of(
                new Schedule("hourly", List.of("*.qcow2", "vm/**/*.img"), Optional.empty(), Duration.ofHours(1),
                        new Retention(0, 24, 7, 0, 0), 20),
                new Schedule("weekly", List.of("*.db"), Optional.of(Path.of("/srv/db")), Duration.ofDays(7),
                        new Retention(2, 0, 0, 4, 12), 25)), f.schedules());
    }

    @Test
    void dottedKeysAtTheTopEqualSections() throws Exception {
        FileSettings f = parse("nfs.lease = 20", "schedule.s1.match = *", "schedule.s1.every = 15m",
                "schedule.s1.keep.last = 4");
        assertEquals(OptionalInt.of(20), f.leaseSeconds());
        assertEquals(Duration.ofMinutes(15), f.schedules().get(0).every());
        assertEquals(2, f.schedules().get(0).line());
    }

    @Test
    void quotedValuesKeepHashAndSpaces() throws Exception {
        FileSettings f = parse("[schedule s]", "match = \"a#b  *.img \"   # globs", "every = 1d", "keep.last = 1");
        assertEquals(List.of("a#b", "*.img"), f.schedules().get(0).match());
    }

    @Test
    void unknownKeysSuggest() {
        assertEquals("fsnap.conf:12: unknown key 'lisen' (did you mean 'listen'?)",
                error("", "", "", "", "", "", "", "", "", "", "", "lisen = 0.0.0.0:2049"));
        assertEquals("fsnap.conf:2: unknown key 'nfs.lese' (did you mean 'nfs.lease'?)",
                error("[nfs]", "lese = 90"));
        assertEquals("fsnap.conf:3: unknown key 'schedule.h.evry' (did you mean 'schedule.h.every'?)",
                error("[schedule h]", "match = *", "evry = 1h"));
        assertEquals("fsnap.conf:1: unknown key 'colour'", error("colour = blue"));
        assertEquals("fsnap.conf:2: unknown key 'log.listen'", error("[log]", "listen = 1.2.3.4:5"));
    }

    @Test
    void badValues() {
        assertEquals("fsnap.conf:2: 'nfs.lease' must be a whole number of seconds from 1 to 3600, got 'ninety'",
                error("[nfs]", "lease = ninety"));
        assertEquals("fsnap.conf:1: 'nfs.grace' must be a whole number of seconds from 1 to 3600, got '0'",
                error("nfs.grace = 0"));
        assertEquals("fsnap.conf:1: 'listen' must be HOST:PORT, got '2049'", error("listen = 2049"));
        assertEquals("fsnap.conf:2: 'metrics.listen': port 99999 is out of range 0-65535",
                error("[metrics]", "listen = 127.0.0.1:99999"));
        assertEquals("fsnap.conf:1: 'log.level' must be one of error, warn, info, debug, trace, got 'verbose'",
                error("log.level = verbose"));
        assertEquals("fsnap.conf:1: 'log.audit' must be yes or no (or true/false, on/off), got 'maybe'",
                error("log.audit = maybe"));
        assertEquals("fsnap.conf:1: 'snapshots.max_per_file' must be a whole number from 1 to 1000000, got '-1'",
                error("snapshots.max_per_file = -1"));
        assertEquals("fsnap.conf:1: 'export' must be an absolute path, got 'srv'", error("export = srv"));
        assertEquals("fsnap.conf:1: 'export': " + dir.resolve("nope") + " does not exist",
                error("export = " + dir.resolve("nope")));
        assertEquals("fsnap.conf:1: 'exports': cannot read " + dir.resolve("missing-exports"),
                error("exports = missing-exports"));
        assertEquals("fsnap.conf:2: 'export' and 'exports' cannot both be set: one directory, or an exports file",
                error("export = " + dir, "exports = /etc/exports"));
    }

    @Test
    void badSchedules() {
        assertEquals("fsnap.conf:3: 'schedule.h.every' must be a duration from 1m to 366d such as 15m, 1h, 1d"
                + " or 1w, got 'hourly'", error("[schedule h]", "match = *", "every = hourly", "keep.last = 1"));
        assertEquals("fsnap.conf:3: 'schedule.h.every' must be a duration from 1m to 366d such as 15m, 1h, 1d"
                + " or 1w, got '30s'", error("[schedule h]", "match = *", "every = 30s", "keep.last = 1"));
        assertEquals("fsnap.conf:1: [schedule h] needs 'match' (file globs, e.g. match = *.qcow2)",
                error("[schedule h]", "every = 1h", "keep.last = 1"));
        assertEquals("fsnap.conf:1: [schedule h] needs 'every' (e.g. every = 1h)",
                error("[schedule h]", "match = *", "keep.last = 1"));
        assertEquals("fsnap.conf:1: [schedule h] keeps nothing: set keep.last, keep.hourly, keep.daily,"
                + " keep.weekly or keep.monthly", error("[schedule h]", "match = *", "every = 1h"));
        assertEquals("fsnap.conf:2: [schedule h] may keep 31 snapshots of a file, more than"
                + " snapshots.max_per_file (30)", error("snapshots.max_per_file = 30", "[schedule h]",
                "match = *", "every = 1h", "keep.hourly = 24", "keep.daily = 7"));
        assertEquals("fsnap.conf:2: 'schedule.h.match': bad glob '[a': Missing ']",
                error("[schedule h]", "match = [a", "every = 1h", "keep.last = 1"));
        assertEquals("fsnap.conf:2: 'schedule.h.match': '/srv/*.img' must be relative to the export"
                + " (no leading '/')", error("[schedule h]", "match = /srv/*.img", "every = 1h", "keep.last = 1"));
        assertEquals("fsnap.conf:4: 'schedule.h.keep.daily' must be a whole number from 0 to 100000, got 'x'",
                error("[schedule h]", "match = *", "every = 1h", "keep.daily = x"));
        assertEquals("fsnap.conf:1: [schedule] needs a name, e.g. [schedule hourly]", error("[schedule]"));
        assertEquals("fsnap.conf:1: schedule name 'a/b' must be 1 to 32 letters, digits, '_' or '-', starting"
                + " with a letter or digit", error("[schedule a/b]"));
        assertEquals("fsnap.conf:3: [schedule h] appears twice (first on line 1)",
                error("[schedule h]", "match = *", "[schedule h]"));
    }

    @Test
    void badCluster() {
        assertEquals("fsnap", assertDoesNotThrow(() -> parse("[cluster]", "bind = 10.0.0.1:5701"))
                .cluster().orElseThrow().name());
        assertEquals("fsnap.conf:2: the cluster settings need 'cluster.bind' (HOST:PORT this node listens on)",
                error("[cluster]", "name = c", "members = a:1"));
        assertEquals("fsnap.conf:2: 'cluster.name' must be 1 to 64 letters, digits, '.', '_' or '-', starting"
                + " with a letter or digit, got 'my cluster'", error("[cluster]", "name = my cluster",
                "bind = 10.0.0.1:5701"));
        assertEquals("fsnap.conf:4: 'cluster.members' must be HOST:PORT, got '10.0.0.2'",
                error("[cluster]", "name = c", "bind = 10.0.0.1:5701", "members = 10.0.0.1:5701, 10.0.0.2"));
    }

    @Test
    void badSyntax() {
        assertEquals("fsnap.conf:1: expected 'key = value' or '[section]', got 'listen 0.0.0.0:2049'",
                error("listen 0.0.0.0:2049"));
        assertEquals("fsnap.conf:1: a key is missing before '='", error(" = 3"));
        assertEquals("fsnap.conf:1: 'a key' is not a key (letters, digits, '_', '-' and '.')", error("a key = 3"));
        assertEquals("fsnap.conf:1: unknown section [nsf] (did you mean [nfs]?)", error("[nsf]"));
        assertEquals("fsnap.conf:1: unknown section [server]", error("[server]"));
        assertEquals("fsnap.conf:1: a section header must be '[name]', got '[nfs'", error("[nfs"));
        assertEquals("fsnap.conf:3: 'nfs.lease' is set twice (first on line 1)",
                error("nfs.lease = 1", "[nfs]", "lease = 2"));
        assertEquals("fsnap.conf:1: a double quote is not closed", error("listen = \"1.2.3.4:5"));
        assertEquals("fsnap.conf:1: a quoted value must be one \"...\" with nothing after it",
                error("listen = \"1.2.3.4:5\" x"));
    }

    @Test
    void unreadableFile() {
        Path missing = dir.resolve("none.conf");
        assertEquals(missing + ": cannot read: no such file",
                assertThrows(ConfigException.class, () -> ConfigFile.read(missing)).getMessage());
    }

    @Test
    void theExampleParsesAndDocumentsEveryKey() throws Exception {
        Path example = ItRoot.repo().resolve("config/fsnap.conf.example");
        FileSettings f = ConfigFile.read(example);
        assertEquals(1, f.schedules().size());
        assertEquals(Optional.of(new ListenAddress("0.0.0.0", 2049)), f.listen());
        String text = Files.readString(example);
        for (String key : ConfigFile.allKeys()) {
            String last = key.substring(key.lastIndexOf('.') + 1);
            String leaf = key.startsWith("schedule.") ? key.substring("schedule.NAME.".length()) : last;
            assertTrue(text.contains("\n" + leaf + " = ") || text.contains("\n#" + leaf + " = "),
                    "the example documents " + key);
        }
    }

    @Test
    void commandLineWinsOverTheFile() throws Exception {
        Path export = Files.createDirectories(dir.resolve("export"));
        Path conf = Files.writeString(dir.resolve("fsnap.conf"), String.join("\n",
                "listen = 127.0.0.1:3049",
                "export = " + export,
                "[nfs]",
                "lease = 30",
                "grace = 7",
                "root_squash = yes",
                "anonuid = 99",
                "[snapshots]",
                "max_per_file = 10",
                "[log]",
                "level = warn",
                "[schedule h]",
                "match = *",
                "every = 1h",
                "keep.hourly = 3",
                ""));
        ServerOptions fromFile = run("--config", conf.toString());
        assertEquals(new ListenAddress("127.0.0.1", 3049), fromFile.listen());
        assertEquals(export, fromFile.export());
        assertEquals(30, fromFile.leaseSeconds());
        assertEquals(7, fromFile.graceSeconds());
        assertTrue(fromFile.rootSquash());
        assertEquals(99, fromFile.anonUid());
        assertEquals(ServerOptions.NOBODY, fromFile.anonGid());
        assertEquals(10, fromFile.maxSnapshotsPerFile());
        assertEquals("warn", fromFile.logLevel());
        assertTrue(fromFile.audit());
        assertEquals(conf, fromFile.configFile());
        assertEquals(1, fromFile.schedules().size());

        Path other = Files.createDirectories(dir.resolve("other"));
        ServerOptions flags = run("--config", conf.toString(), "--export", other.toString(),
                "--listen", "0.0.0.0:4049", "--lease", "60", "--no-root-squash");
        assertEquals(new ListenAddress("0.0.0.0", 4049), flags.listen());
        assertEquals(other, flags.export());
        assertEquals(60, flags.leaseSeconds());
        assertEquals(7, flags.graceSeconds());
        assertFalse(flags.rootSquash());
    }

    @Test
    void commandLineReportsTheFilesErrors() throws Exception {
        Path conf = Files.writeString(dir.resolve("fsnap.conf"), "\n[nfs]\nlese = 3\n");
        assertEquals(conf + ":3: unknown key 'nfs.lese' (did you mean 'nfs.lease'?)",
                assertThrows(ConfigException.class, () -> CommandLine.parse(List.of("--export", dir.toString(),
                        "--config", conf.toString()))).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.conf"), "");
        assertEquals("--export DIR is required (or 'export = DIR' in " + empty + ")",
                assertThrows(ConfigException.class, () -> CommandLine.parse(List.of("--config", empty.toString())))
                        .getMessage());
    }

    @Test
    void exportsFileFromFlagOrConfig() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path one = Files.writeString(dir.resolve("one"), a + " 127.0.0.1(rw,all_squash,anonuid=1000)\n");
        Path two = Files.writeString(dir.resolve("two"), a + " *(ro)\n" + b + " 10.0.0.0/8(rw)\n");
        ServerOptions single = assertInstanceOf(CommandLine.Run.class,
                CommandLine.parse(List.of("--exports", one.toString()), true)).options();
        assertEquals(a, single.export());
        assertEquals(one, single.exportsFile());
        assertEquals(ExportOptions.Squash.ALL, single.exportTable()
                .match(a, java.net.InetAddress.getLoopbackAddress()).orElseThrow().squash());
        Path conf = Files.writeString(dir.resolve("fsnap.conf"), "exports = two\n");
        ServerOptions several = assertInstanceOf(CommandLine.Run.class,
                CommandLine.parse(List.of("--config", conf.toString()), true)).options();
        assertEquals(null, several.export());
        assertEquals(2, several.exportTable().exports().size());
        // --export on the command line wins over the file's exports
        assertEquals(b, run("--config", conf.toString(), "--export", b.toString()).export());
        assertEquals(null, run("--config", conf.toString(), "--export", b.toString()).exportTable());
    }

    @Test
    void exportsFileErrors() throws Exception {
        Path bad = Files.writeString(dir.resolve("exports"), "/srv host1 (rw)\n");
        assertEquals(bad + ":1: '(rw)' is not attached to a client: with a blank before '(' it would export"
                + " to everyone; write *(rw) or HOST(rw)", assertThrows(ConfigException.class,
                () -> CommandLine.parse(List.of("--exports", bad.toString()), true)).getMessage());
        assertEquals("exports file " + bad + ": this fsnapd does not apply exports files yet (client patterns,"
                + " ro, squashing); serve one directory with --export DIR", assertThrows(ConfigException.class,
                () -> CommandLine.parse(List.of("--exports", bad.toString()))).getMessage());
        assertEquals("--export and --exports cannot both be given", assertThrows(ConfigException.class,
                () -> CommandLine.parse(List.of("--exports", bad.toString(), "--export", dir.toString()), true))
                .getMessage());
    }

    private static ServerOptions run(String... args) throws ConfigException {
        return assertInstanceOf(CommandLine.Run.class, CommandLine.parse(List.of(args))).options();
    }

    /** The repository root, from the test's working directory (the module). */
    static final class ItRoot {
        static Path repo() {
            Path here = Path.of("").toAbsolutePath();
            return Files.exists(here.resolve("config/fsnap.conf.example")) ? here : here.getParent();
        }
    }
}
