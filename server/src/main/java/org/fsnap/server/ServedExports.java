package org.fsnap.server;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fsnap.config.ConfigException;
import org.fsnap.config.ExportTable;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.cluster.ClusterSetup;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.export.ExportGate;
import org.fsnap.server.vfs.export.PseudoRoot;
import org.fsnap.server.vfs.export.RefusalLog;
import org.fsnap.server.vfs.local.LocalFileSystem;
import org.fsnap.server.vfs.snapshot.SnapshotStack;
import org.fsnap.snapshot.store.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server serves: one filesystem stack per export (the local directory with the server's
 * own {@code .fsnap-state} and {@code .fsnap-store} hidden, under the snapshot view and named
 * attributes), each behind its export gate; with an exports file the gates hang under a
 * {@link PseudoRoot} (always, even for one export, as knfsd: clients mount {@code SERVER:/PATH}),
 * with {@code --export DIR} the one gate is the NFSv4 root. Closing closes every stack.
 */
public final class ServedExports implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ServedExports.class);

    private final VirtualFileSystem top;
    private final List<SnapshotExport> exports;
    private final List<LocalFileSystem> locals;

    private ServedExports(VirtualFileSystem top, List<SnapshotExport> exports, List<LocalFileSystem> locals) {
        this.top = top;
        this.exports = List.copyOf(exports);
        this.locals = List.copyOf(locals);
    }

    /**
     * Builds the stacks; logs one line per export with its rules.
     *
     * @throws ConfigException for exports this server cannot serve together (nested, too many, a
     *     cluster over several): the launcher prints it and exits with status 2
     */
    public static ServedExports open(ServerOptions options) throws IOException, ConfigException {
        ExportTable table = options.exportTable();
        if (table != null) {
            check(table, options);
            if (!options.rootSquash() || options.anonUid() != ServerOptions.NOBODY
                    || options.anonGid() != ServerOptions.NOBODY) {
                LOG.warn("--no-root-squash and [nfs] root_squash/anonuid/anongid apply to --export only; with an"
                        + " exports file each entry's options (no_root_squash, anonuid=...) decide");
            }
        }
        List<SnapshotExport> stacks = new ArrayList<>();
        List<LocalFileSystem> locals = new ArrayList<>();
        try {
            if (table == null) {
                SnapshotStack stack = stack(options.export(), options, true, locals);
                stacks.add(new SnapshotExport(options.export(), stack));
                ExportGate gate = ExportGate.implicit(stack, options.export(), options.rootSquash(),
                        options.anonUid(), options.anonGid());
                LOG.info("export {} (the NFSv4 root): {}", options.export(), rules(gate.export()));
                return new ServedExports(gate, stacks, locals);
            }
            RefusalLog refusals = new RefusalLog();
            List<ExportGate> gates = new ArrayList<>();
            for (ExportTable.Export e : table.exports()) {
                SnapshotStack stack = stack(e.path(), options, stacks.isEmpty(), locals);
                stacks.add(new SnapshotExport(e.path(), stack));
                gates.add(new ExportGate(stack, table, e, refusals));
                LOG.info("export {} ({}:{}): {}", e.path(), table.source(), e.line(), rules(e));
            }
            return new ServedExports(new PseudoRoot(gates), stacks, locals);
        } catch (IOException | VfsException | RuntimeException e) {
            try {
                new ServedExports(null, stacks, locals).close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof IOException io ? io : new IOException("cannot serve the exports: " + e.getMessage(), e);
        }
    }

    /** Exports that cannot be served together: said before anything is opened. */
    static void check(ExportTable table, ServerOptions options) throws ConfigException {
        List<ExportTable.Export> list = table.exports();
        if (list.size() > PseudoRoot.MAX_EXPORTS) {
            throw new ConfigException(table.source() + ": " + list.size() + " exports; fsnapd serves at most "
                    + PseudoRoot.MAX_EXPORTS);
        }
        if (options.cluster().isPresent() && list.size() > 1) {
            throw new ConfigException(table.source() + ": " + list.size() + " exports, but a snapshot cluster"
                    + " (--cluster-* or [cluster]) serves exactly one export; list one directory in the exports file");
        }
        for (int i = 0; i < list.size(); i++) {
            for (int j = 0; j < i; j++) {
                ExportTable.Export a = list.get(j);
                ExportTable.Export b = list.get(i);
                if (b.path().startsWith(a.path()) || a.path().startsWith(b.path())) {
                    ExportTable.Export outer = b.path().startsWith(a.path()) ? a : b;
                    ExportTable.Export inner = outer == a ? b : a;
                    throw new ConfigException(table.source() + ":" + inner.line() + ": " + inner.path()
                            + " is inside " + outer.path() + " (line " + outer.line()
                            + "): nested exports are not supported; export directories side by side");
                }
            }
        }
    }

    private static SnapshotStack stack(Path dir, ServerOptions options, boolean withCluster,
                                       List<LocalFileSystem> locals) throws IOException {
        LocalFileSystem local = new LocalFileSystem(dir, Set.of(Fsnapd.STATE_DIR_NAME,
                SnapshotStore.DEFAULT_DIRECTORY_NAME));
        locals.add(local);
        return SnapshotStack.build(dir, local, local::pathOf, options.maxSnapshotsPerFile(),
                withCluster ? ClusterSetup.start(options.cluster()) : null);
    }

    /** {@code 10.0.0.0/8(rw,root_squash,...) *(ro,...)}, as the log shows an export's entries. */
    static String rules(ExportTable.Export e) {
        return e.rules().stream().map(r -> r.client().text() + "(" + r.options() + ")")
                .collect(Collectors.joining(" "));
    }

    /** The filesystem the NFS server serves: the pseudo-root, or the one export's gate. */
    public VirtualFileSystem top() {
        return top;
    }

    /** Each export's directory and its stack, in the order of the exports file. */
    public List<SnapshotExport> exports() {
        return exports;
    }

    /**
     * Where the server keeps its client records: {@code .fsnap-state} in the export, or in the first
     * export of an exports file.
     */
    public Path stateDirectory() {
        return exports.get(0).export().resolve(Fsnapd.STATE_DIR_NAME);
    }

    /** Closes the stacks (their snapshot engines), then the local filesystems under them. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        List<Closeable> all = new ArrayList<>();
        exports.forEach(e -> all.add(e.stack()));
        all.addAll(locals);
        for (Closeable c : all) {
            try {
                c.close();
            } catch (IOException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
