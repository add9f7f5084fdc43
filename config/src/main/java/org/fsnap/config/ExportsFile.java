package org.fsnap.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an exports file in the syntax of Linux's {@code /etc/exports} (exports(5)):
 *
 * <pre>
 *   # comment
 *   /srv/vms     192.168.1.0/24(rw,no_root_squash) *.lab.example.com(ro)
 *   /srv/public  -ro,all_squash  *  trusted(rw)          default options after a '-'
 *   "/srv/with space"  10.0.0.7(rw,anonuid=1000,anongid=1000) \
 *                      10.0.0.8(rw)                      a '\' continues the line
 * </pre>
 *
 * Clients: an address, a network ({@code 10.0.0.0/8} or {@code 10.0.0.0/255.0.0.0}, IPv6 too),
 * a host name, a wildcard name ({@code *.example.com}, {@code host?}), or {@code *}. Options:
 * {@code ro}/{@code rw}, {@code root_squash}/{@code no_root_squash}, {@code all_squash}/{@code
 * no_all_squash}, {@code anonuid=N}, {@code anongid=N}, {@code sec=sys}, {@code secure}/{@code
 * insecure}; knfsd's {@code sync}, {@code async}, {@code no_subtree_check}, {@code fsid=},
 * {@code crossmnt} ... are accepted and change nothing. Defaults as knfsd: ro, root_squash,
 * anonuid=anongid=65534, secure. Every mistake is one {@link ConfigException}, {@code FILE:LINE: what}.
 */
public final class ExportsFile {
    static final Set<String> FLAGS = Set.of("ro", "rw", "root_squash", "no_root_squash", "all_squash",
            "no_all_squash", "secure", "insecure");
    static final Set<String> VALUED = Set.of("anonuid", "anongid", "sec");
    /** Accepted for compatibility with knfsd exports; no effect on fsnapd. */
    static final Set<String> IGNORED = Set.of("sync", "async", "subtree_check", "no_subtree_check", "wdelay",
            "no_wdelay", "hide", "nohide", "crossmnt", "secure_locks", "insecure_locks", "auth_nlm",
            "no_auth_nlm", "acl", "no_acl", "pnfs", "no_pnfs");
    static final Set<String> IGNORED_VALUED = Set.of("fsid", "mountpoint", "mp", "refer", "replicas");

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern WILDCARD = Pattern.compile("[A-Za-z0-9.*?-]+");

    private final String fileName;
    private final boolean checkPaths;

    private ExportsFile(String fileName, boolean checkPaths) {
        this.fileName = fileName;
        this.checkPaths = checkPaths;
    }

    /** Reads {@code file}; every exported directory must exist. */
    public static ExportTable read(Path file, HostResolver resolver) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        return parse(file.toString(), text, resolver, true);
    }

    /**
     * Parses exports text.
     *
     * @param checkPaths whether every exported path must be an existing directory
     */
    public static ExportTable parse(String fileName, String text, HostResolver resolver, boolean checkPaths)
            throws ConfigException {
        return new ExportTable(fileName, new ExportsFile(fileName, checkPaths).exports(text), resolver);
    }

    // ------------------------------------------------------------------------------ lines

    private List<ExportTable.Export> exports(String text) throws ConfigException {
        List<ExportTable.Export> result = new ArrayList<>();
        Map<Path, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i + 1;
            StringBuilder logical = new StringBuilder();
            String line = stripComment(lines[i], first);
            while (line.endsWith("\\") && i + 1 < lines.length) {
                logical.append(line, 0, line.length() - 1).append(' ');
                line = stripComment(lines[++i], i + 1);
            }
            logical.append(line);
            if (logical.toString().isBlank()) {
                continue;
            }
            ExportTable.Export e = export(logical.toString().strip(), first);
            Integer before = seen.putIfAbsent(e.path(), first);
            if (before != null) {
                throw error(first, e.path() + " is exported twice (first on line " + before + ")");
            }
            result.add(e);
        }
        if (result.isEmpty()) {
            throw new ConfigException(fileName + ": no exports (lines like '/srv/data 192.168.1.0/24(rw)')");
        }
        return result;
    }

    private String stripComment(String line, int no) throws ConfigException {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i).stripTrailing();
            }
        }
        if (quoted) {
            throw error(no, "a double quote is not closed");
        }
        return line.stripTrailing();
    }

    private ExportTable.Export export(String line, int no) throws ConfigException {
        // The path: quoted, or up to the first blank; \ooo octal escapes as exportfs.
        String rawPath;
        String rest;
        if (line.startsWith("\"")) {
            int end = line.indexOf('"', 1);
            rawPath = line.substring(1, end);
            rest = line.substring(end + 1);
            if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
                throw error(no, "expected a blank after the quoted path");
            }
        } else {
            int blank = indexOfBlank(line);
            rawPath = blank < 0 ? line : line.substring(0, blank);
            rest = blank < 0 ? "" : line.substring(blank);
        }
        Path path = path(unescape(rawPath), no);
        List<String> tokens = new ArrayList<>();
        for (String t : rest.strip().split("\\s+")) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        Options defaults = new Options();
        List<ExportTable.Rule> rules = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
            String token = tokens.get(t);
            if (token.startsWith("-")) {
                if (t != 0) {
                    throw error(no, "default options ('" + token + "') must come right after the path");
                }
                defaults = options(token.substring(1), new Options(), token, no);
                continue;
            }
            if (token.startsWith("(")) {
                throw error(no, "'" + token + "' is not attached to a client: with a blank before '(' it would"
                        + " export to everyone; write " + "*" + token + " or HOST" + token);
            }
            int open = token.indexOf('(');
            String client = open < 0 ? token : token.substring(0, open);
            Options o = defaults.copy();
            if (open >= 0) {
                int close = token.indexOf(')', open);
                if (close < 0) {
                    throw error(no, "missing ')' in '" + token + "'");
                }
                if (close != token.length() - 1) {
                    throw error(no, "unexpected text after ')' in '" + token + "'");
                }
                o = options(token.substring(open + 1, close), o, client, no);
            }
            rules.add(new ExportTable.Rule(client(client, no), o.build()));
        }
        if (rules.isEmpty()) {
            throw error(no, path + " has no clients: write e.g. '" + path + " *(ro)' or '" + path
                    + " 192.168.1.0/24(rw)'");
        }
        return new ExportTable.Export(path, rules, no);
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private Path path(String raw, int no) throws ConfigException {
        if (!raw.startsWith("/")) {
            throw error(no, "an export path must be absolute, got '" + raw + "'");
        }
        Path p = Path.of(raw).normalize();
        if (checkPaths) {
            if (!Files.exists(p)) {
                throw error(no, p + " does not exist");
            }
            if (!Files.isDirectory(p)) {
                throw error(no, p + " is not a directory");
            }
        }
        return p;
    }

    /** exportfs's octal escapes ({@code \040} for a space). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------ options

    /** The options being built for one client entry; all_squash and root_squash are separate flags. */
    private static final class Options {
        Boolean readOnly;
        boolean rootSquash = true;
        boolean allSquash;
        int anonUid = ExportOptions.NOBODY;
        int anonGid = ExportOptions.NOBODY;
        boolean secure = true;

        Options copy() {
            Options o = new Options();
            o.readOnly = readOnly;
            o.rootSquash = rootSquash;
            o.allSquash = allSquash;
            o.anonUid = anonUid;
            o.anonGid = anonGid;
            o.secure = secure;
            return o;
        }

        ExportOptions build() {
            return new ExportOptions(readOnly == null || readOnly,
                    allSquash ? ExportOptions.Squash.ALL
                            : rootSquash ? ExportOptions.Squash.ROOT : ExportOptions.Squash.NONE,
                    anonUid, anonGid, secure);
        }
    }

    private Options options(String list, Options base, String owner, int no) throws ConfigException {
        Options o = base;
        Boolean accessHere = null;
        for (String raw : list.split(",", -1)) {
            String opt = raw.strip();
            if (opt.isEmpty()) {
                throw error(no, "an empty option in '" + owner + "(" + list + ")'");
            }
            int eq = opt.indexOf('=');
            String name = eq < 0 ? opt : opt.substring(0, eq);
            String value = eq < 0 ? null : opt.substring(eq + 1);
            if (eq < 0 && VALUED.contains(name)) {
                throw error(no, "'" + name + "' needs a value, e.g. " + name + "="
                        + (name.equals("sec") ? "sys" : "1000"));
            }
            if (eq >= 0 && FLAGS.contains(name)) {
                throw error(no, "'" + name + "' takes no value, got '" + opt + "'");
            }
            switch (name) {
                case "ro", "rw" -> {
                    boolean ro = name.equals("ro");
                    if (accessHere != null && accessHere != ro) {
                        throw error(no, "both 'ro' and 'rw' for " + owner);
                    }
                    accessHere = ro;
                    o.readOnly = ro;
                }
                case "root_squash" -> o.rootSquash = true;
                case "no_root_squash" -> o.rootSquash = false;
                case "all_squash" -> o.allSquash = true;
                case "no_all_squash" -> o.allSquash = false;
                case "secure" -> o.secure = true;
                case "insecure" -> o.secure = false;
                case "anonuid" -> o.anonUid = id(name, value, no);
                case "anongid" -> o.anonGid = id(name, value, no);
                case "sec" -> {
                    for (String flavor : value.split(":")) {
                        if (!flavor.equals("sys")) {
                            throw error(no, "sec=" + value + ": only sec=sys (AUTH_SYS) is supported");
                        }
                    }
                }
                default -> {
                    boolean known = eq < 0 ? IGNORED.contains(name) : IGNORED_VALUED.contains(name);
                    if (!known) {
                        Set<String> all = new java.util.TreeSet<>(FLAGS);
                        all.addAll(VALUED);
                        all.addAll(IGNORED);
                        all.addAll(IGNORED_VALUED);
                        throw error(no, "unknown option '" + opt + "'"
                                + Suggest.closest(name, all).map(s -> " (did you mean '" + s + "'?)").orElse(""));
                    }
                }
            }
        }
        return o;
    }

    private int id(String name, String value, int no) throws ConfigException {
        try {
            int v = Integer.parseInt(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(no, name + " must be a number from 0 to 2147483647, got '" + value + "'");
    }

    // ------------------------------------------------------------------------------ clients

    private ClientPattern client(String text, int no) throws ConfigException {
        if (text.isEmpty()) {
            throw error(no, "a client is missing before '('");
        }
        if (text.equals("*")) {
            return new ClientPattern.Anyone();
        }
        if (text.startsWith("@")) {
            throw error(no, "netgroups are not supported: '" + text + "'");
        }
        if (text.startsWith("gss/")) {
            throw error(no, "'" + text + "': only sec=sys (AUTH_SYS) is supported");
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            return network(text, slash, no);
        }
        if (IPV4.matcher(text).matches() || text.indexOf(':') >= 0) {
            return new ClientPattern.Address(text, literal(text, text, no));
        }
        if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0) {
            if (!WILDCARD.matcher(text).matches()) {
                throw notAClient(text, no);
            }
            return new ClientPattern.Wildcard(text, wildcardRegex(text));
        }
        if (!HOST.matcher(text).matches() || text.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            throw notAClient(text, no);
        }
        return new ClientPattern.Host(text.toLowerCase(Locale.ROOT));
    }

    private ConfigException notAClient(String text, int no) {
        return error(no, "'" + text + "' is not a client: expected an address, a network (10.0.0.0/8),"
                + " a host name, a wildcard (*.example.com) or *");
    }

    private ClientPattern network(String text, int slash, int no) throws ConfigException {
        InetAddress base = literal(text.substring(0, slash), text, no);
        String bits = text.substring(slash + 1);
        int width = base.getAddress().length * 8;
        int prefix;
        if (bits.matches("[0-9]{1,3}")) {
            prefix = Integer.parseInt(bits);
            if (prefix > width) {
                throw error(no, "'" + text + "' is not a network: the prefix length must be 0 to " + width);
            }
        } else if (width == 32 && IPV4.matcher(bits).matches()) {
            prefix = maskLength(literal(bits, text, no).getAddress(), text, no);
        } else {
            throw error(no, "'" + text + "' is not a network: expected ADDRESS/LENGTH or ADDRESS/NETMASK");
        }
        return new ClientPattern.Network(text, base, prefix);
    }

    private int maskLength(byte[] mask, String text, int no) throws ConfigException {
        int length = 0;
        boolean ended = false;
        for (byte b : mask) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = ((b >> bit) & 1) == 1;
                if (one && ended) {
                    throw error(no, "'" + text + "' is not a network: the netmask's bits must be contiguous");
                }
                if (one) {
                    length++;
                } else {
                    ended = true;
                }
            }
        }
        return length;
    }

    private InetAddress literal(String address, String text, int no) throws ConfigException {
        try {
            if (address.indexOf(':') < 0 && !IPV4.matcher(address).matches()) {
                throw new IllegalArgumentException();
            }
            return ClientPattern.normalize(InetAddress.ofLiteral(address));
        } catch (IllegalArgumentException e) {
            throw error(no, "'" + text + "' is not a valid address");
        }
    }

    private static Pattern wildcardRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }

    private ConfigException error(int line, String message) {
        return new ConfigException(fileName + ":" + line + ": " + message);
    }
}
