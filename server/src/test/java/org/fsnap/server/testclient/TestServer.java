package org.fsnap.server.testclient;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.fsnap.config.ListenAddress;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.NfsServer;
import org.fsnap.server.rpc.RpcRecordGuard;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * An in-process {@link NfsServer} on 127.0.0.1 and an ephemeral port, over a given
 * filesystem (a {@link MemoryFileSystem} unless a test brings its own).
 */
public final class TestServer implements AutoCloseable {
    private final NfsServer server;
    private final VirtualFileSystem vfs;

    private TestServer(NfsServer server, VirtualFileSystem vfs) {
        this.server = server;
        this.vfs = vfs;
    }

    /** Root is not squashed, so a root client may create anywhere. */
    public static TestServer start(VirtualFileSystem vfs) throws IOException {
        return start(vfs, false);
    }

    public static TestServer start(VirtualFileSystem vfs, boolean rootSquash) throws IOException {
        Path export = Files.createTempDirectory("fsnap-testserver");
        ServerOptions options = ServerOptions.defaults(export, new ListenAddress("127.0.0.1", 0))
                .withRootSquash(rootSquash).withTimes(90, 0);
        NfsServer server = NfsServer.start(options, vfs, null);
        guardRecords(server);
        return new TestServer(server, vfs);
    }

    /** The largest RPC record the tests' server accepts; far above any session's limit. */
    public static final int MAX_RECORD = 4 << 20;

    /**
     * Puts {@link RpcRecordGuard} in front of oncrpc4j's record parser, unless
     * {@link NfsServer} already did (install is idempotent). Reaches the service by reflection
     * only because NfsServer does not expose it.
     */
    private static void guardRecords(NfsServer server) {
        try {
            Field f = NfsServer.class.getDeclaredField("rpc");
            f.setAccessible(true);
            RpcRecordGuard.install((OncRpcSvc) f.get(server), MAX_RECORD, false);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the RPC service of NfsServer", e);
        }
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public VirtualFileSystem vfs() {
        return vfs;
    }

    /** A connected client with a session, as root. */
    public Nfs4Client client() throws IOException {
        return Nfs4Client.connect(address()).establishSession();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
