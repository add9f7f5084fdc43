package org.fsnap.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fsnap}: snapshots of files on a mounted fsnap export, driven through the files' user
 * xattrs only (no server access beyond the mount).
 */
@Command(name = "fsnap", mixinStandardHelpOptions = true, versionProvider = Fsnap.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "Copy-on-write snapshots of files on a mounted fsnap export (mount -t nfs -o vers=4.2).",
            "Works through the files' user xattrs (user.fsnap.*) only."},
        subcommands = {
            Fsnap.Create.class, Fsnap.ListCommand.class, Fsnap.Delete.class, Fsnap.Revert.class,
            Fsnap.Show.class, Fsnap.Tree.class, CommandLine.HelpCommand.class})
public final class Fsnap implements Callable<Integer> {
    static final String[] EXIT_HELP = {
        "",
        "Exit status:",
        "  0  done",
        "  1  snapshot refused: unknown snapshot, name taken, bad name,",
        "     too many snapshots of the file, no space",
        "  2  bad command line",
        "  3  not an fsnap export, or mounted below NFS 4.2 (no user xattrs)",
        "  4  permission denied, or a read-only export",
        "  5  FILE does not exist or is not a regular file",
        "  6  other errors (I/O, stale file handle, unexpected answer)",
    };

    private final SnapshotClient client;
    private final PrintWriter out;
    private final boolean unicodeOut;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Fsnap(SnapshotClient client, PrintWriter out, boolean unicodeOut) {
        this.client = client;
        this.out = out;
        this.unicodeOut = unicodeOut;
    }

    public static void main(String[] args) {
        Charset cs = charsetOf(System.out);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charsetOf(System.err)), true);
        int status = run(args, new ViewXattrs(), Mounts.system(), out, err, cs.equals(StandardCharsets.UTF_8));
        out.flush();
        err.flush();
        System.exit(status);
    }

    private static Charset charsetOf(PrintStream stream) {
        return stream.charset();
    }

    /** Runs one command line; returns the exit status ({@link ExitCode}). */
    public static int run(String[] args, SnapshotXattrs xattrs, Mounts mounts, PrintWriter out, PrintWriter err,
                          boolean unicodeOut) {
        CommandLine cmd = new CommandLine(new Fsnap(new SnapshotClient(xattrs, mounts), out, unicodeOut));
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.getCommandSpec().usageMessage().footer(EXIT_HELP);
        cmd.setParameterExceptionHandler((e, a) -> {
            err.println("fsnap: " + e.getMessage());
            String sub = e.getCommandLine() == cmd ? "" : " " + e.getCommandLine().getCommandName();
            err.println("Try 'fsnap" + sub + " --help'.");
            return ExitCode.USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof CliException failure) {
                err.println("fsnap: " + failure.getMessage());
                return failure.exitCode();
            }
            throw e;
        });
        int status = cmd.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("fsnap: a command is needed (create, list, delete, revert, show, tree)");
        err.println("Try 'fsnap --help'.");
        return ExitCode.USAGE;
    }

    /** The jar's Implementation-Version, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Fsnap.class.getPackage().getImplementationVersion();
            return new String[] {"fsnap " + (v == null ? "development" : v)};
        }
    }

    /** A subcommand on one FILE. */
    abstract static class FileCommand implements Callable<Integer> {
        @ParentCommand
        Fsnap fsnap;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
    }

    /** A subcommand on snapshot NAME of FILE. */
    abstract static class SnapshotCommand extends FileCommand {
        @Parameters(index = "1", paramLabel = "NAME")
        String name;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, header = "Take a snapshot of FILE.",
            description = {"Without NAME the server names the snapshot by the time (UTC, like",
                "20261122T193000Z); the name is printed."})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        Fsnap fsnap;
        @Parameters(index = "0", paramLabel = "FILE", description = "a regular file on an fsnap mount")
        Path file;
        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
                description = "the snapshot's name: 1 to 255 bytes, no '/', not '.' or '..'")
        String name;

        @Override
        public Integer call() throws CliException {
            String created = fsnap.client.create(file, Optional.ofNullable(name));
            fsnap.out.println("created snapshot " + SnapshotClient.printable(created) + " of " + file);
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "List FILE's snapshots.",
            description = {"Oldest first: name, creation time (UTC), size,",
                "parent (the snapshot the file descended from when it was taken), and '*' on the",
                "current one (the last created or reverted to)."})
    static final class ListCommand extends FileCommand {
        @Option(names = "--json", description = "print a JSON array of {name, created, size, parent, current}")
        boolean json;
        @Option(names = "--bytes", description = "sizes in bytes rather than K/M/G")
        boolean bytes;

        @Override
        public Integer call() throws CliException {
            List<Snapshot> snapshots = fsnap.client.list(file);
            if (json) {
                fsnap.out.print(Render.json(snapshots));
            } else if (snapshots.isEmpty()) {
                fsnap.out.println("no snapshots of " + file);
            } else {
                fsnap.out.print(Render.table(snapshots, bytes));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, header = "Delete snapshot NAME of FILE.",
            description = {"Snapshots taken from it keep their history: their parent becomes NAME's",
                "parent."})
    static final class Delete extends SnapshotCommand {
        @Override
        public Integer call() throws CliException {
            fsnap.client.delete(file, name);
            fsnap.out.println("deleted snapshot " + SnapshotClient.printable(name) + " of " + file);
            return ExitCode.OK;
        }
    }

    @Command(name = "revert", mixinStandardHelpOptions = true, header = "Revert FILE to snapshot NAME.",
            description = {"In place (same file, same inode); NAME becomes the current snapshot.",
                "Changes since the last snapshot are lost: take one first."})
    static final class Revert extends SnapshotCommand {
        @Override
        public Integer call() throws CliException {
            fsnap.client.revert(file, name);
            fsnap.out.println("reverted " + file + " to snapshot " + SnapshotClient.printable(name));
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, header = "Print the path of snapshot NAME's read-only copy.",
            description = {"The copy is DIR/.fsnap/BASENAME/NAME for FILE = DIR/BASENAME, e.g.",
                "  diff f \"$(fsnap show f v1)\""})
    static final class Show extends SnapshotCommand {
        @Override
        public Integer call() throws CliException {
            fsnap.out.println(fsnap.client.show(file, name));
            return ExitCode.OK;
        }
    }

    @Command(name = "tree", mixinStandardHelpOptions = true, header = "Draw FILE's snapshot history as a tree.",
            description = {"Every snapshot under its parent; a branch where the file was reverted",
                "and then snapshotted again."})
    static final class Tree extends FileCommand {
        @Option(names = "--ascii", description = "draw with ASCII characters only")
        boolean ascii;

        @Override
        public Integer call() throws CliException {
            List<Snapshot> snapshots = fsnap.client.list(file);
            if (snapshots.isEmpty()) {
                fsnap.out.println("no snapshots of " + file);
                return ExitCode.OK;
            }
            Render.Glyphs glyphs = ascii || !fsnap.unicodeOut ? Render.Glyphs.ASCII : Render.Glyphs.UNICODE;
            fsnap.out.print(Render.tree(file.toString(), snapshots, glyphs));
            return ExitCode.OK;
        }
    }
}
