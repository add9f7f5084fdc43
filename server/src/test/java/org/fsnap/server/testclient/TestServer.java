package org.fsnap.server.testclient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fsnap.config.ListenAddress;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.NfsServer;
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
        return new TestServer(server, vfs);
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
