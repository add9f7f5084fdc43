package org.fsnap.server;

import org.fsnap.server.state.ClientTable;
import org.fsnap.server.state.ServerIdentity;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * The server-wide services operations use: the filesystem, the client, session and state
 * tables, and the server's identity. One per running server.
 */
public final class ServerContext {
    private final VirtualFileSystem vfs;
    private final ServerIdentity identity;
    private final ClientTable clients;
    private final SessionTable sessions;
    private final int leaseSeconds;

    public ServerContext(VirtualFileSystem vfs, ServerIdentity identity, ClientTable clients,
                         SessionTable sessions, int leaseSeconds) {
        this.vfs = vfs;
        this.identity = identity;
        this.clients = clients;
        this.sessions = sessions;
        this.leaseSeconds = leaseSeconds;
    }

    public VirtualFileSystem vfs() {
        return vfs;
    }

    public ServerIdentity identity() {
        return identity;
    }

    public ClientTable clients() {
        return clients;
    }

    public SessionTable sessions() {
        return sessions;
    }

    public int leaseSeconds() {
        return leaseSeconds;
    }
}
