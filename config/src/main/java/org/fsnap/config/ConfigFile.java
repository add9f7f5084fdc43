package org.fsnap.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads fsnapd's configuration file (see {@code config/fsnap.conf.example}, the reference for
 * the format).
 *
 * <pre>
 *   # a comment, to the end of the line (also after a value, following a space)
 *   listen = 0.0.0.0:2049        a key at the top
 *   [nfs]                        a section: the keys below are nfs.KEY
 *   lease = 90                   the same as "nfs.lease = 90" at the top
 *   [schedule hourly]            a named section: schedule.hourly.KEY
 *   every = 1h
 *   name = "a # in quotes"       double quotes keep '#' and outer spaces
 * </pre>
 *
 * Every mistake is one {@link ConfigException} whose message is {@code FILE:LINE: what}, naming
 * the key by its full dotted name ({@code nfs.lease}).
 */
public final class ConfigFile {
    public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    public static final int DEFAULT_MAX_SNAPSHOTS_PER_FILE = 1000;

    /** Keys outside schedules, by full name. */
    static final Set<String> KEYS = Set.of(
            "listen", "export", "exports",
            "nfs.lease", "nfs.grace", "nfs.root_squash", "nfs.anonuid", "nfs.anongid",
            "snapshots.max_per_file",
            "log.level", "log.audit",
            "metrics.listen",
            "cluster.name", "cluster.bind", "cluster.members");
    /** Keys of a {@code [schedule NAME]} section, after {@code schedule.NAME.}. */
    static final Set<String> SCHEDULE_KEYS = Set.of("match", "export", "every",
            "keep.last", "keep.hourly", "keep.daily", "keep.weekly", "keep.monthly");
    static final Set<String> SECTIONS = Set.of("nfs", "snapshots", "log", "metrics", "cluster", "schedule");

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern SCHEDULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})\\s*([smhdw])");

    private final String fileName;
    private final Path baseDir;
    /** Full key → value and line, in file order. */
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Schedule name → the line its section (or first key) is on. */
    private final Map<String, Integer> scheduleLines = new LinkedHashMap<>();

    private record Entry(String value, int line) {
    }

    private ConfigFile(String fileName, Path baseDir) {
        this.fileName = fileName;
        this.baseDir = baseDir;
    }

    /** Reads and checks {@code file}; relative paths in it are relative to its directory. */
    public static FileSettings read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + reason(e));
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        return parse(file.toString(), text, dir, file);
    }

    /**
     * Parses configuration text.
     *
     * @param fileName what messages call the file
     * @param baseDir  what relative paths are relative to
     */
    public static FileSettings parse(String fileName, String text, Path baseDir, Path source)
            throws ConfigException {
        ConfigFile c = new ConfigFile(fileName, baseDir);
        c.scan(text);
        return c.settings(source);
    }

    // ------------------------------------------------------------------------------ lines

    private void scan(String text) throws ConfigException {
        String section = "";
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = stripComment(lines[i], no).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                section = section(line, no);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw error(no, "expected 'key = value' or '[section]', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw error(no, "a key is missing before '='");
            }
            if (!KEY.matcher(key).matches()) {
                throw error(no, "'" + key + "' is not a key (letters, digits, '_', '-' and '.')");
            }
            String full = section.isEmpty() ? key : section + "." + key;
            checkKnown(full, no);
            Entry first = entries.get(full);
            if (first != null) {
                throw error(no, "'" + full + "' is set twice (first on line " + first.line() + ")");
            }
            entries.put(full, new Entry(unquote(line.substring(eq + 1).strip(), no), no));
        }
    }

    /** The line without its comment: from '#' at the start or after white space, outside quotes. */
    private String stripComment(String line, int no) throws ConfigException {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        if (quoted) {
            throw error(no, "a double quote is not closed");
        }
        return line;
    }

    private String unquote(String value, int no) throws ConfigException {
        if (value.startsWith("\"")) {
            if (value.length() < 2 || !value.endsWith("\"") || value.indexOf('"', 1) != value.length() - 1) {
                throw error(no, "a quoted value must be one \"...\" with nothing after it");
            }
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** A {@code [section]} line; returns the key prefix ("nfs", "schedule.hourly"). */
    private String section(String line, int no) throws ConfigException {
        if (!line.endsWith("]")) {
            throw error(no, "a section header must be '[name]', got '" + line + "'");
        }
        String inner = line.substring(1, line.length() - 1).strip();
        String[] parts = inner.split("[\\s.]+", 2);
        String kind = parts[0];
        if (kind.equals("schedule")) {
            if (parts.length < 2 || parts[1].isBlank()) {
                throw error(no, "[schedule] needs a name, e.g. [schedule hourly]");
            }
            String name = parts[1].strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            checkScheduleName(name, no);
            if (scheduleLines.containsKey(name)) {
                throw error(no, "[schedule " + name + "] appears twice (first on line "
                        + scheduleLines.get(name) + ")");
            }
            scheduleLines.put(name, no);
            return "schedule." + name;
        }
        if (!SECTIONS.contains(inner)) {
            throw error(no, "unknown section [" + inner + "]"
                    + Suggest.closest(inner, SECTIONS).map(s -> " (did you mean [" + s + "]?)").orElse(""));
        }
        return inner;
    }

    private void checkScheduleName(String name, int no) throws ConfigException {
        if (!SCHEDULE_NAME.matcher(name).matches()) {
            throw error(no, "schedule name '" + name + "' must be 1 to 32 letters, digits, '_' or '-',"
                    + " starting with a letter or digit");
        }
    }

    private void checkKnown(String full, int no) throws ConfigException {
        if (full.startsWith("schedule.")) {
            String rest = full.substring("schedule.".length());
            int dot = rest.indexOf('.');
            if (dot > 0) {
                String name = rest.substring(0, dot);
                String sub = rest.substring(dot + 1);
                checkScheduleName(name, no);
                if (SCHEDULE_KEYS.contains(sub)) {
                    scheduleLines.putIfAbsent(name, no);
                    return;
                }
                throw error(no, "unknown key '" + full + "'" + Suggest.closest(sub, SCHEDULE_KEYS)
                        .map(s -> " (did you mean 'schedule." + name + "." + s + "'?)").orElse(""));
            }
        } else if (KEYS.contains(full)) {
            return;
        }
        throw error(no, "unknown key '" + full + "'"
                + Suggest.closest(full, KEYS).map(s -> " (did you mean '" + s + "'?)").orElse(""));
    }

    // ------------------------------------------------------------------------------ values

    private FileSettings settings(Path source) throws ConfigException {
        Optional<Path> export = path("export", false);
        Optional<Path> exports = path("exports", true);
        if (export.isPresent() && exports.isPresent()) {
            int later = Math.max(line("export"), line("exports"));
            throw error(later, "'export' and 'exports' cannot both be set: one directory, or an exports file");
        }
        if (export.isPresent() && !Files.isDirectory(export.get())) {
            throw error(line("export"), "'export': " + export.get()
                    + (Files.exists(export.get()) ? " is not a directory" : " does not exist"));
        }
        if (exports.isPresent() && !Files.isReadable(exports.get())) {
            throw error(line("exports"), "'exports': cannot read " + exports.get());
        }
        OptionalInt max = integer("snapshots.max_per_file", 1, 1_000_000, "a whole number from 1 to 1000000");
        return new FileSettings(source,
                listen("listen"), export, exports,
                bool("nfs.root_squash"),
                integer("nfs.anonuid", 0, Integer.MAX_VALUE, "a uid from 0 to 2147483647"),
                integer("nfs.anongid", 0, Integer.MAX_VALUE, "a gid from 0 to 2147483647"),
                integer("nfs.lease", 1, 3600, "a whole number of seconds from 1 to 3600"),
                integer("nfs.grace", 1, 3600, "a whole number of seconds from 1 to 3600"),
                max,
                logLevel(),
                bool("log.audit"),
                listen("metrics.listen"),
                cluster(),
                schedules(max.orElse(DEFAULT_MAX_SNAPSHOTS_PER_FILE)));
    }

    private int line(String key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.line();
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::value);
    }

    private Optional<ListenAddress> listen(String key) throws ConfigException {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ListenAddress.parse(v.get(), "'" + key + "'"));
        } catch (ConfigException e) {
            throw error(line(key), e.getMessage());
        }
    }

    private Optional<Path> path(String key, boolean relativeAllowed) throws ConfigException {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().isEmpty()) {
            throw error(line(key), "'" + key + "' needs a path");
        }
        Path p = Path.of(v.get());
        if (!p.isAbsolute()) {
            if (!relativeAllowed) {
                throw error(line(key), "'" + key + "' must be an absolute path, got '" + v.get() + "'");
            }
            p = baseDir.resolve(p);
        }
        return Optional.of(p.normalize());
    }

    private OptionalInt integer(String key, int min, int max, String what) throws ConfigException {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) {
                return OptionalInt.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(line(key), "'" + key + "' must be " + what + ", got '" + v.get() + "'");
    }

    private Optional<Boolean> bool(String key) throws ConfigException {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> Optional.of(true);
            case "no", "false", "off" -> Optional.of(false);
            default -> throw error(line(key), "'" + key + "' must be yes or no (or true/false, on/off), got '"
                    + v.get() + "'");
        };
    }

    private Optional<String> logLevel() throws ConfigException {
        Optional<String> v = value("log.level");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String level = v.get().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw error(line("log.level"), "'log.level' must be one of " + String.join(", ", LOG_LEVELS)
                    + ", got '" + v.get() + "'");
        }
        return Optional.of(level);
    }

    private Optional<ClusterSettings> cluster() throws ConfigException {
        int first = Integer.MAX_VALUE;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getKey().startsWith("cluster.")) {
                first = Math.min(first, e.getValue().line());
            }
        }
        if (first == Integer.MAX_VALUE) {
            return Optional.empty();
        }
        // The same default as --cluster-name.
        Optional<String> name = Optional.of(value("cluster.name").orElse(CommandLine.DEFAULT_CLUSTER_NAME));
        if (!CLUSTER_NAME.matcher(name.get()).matches()) {
            throw error(line("cluster.name"), "'cluster.name' must be 1 to 64 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit, got '" + name.get() + "'");
        }
        Optional<ListenAddress> bind = listen("cluster.bind");
        if (bind.isEmpty()) {
            throw error(first, "the cluster settings need 'cluster.bind' (HOST:PORT this node listens on)");
        }
        List<ListenAddress> members = new ArrayList<>();
        Optional<String> list = value("cluster.members");
        if (list.isPresent()) {
            for (String m : list.get().split("[,\\s]+")) {
                if (m.isEmpty()) {
                    continue;
                }
                try {
                    members.add(ListenAddress.parse(m, "'cluster.members'"));
                } catch (ConfigException e) {
                    throw error(line("cluster.members"), e.getMessage());
                }
            }
            if (members.isEmpty()) {
                throw error(line("cluster.members"), "'cluster.members' needs HOST:PORT values,"
                        + " separated by commas");
            }
        }
        return Optional.of(new ClusterSettings(name.get(), bind.get(), members));
    }

    private List<Schedule> schedules(int maxPerFile) throws ConfigException {
        List<Schedule> result = new ArrayList<>();
        for (Map.Entry<String, Integer> s : scheduleLines.entrySet()) {
            String name = s.getKey();
            int at = s.getValue();
            String p = "schedule." + name + ".";
            Optional<String> match = value(p + "match");
            if (match.isEmpty()) {
                throw error(at, "[schedule " + name + "] needs 'match' (file globs, e.g. match = *.qcow2)");
            }
            List<String> globs = globs(p + "match", match.get());
            Optional<Path> export = path(p + "export", false);
            Optional<String> every = value(p + "every");
            if (every.isEmpty()) {
                throw error(at, "[schedule " + name + "] needs 'every' (e.g. every = 1h)");
            }
            Duration interval = duration(p + "every", every.get());
            String k = "a whole number from 0 to 100000";
            Retention keep = new Retention(
                    integer(p + "keep.last", 0, 100_000, k).orElse(0),
                    integer(p + "keep.hourly", 0, 100_000, k).orElse(0),
                    integer(p + "keep.daily", 0, 100_000, k).orElse(0),
                    integer(p + "keep.weekly", 0, 100_000, k).orElse(0),
                    integer(p + "keep.monthly", 0, 100_000, k).orElse(0));
            if (keep.keepsNothing()) {
                throw error(at, "[schedule " + name + "] keeps nothing: set keep.last, keep.hourly, keep.daily,"
                        + " keep.weekly or keep.monthly");
            }
            if (keep.maximum() > maxPerFile) {
                throw error(at, "[schedule " + name + "] may keep " + keep.maximum() + " snapshots of a file,"
                        + " more than snapshots.max_per_file (" + maxPerFile + ")");
            }
            result.add(new Schedule(name, globs, export, interval, keep, at));
        }
        return result;
    }

    private List<String> globs(String key, String value) throws ConfigException {
        List<String> globs = new ArrayList<>();
        for (String g : value.split("\\s+")) {
            if (g.isEmpty()) {
                continue;
            }
            if (g.startsWith("/")) {
                throw error(line(key), "'" + key + "': '" + g + "' must be relative to the export (no leading '/')");
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + g);
            } catch (PatternSyntaxException e) {
                throw error(line(key), "'" + key + "': bad glob '" + g + "': " + e.getDescription());
            }
            globs.add(g);
        }
        if (globs.isEmpty()) {
            throw error(line(key), "'" + key + "' needs at least one glob");
        }
        return globs;
    }

    private Duration duration(String key, String value) throws ConfigException {
        Matcher m = DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            if (d.compareTo(Duration.ofMinutes(1)) >= 0 && d.compareTo(Duration.ofDays(366)) <= 0) {
                return d;
            }
        }
        throw error(line(key), "'" + key + "' must be a duration from 1m to 366d such as 15m, 1h, 1d or 1w,"
                + " got '" + value + "'");
    }

    private ConfigException error(int line, String message) {
        return new ConfigException(fileName + ":" + line + ": " + message);
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : String.valueOf(e.getMessage());
    }

    /** Every key this version knows, for documentation and tests. */
    static Set<String> allKeys() {
        Set<String> all = new TreeSet<>(KEYS);
        for (String k : SCHEDULE_KEYS) {
            all.add("schedule.NAME." + k);
        }
        return all;
    }
}
