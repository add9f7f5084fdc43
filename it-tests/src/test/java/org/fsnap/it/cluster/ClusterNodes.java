package org.fsnap.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.fsnap.it.FsnapdProcess;
import org.fsnap.it.ItEnv;
import org.fsnap.it.ServerOptions;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.testclient.CompoundBuilder;
import org.fsnap.server.testclient.CompoundReply;
import org.fsnap.server.testclient.Nfs4;
import org.fsnap.server.testclient.Nfs4Client;
import org.fsnap.server.testclient.OpReply;
import org.fsnap.server.testclient.Stateid;
import org.fsnap.server.testclient.XdrReader;

/**
 * Several fsnapd JVMs on 127.0.0.1 over one export, forming one snapshot cluster: each serves NFS on its
 * own port and joins the cluster on its own {@code --cluster-bind} port. Ports stay fixed across restarts.
 * Snapshot operations are driven over NFSv4.2 with the project's protocol-level test client (SETXATTR /
 * GETXATTR of {@code fsnap.*}, as the Linux client does for {@code setfattr/getfattr user.fsnap.*}).
 */
final class ClusterNodes implements AutoCloseable {

    static {
        // A cluster node serves only once a majority has joined; on a loaded machine three JVMs starting
        // at once take longer than FsnapdProcess's default 90 s (read once, before its first use).
        if (System.getProperty("fsnap.it.fsnapd.startSeconds") == null) {
            System.setProperty("fsnap.it.fsnapd.startSeconds", "300");
        }
    }

    final String name;
    final Path export;
    final String clusterName = "it-" + UUID.randomUUID().toString().substring(0, 8);
    final int[] nfsPorts;
    final int[] clusterPorts;
    final FsnapdProcess[] nodes;

    private ClusterNodes(String name, Path export, int count) {
        this.name = name;
        this.export = export;
        this.nfsPorts = IntStream.range(0, count).map(i -> ItEnv.freeLoopbackPort()).toArray();
        this.clusterPorts = IntStream.range(0, count).map(i -> ItEnv.freeLoopbackPort()).toArray();
        this.nodes = new FsnapdProcess[count];
    }

    /** Starts {@code count} nodes at once (each waits for a majority before it serves). */
    static ClusterNodes start(String name, Path export, int count) throws Exception {
        ClusterNodes c = new ClusterNodes(name, export, count);
        try {
            c.startNodes(IntStream.range(0, count).toArray());
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    String members() {
        return Arrays.stream(clusterPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Starts the given nodes in parallel, with extra JVM options (for all of them). */
    void startNodes(int[] which, String... jvmOptions) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(which.length);
        try {
            List<Future<FsnapdProcess>> started = new ArrayList<>();
            for (int i : which) {
                started.add(pool.submit(() -> FsnapdProcess.startWithJvm(name + "-n" + i, export, nfsPorts[i],
                        List.of(jvmOptions), ServerOptions.rootIsRoot(), "--cluster-bind",
                        "127.0.0.1:" + clusterPorts[i], "--cluster-members", members(), "--cluster-name",
                        clusterName)));
            }
            // Keep every node that did start, even when another failed, so that close() stops it.
            Exception failure = null;
            for (int j = 0; j < which.length; j++) {
                try {
                    nodes[which[j]] = started.get(j).get();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    void startNode(int i, String... jvmOptions) throws Exception {
        startNodes(new int[] {i}, jvmOptions);
    }

    /** An NFSv4.2 session with node i, as root. */
    Nfs4Client client(int i) throws IOException {
        Nfs4Client c = Nfs4Client.connect(new InetSocketAddress("127.0.0.1", nfsPorts[i]));
        c.establishSession();
        return c;
    }

    @Override
    public void close() {
        for (FsnapdProcess p : nodes) {
            if (p != null) {
                p.close();
            }
        }
    }

    // ---------------------------------------------------------------- snapshot control over NFS

    static CompoundBuilder at(Nfs4Client c, String path) {
        return c.compound().minorVersion(2).sequence().putrootfh().lookupPath(path);
    }

    /** SETXATTR fsnap.COMMAND=VALUE on PATH: the NFS status (NFS4_OK, NFS4ERR_EXIST, NFS4ERR_DELAY, ...). */
    static int control(Nfs4Client c, String path, String command, String value) throws IOException {
        return at(c, path).op(OpCode.SETXATTR, w -> w.writeInt(0).writeString("fsnap." + command)
                .writeOpaque(value.getBytes(StandardCharsets.UTF_8))).send().status();
    }

    static int create(Nfs4Client c, String path, String name) throws IOException {
        return control(c, path, "create", name);
    }

    /** GETXATTR fsnap.list: the snapshot names, oldest first. */
    static List<String> list(Nfs4Client c, String path) throws IOException {
        CompoundReply r = at(c, path).op(OpCode.GETXATTR, w -> w.writeString("fsnap.list")).send();
        if (r.status() == org.fsnap.server.nfs.Nfs4Status.NFS4ERR_NOXATTR) {
            return List.of();
        }
        r.assertOk();
        String text = new String(new XdrReader(r.last().body()).readOpaque(), StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** A snapshot's whole content, read through the .fsnap view. */
    static byte[] readSnapshot(Nfs4Client c, String dir, String file, String snapshot) throws IOException {
        String path = (dir.isEmpty() ? "" : dir + "/") + ".fsnap/" + file + "/" + snapshot;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long offset = 0; ; ) {
            CompoundReply r = c.compound().sequence().putrootfh().lookupPath(path)
                    .read(Stateid.ANONYMOUS, offset, 1 << 20).send().assertOk();
            OpReply.ReadResult read = r.find(Nfs4.OP_READ).read();
            out.writeBytes(read.data());
            offset += read.data().length;
            if (read.eof() || read.data().length == 0) {
                return out.toByteArray();
            }
        }
    }

    /** The history directory in the store whose log mentions {@code snapshotName} (a unique name). */
    Path historyDirectoryOf(String snapshotName) {
        Path files = export.resolve(".fsnap-store/files");
        try (var dirs = Files.list(files)) {
            for (Path d : dirs.toList()) {
                Path log = d.resolve("history.log");
                if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(" " + snapshotName + " ")) {
                    return d;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no history in the store mentions " + snapshotName);
    }

    /** Content files (*.snap) in a history directory of the store. */
    static long contentFiles(Path historyDirectory) throws IOException {
        try (var entries = Files.list(historyDirectory)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".snap")).count();
        }
    }
}
