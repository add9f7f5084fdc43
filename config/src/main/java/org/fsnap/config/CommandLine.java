package org.fsnap.config;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses fsnapd's flags. Every mistake becomes one {@link ConfigException} whose message
 * names the flag, so the launcher can print it and exit with status 2.
 */
public final class CommandLine {
    public static final String USAGE = String.join("\n",
            "usage: fsnapd --export DIR [--listen HOST:PORT] [--config FILE] [--no-root-squash]",
            "              [--lease SECONDS] [--grace SECONDS]",
            "              [--cluster-bind HOST:PORT [--cluster-members HOST:PORT,...] [--cluster-name NAME]]",
            "       fsnapd --exports FILE ...",
            "  --export DIR        directory to serve; it is the NFSv4 root (mount HOST:/ ...)",
            "  --exports FILE      serve the exports of FILE (/etc/exports syntax) instead",
            "  --listen HOST:PORT  where to accept NFS over TCP (default 0.0.0.0:2049)",
            "  --config FILE       configuration file (see config/fsnap.conf.example); flags win",
            "  --no-root-squash    let uid 0 act as root (default: root is mapped to nobody)",
            "  --lease SECONDS     NFSv4 lease time (default 90)",
            "  --grace SECONDS     longest grace period after a restart (default 15)",
            "  --cluster-bind HOST:PORT  join a snapshot cluster: this node's cluster address (several",
            "                      fsnapd over one shared export; without it no cluster is started)",
            "  --cluster-members HOST:PORT,...  every member's cluster address (a majority must be up)",
            "  --cluster-name NAME cluster name (default fsnap); nodes of other clusters never join",
            "  --version           print the version and exit");

    /** Cluster name when cluster flags are given without {@code --cluster-name} (and no config file one). */
    public static final String DEFAULT_CLUSTER_NAME = "fsnap";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What the command line asks for. */
    public sealed interface Request permits Run, Help, Version {
    }

    public record Run(ServerOptions options) implements Request {
    }

    public record Help() implements Request {
    }

    public record Version() implements Request {
    }

    private CommandLine() {
    }

    public static Request parse(List<String> args) throws ConfigException {
        return parse(args, false);
    }

    /**
     * Parses the command line and the config file it names.
     *
     * @param exportsEnforced whether the server applies an exports file (client patterns, ro,
     *                        squashing, several exports); when not, an exports file is refused
     *                        rather than silently served to everyone
     */
    public static Request parse(List<String> args, boolean exportsEnforced) throws ConfigException {
        // null: not given on the command line (the config file or the default applies)
        Path export = null;
        Path exports = null;
        ListenAddress listen = null;
        Path config = null;
        Boolean rootSquash = null;
        Integer lease = null;
        Integer grace = null;
        String clusterName = null;
        ListenAddress clusterBind = null;
        List<ListenAddress> clusterMembers = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--help", "-h" -> {
                    return new Help();
                }
                case "--version" -> {
                    return new Version();
                }
                case "--export" -> export = Path.of(value(args, ++i, flag));
                case "--exports" -> exports = Path.of(value(args, ++i, flag));
                case "--listen" -> listen = ListenAddress.parse(value(args, ++i, flag), flag);
                case "--config" -> config = Path.of(value(args, ++i, flag));
                case "--no-root-squash" -> rootSquash = false;
                case "--lease" -> lease = seconds(value(args, ++i, flag), flag);
                case "--grace" -> grace = seconds(value(args, ++i, flag), flag);
                case "--cluster-bind" -> clusterBind = ListenAddress.parse(value(args, ++i, flag), flag);
                case "--cluster-members" -> clusterMembers = members(value(args, ++i, flag), flag);
                case "--cluster-name" -> clusterName = clusterName(value(args, ++i, flag), flag);
                default -> throw new ConfigException("unknown option '" + flag + "'");
            }
        }
        if (export != null && exports != null) {
            throw new ConfigException("--export and --exports cannot both be given");
        }
        FileSettings file = null;
        if (config != null) {
            if (!Files.isReadable(config)) {
                throw new ConfigException("--config: cannot read " + config);
            }
            file = ConfigFile.read(config);
            if (export == null && exports == null) {
                export = file.export().orElse(null);
                exports = file.exportsFile().orElse(null);
            }
        }
        if (export == null && exports == null) {
            throw new ConfigException(config == null ? "--export DIR is required"
                    : "--export DIR is required (or 'export = DIR' in " + config + ")");
        }
        Optional<ClusterSettings> cluster = cluster(clusterName, clusterBind, clusterMembers, file);
        if (export != null) {
            checkExport(export);
            return new Run(merge(export, listen, rootSquash, lease, grace, file).withConfigFile(config)
                    .withCluster(cluster));
        }
        if (!exportsEnforced) {
            throw new ConfigException("exports file " + exports + ": this fsnapd does not apply exports files"
                    + " yet (client patterns, ro, squashing); serve one directory with --export DIR");
        }
        ExportTable table = ExportsFile.read(exports, HostResolver.system(Duration.ofSeconds(60)));
        // One export is the NFSv4 root itself; with several the root is a pseudo-root (export null).
        Path root = table.exports().size() == 1 ? table.exports().get(0).path() : null;
        return new Run(merge(root, listen, rootSquash, lease, grace, file).withConfigFile(config)
                .withExports(exports, table).withCluster(cluster));
    }

    /** Flags given on the command line, then the file's settings, then the defaults. */
    private static ServerOptions merge(Path export, ListenAddress listen, Boolean rootSquash, Integer lease,
                                       Integer grace, FileSettings file) {
        ServerOptions o = ServerOptions.defaults(export == null ? null : export.toAbsolutePath().normalize(),
                listen != null ? listen
                        : file != null && file.listen().isPresent() ? file.listen().get()
                        : ServerOptions.DEFAULT_LISTEN);
        if (file != null) {
            o = o.withRootSquash(file.rootSquash().orElse(true))
                    .withAnonymous(file.anonUid().orElse(ServerOptions.NOBODY),
                            file.anonGid().orElse(ServerOptions.NOBODY))
                    .withTimes(file.leaseSeconds().orElse(ServerOptions.DEFAULT_LEASE_SECONDS),
                            file.graceSeconds().orElse(ServerOptions.DEFAULT_GRACE_SECONDS))
                    .withMaxSnapshotsPerFile(file.maxSnapshotsPerFile()
                            .orElse(ConfigFile.DEFAULT_MAX_SNAPSHOTS_PER_FILE))
                    .withLogging(file.logLevel().orElse(ServerOptions.DEFAULT_LOG_LEVEL),
                            file.audit().orElse(true))
                    .withMetrics(file.metricsListen())
                    .withCluster(file.cluster())
                    .withSchedules(file.schedules());
        }
        if (rootSquash != null) {
            o = o.withRootSquash(rootSquash);
        }
        return o.withTimes(lease != null ? lease : o.leaseSeconds(), grace != null ? grace : o.graceSeconds());
    }

    /** The cluster flags, each winning over its config file key; none of either: no cluster. */
    private static Optional<ClusterSettings> cluster(String name, ListenAddress bind, List<ListenAddress> members,
                                                     FileSettings file)
            throws ConfigException {
        Optional<ClusterSettings> fromFile = file != null ? file.cluster() : Optional.empty();
        if (name == null && bind == null && members == null) {
            return fromFile;
        }
        if (bind == null) {
            if (fromFile.isEmpty()) {
                throw new ConfigException("--cluster-members and --cluster-name need --cluster-bind HOST:PORT");
            }
            bind = fromFile.get().bind();
        }
        if (bind.port() == 0) {
            throw new ConfigException("--cluster-bind needs a fixed port, got " + bind);
        }
        return Optional.of(new ClusterSettings(
                name != null ? name : fromFile.map(ClusterSettings::name).orElse(DEFAULT_CLUSTER_NAME), bind,
                members != null ? members : fromFile.map(ClusterSettings::members).orElse(List.of())));
    }

    private static List<ListenAddress> members(String v, String flag) throws ConfigException {
        List<ListenAddress> list = new ArrayList<>();
        for (String m : v.split(",")) {
            if (!m.isBlank()) {
                list.add(ListenAddress.parse(m.strip(), flag));
            }
        }
        if (list.isEmpty()) {
            throw new ConfigException(flag + " needs HOST:PORT values separated by commas");
        }
        return list;
    }

    private static String clusterName(String v, String flag) throws ConfigException {
        if (!CLUSTER_NAME.matcher(v).matches()) {
            throw new ConfigException(flag + " must be 1 to 64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit, got '" + v + "'");
        }
        return v;
    }

    private static String value(List<String> args, int i, String flag) throws ConfigException {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new ConfigException(flag + " needs a value");
        }
        return args.get(i);
    }

    private static int seconds(String v, String flag) throws ConfigException {
        try {
            int s = Integer.parseInt(v);
            if (s >= 1 && s <= 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(flag + " must be a whole number of seconds from 1 to 3600, got '"
                + v + "'");
    }

    private static void checkExport(Path export) throws ConfigException {
        if (!Files.exists(export)) {
            throw new ConfigException("--export: " + export + " does not exist");
        }
        if (!Files.isDirectory(export)) {
            throw new ConfigException("--export: " + export + " is not a directory");
        }
        if (!Files.isReadable(export) || !Files.isExecutable(export)) {
            throw new ConfigException("--export: " + export + " is not readable");
        }
    }
}
