package org.fsnap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fsnap.config.ExportOptions.Squash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports files: the typed model, client matching, and error messages word for word. */
class ExportsFileTest {
    @TempDir
    Path dir;

    /** Names: host1 = 10.0.0.1, ws7.lab.example.com = 10.0.0.7 (both ways). */
    static final HostResolver NAMES = new HostResolver() {
        @Override
        public List<InetAddress> addresses(String host) {
            return switch (host) {
                case "host1" -> List.of(ip("10.0.0.1"));
                case "ws7.lab.example.com" -> List.of(ip("10.0.0.7"));
                case "liar.lab.example.com" -> List.of(ip("10.9.9.9"));
                default -> List.of();
            };
        }

        @Override
        public Optional<String> name(InetAddress client) {
            return switch (client.getHostAddress()) {
                case "10.0.0.7" -> Optional.of("WS7.lab.example.com");
                case "10.0.0.8" -> Optional.of("liar.lab.example.com"); // does not resolve back
                default -> Optional.empty();
            };
        }
    };

    static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private ExportTable parse(String... lines) throws ConfigException {
        return ExportsFile.parse("exports", String.join("\n", lines) + "\n", NAMES, false);
    }

    private String error(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines)).getMessage();
    }

    private static ExportOptions opts(boolean ro, Squash squash, int uid, int gid) {
        return new ExportOptions(ro, squash, uid, gid, true);
    }

    @Test
    void severalExportsWithOptions() throws Exception {
        ExportTable t = parse(
                "# exports for fsnap",
                "/srv/vms   192.168.1.0/24(rw,no_root_squash,sync,no_subtree_check) *.lab.example.com(ro)",
                "/srv/public  -ro,all_squash  *  host1(rw,anonuid=1000,anongid=1001)",
                "\"/srv/with space\"  10.0.0.7(rw) \\",
                "      2001:db8::/32(rw,sec=sys,insecure)   # a comment",
                "/srv/oct\\040al/ 10.0.0.0/255.255.0.0(rw,root_squash,fsid=7)");
        assertEquals(List.of(Path.of("/srv/vms"), Path.of("/srv/public"), Path.of("/srv/with space"),
                Path.of("/srv/oct al")), t.exports().stream().map(ExportTable.Export::path).toList());
        assertEquals(List.of(2, 3, 4, 6), t.exports().stream().map(ExportTable.Export::line).toList());

        assertEquals(Optional.of(opts(false, Squash.NONE, 65534, 65534)),
                t.match(Path.of("/srv/vms"), ip("192.168.1.77")));
        assertEquals(Optional.of(opts(true, Squash.ROOT, 65534, 65534)),
                t.match(Path.of("/srv/vms"), ip("10.0.0.7")));
        assertEquals(Optional.empty(), t.match(Path.of("/srv/vms"), ip("10.0.0.1")));
        // default options '-ro,all_squash' under every client of the line
        assertEquals(Optional.of(opts(true, Squash.ALL, 65534, 65534)),
                t.match(Path.of("/srv/public"), ip("172.16.0.1")));
        assertEquals(Optional.of(opts(false, Squash.ALL, 1000, 1001)),
                t.match(Path.of("/srv/public"), ip("10.0.0.1")));
        assertEquals(Optional.of(new ExportOptions(false, Squash.ROOT, 65534, 65534, false)),
                t.match(Path.of("/srv/with space"), ip("2001:db8:1::5")));
        assertEquals(Optional.of(opts(false, Squash.ROOT, 65534, 65534)),
                t.match(Path.of("/srv/oct al"), ip("10.0.200.3")));
        assertEquals(Optional.empty(), t.match(Path.of("/srv/oct al"), ip("10.1.0.1")));
        assertEquals(Optional.empty(), t.match(Path.of("/srv/nowhere"), ip("10.0.0.1")));
    }

    @Test
    void matchListsEveryExportOfAClient() throws Exception {
        ExportTable t = parse("/a 10.0.0.0/8(rw)", "/b 10.0.0.1(ro)", "/c 192.168.0.0/16(rw)");
        assertEquals(Map.of(Path.of("/a"), opts(false, Squash.ROOT, 65534, 65534),
                Path.of("/b"), opts(true, Squash.ROOT, 65534, 65534)), t.match(ip("10.0.0.1")));
        assertEquals(Map.of(), t.match(ip("172.16.0.1")));
        assertEquals(Map.of(), t.match((InetAddress) null));
    }

    @Test
    void mostSpecificKindWinsThenFileOrder() throws Exception {
        ExportTable t = parse("/srv *(ro) *.lab.example.com(ro,all_squash) 10.0.0.0/8(rw) host1(rw,no_root_squash)"
                + " 10.0.0.0/16(ro,anonuid=5)");
        Path srv = Path.of("/srv");
        assertEquals(Squash.NONE, t.match(srv, ip("10.0.0.1")).orElseThrow().squash()); // host beats network
        assertEquals(opts(false, Squash.ROOT, 65534, 65534), t.match(srv, ip("10.0.0.2")).orElseThrow());
        // network beats wildcard: rw from 10.0.0.0/8, not all_squash from *.example.com
        assertEquals(opts(false, Squash.ROOT, 65534, 65534), t.match(srv, ip("10.0.0.7")).orElseThrow());
        assertEquals(opts(true, Squash.ROOT, 65534, 65534), t.match(srv, ip("8.8.8.8")).orElseThrow());
    }

    @Test
    void wildcardsNeedForwardConfirmedNames() throws Exception {
        ExportTable t = parse("/srv *.lab.example.com(rw) ws?.other(ro)");
        assertEquals(false, t.match(Path.of("/srv"), ip("10.0.0.7")).orElseThrow().readOnly());
        assertEquals(Optional.empty(), t.match(Path.of("/srv"), ip("10.0.0.8")));
        assertEquals(Optional.empty(), t.match(Path.of("/srv"), ip("10.0.0.9")));
    }

    @Test
    void ipv4MappedClientsMatchIpv4Patterns() throws Exception {
        ExportTable t = parse("/srv 127.0.0.1(rw)");
        InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff,
                (byte) 0xff, 127, 0, 0, 1});
        assertEquals(false, t.match(Path.of("/srv"), mapped).orElseThrow().readOnly());
    }

    @Test
    void defaultsAreKnfsds() throws Exception {
        ExportTable t = parse("/srv host1");
        assertEquals(Optional.of(ExportOptions.DEFAULTS), t.match(Path.of("/srv"), ip("10.0.0.1")));
        assertEquals("ro,root_squash,anonuid=65534,anongid=65534,secure,sec=sys", ExportOptions.DEFAULTS.toString());
    }

    @Test
    void squashing() {
        ExportOptions root = opts(false, Squash.ROOT, 99, 98);
        assertEquals(99, root.effectiveUid(0));
        assertEquals(1000, root.effectiveUid(1000));
        assertEquals(98, root.effectiveGid(0, 0));
        assertEquals(98, root.effectiveGid(1000, 0));
        assertEquals(100, root.effectiveGid(1000, 100));
        assertEquals(List.of(5, 98), java.util.Arrays.stream(root.effectiveGids(1000, new int[] {5, 0})).boxed().toList());
        assertEquals(0, root.effectiveGids(0, new int[] {5}).length);
        ExportOptions all = opts(false, Squash.ALL, 1000, 1001);
        assertEquals(1000, all.effectiveUid(4242));
        assertEquals(1001, all.effectiveGid(4242, 4242));
        ExportOptions none = opts(false, Squash.NONE, 1, 1);
        assertEquals(0, none.effectiveUid(0));
        assertEquals(0, none.effectiveGid(0, 0));
    }

    @Test
    void exportOfFindsTheDeepestExport() throws Exception {
        ExportTable t = parse("/srv *(ro)", "/srv/vms *(rw)");
        assertEquals(Path.of("/srv/vms"), t.exportOf(Path.of("/srv/vms/a/b.img")).orElseThrow().path());
        assertEquals(Path.of("/srv"), t.exportOf(Path.of("/srv/vmsx")).orElseThrow().path());
        assertEquals(Optional.empty(), t.exportOf(Path.of("/home")));
    }

    @Test
    void errorsNameFileAndLine() {
        assertEquals("exports:2: an export path must be absolute, got 'srv'", error("", "srv *(rw)"));
        assertEquals("exports:1: /srv has no clients: write e.g. '/srv *(ro)' or '/srv 192.168.1.0/24(rw)'",
                error("/srv"));
        assertEquals("exports:1: '(rw)' is not attached to a client: with a blank before '(' it would export to"
                + " everyone; write *(rw) or HOST(rw)", error("/srv host1 (rw)"));
        assertEquals("exports:1: missing ')' in 'host1(rw'", error("/srv host1(rw"));
        assertEquals("exports:1: unexpected text after ')' in 'host1(rw)x'", error("/srv host1(rw)x"));
        assertEquals("exports:1: unknown option 'rx' (did you mean 'ro'?)", error("/srv host1(rx)"));
        assertEquals("exports:1: unknown option 'no_root_sqash' (did you mean 'no_root_squash'?)",
                error("/srv host1(rw,no_root_sqash)"));
        assertEquals("exports:1: unknown option 'bogus=1'", error("/srv host1(bogus=1)"));
        assertEquals("exports:1: 'anonuid' needs a value, e.g. anonuid=1000", error("/srv host1(anonuid)"));
        assertEquals("exports:1: anongid must be a number from 0 to 2147483647, got 'staff'",
                error("/srv host1(anongid=staff)"));
        assertEquals("exports:1: 'rw' takes no value, got 'rw=1'", error("/srv host1(rw=1)"));
        assertEquals("exports:1: sec=krb5: only sec=sys (AUTH_SYS) is supported", error("/srv *(sec=krb5)"));
        assertEquals("exports:1: sec=sys:krb5p: only sec=sys (AUTH_SYS) is supported",
                error("/srv *(sec=sys:krb5p)"));
        assertEquals("exports:1: both 'ro' and 'rw' for host1", error("/srv host1(ro,rw)"));
        assertEquals("exports:1: an empty option in 'host1(rw,)'", error("/srv host1(rw,)"));
        assertEquals("exports:1: netgroups are not supported: '@trusted'", error("/srv @trusted(rw)"));
        assertEquals("exports:1: '10.0.0.0/33' is not a network: the prefix length must be 0 to 32",
                error("/srv 10.0.0.0/33(rw)"));
        assertEquals("exports:1: '10.0.0.0/255.0.255.0' is not a network: the netmask's bits must be contiguous",
                error("/srv 10.0.0.0/255.0.255.0(rw)"));
        assertEquals("exports:1: '10.0.0.0/abc' is not a network: expected ADDRESS/LENGTH or ADDRESS/NETMASK",
                error("/srv 10.0.0.0/abc(rw)"));
        assertEquals("exports:1: '300.1.1.1' is not a valid address", error("/srv 300.1.1.1(rw)"));
        assertEquals("exports:1: 'bad_host!' is not a client: expected an address, a network (10.0.0.0/8),"
                + " a host name, a wildcard (*.example.com) or *", error("/srv bad_host!(rw)"));
        assertEquals("exports:3: /srv is exported twice (first on line 1)", error("/srv *(ro)", "", "/srv/ *(rw)"));
        assertEquals("exports:1: default options ('-rw') must come right after the path",
                error("/srv host1 -rw"));
        assertEquals("exports:1: a double quote is not closed", error("\"/srv *(rw)"));
        assertEquals("exports: no exports (lines like '/srv/data 192.168.1.0/24(rw)')", error("# nothing"));
    }

    @Test
    void pathsMustBeDirectories() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path exports = Files.writeString(dir.resolve("exports"), String.join("\n",
                dir + " *(rw)", dir.resolve("missing") + " *(rw)", ""));
        assertEquals(exports + ":2: " + dir.resolve("missing") + " does not exist",
                assertThrows(ConfigException.class, () -> ExportsFile.read(exports, NAMES)).getMessage());
        Files.writeString(exports, file + " *(rw)\n");
        assertEquals(exports + ":1: " + file + " is not a directory",
                assertThrows(ConfigException.class, () -> ExportsFile.read(exports, NAMES)).getMessage());
        Files.writeString(exports, dir + " *(rw)\n");
        assertEquals(List.of(dir), ExportsFile.read(exports, NAMES).exports().stream()
                .map(ExportTable.Export::path).toList());
        assertEquals(dir.resolve("none") + ": cannot read: no such file", assertThrows(ConfigException.class,
                () -> ExportsFile.read(dir.resolve("none"), NAMES)).getMessage());
    }

    @Test
    void errorsInARealFileNameItsPathAndLine() throws Exception {
        Path exports = dir.resolve("exports");
        String[][] cases = {
            {dir + " 10.0.0.0/8(rw,no_subtree_check,rootsquash)",
                ":2: unknown option 'rootsquash' (did you mean 'root_squash'?)"},
            {dir + " 10.0.0.0/8(rw,anonuid=-5)", ":2: anonuid must be a number from 0 to 2147483647, got '-5'"},
            {dir + " 10.0.0.0/8(rw,anonuid=nobody)",
                ":2: anonuid must be a number from 0 to 2147483647, got 'nobody'"},
            {dir + " 10.0.0.0/8x(rw)", ":2: '10.0.0.0/8x' is not a network: expected ADDRESS/LENGTH or ADDRESS/NETMASK"},
            {dir + " 10.0.0.300/24(rw)", ":2: '10.0.0.300/24' is not a valid address"},
            {dir + " 2001:db8::/129(rw)", ":2: '2001:db8::/129' is not a network: the prefix length must be 0 to 128"},
            {"srv/data *(rw)", ":2: an export path must be absolute, got 'srv/data'"},
            {dir + " *(rw,sec=krb5p)", ":2: sec=krb5p: only sec=sys (AUTH_SYS) is supported"},
        };
        for (String[] c : cases) {
            Files.writeString(exports, "# fsnap exports\n" + c[0] + "\n");
            assertEquals(exports + c[1], assertThrows(ConfigException.class,
                    () -> ExportsFile.read(exports, NAMES)).getMessage(), c[0]);
        }
    }

    @Test
    void theExampleParses() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path example = (Files.exists(here.resolve("config")) ? here.resolve("config") : here)
                .resolve("exports.example");
        ExportTable t = ExportsFile.parse("exports.example", Files.readString(example), NAMES, false);
        assertEquals(List.of(Path.of("/srv/vms"), Path.of("/srv/public")),
                t.exports().stream().map(ExportTable.Export::path).toList());
        assertEquals(Optional.of(opts(true, Squash.ALL, 65534, 65534)),
                t.match(Path.of("/srv/public"), ip("203.0.113.9")));
    }
}
