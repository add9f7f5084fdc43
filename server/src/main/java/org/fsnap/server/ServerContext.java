package org.fsnap.server;

import org.fsnap.server.attr.OwnerMapper;
import org.fsnap.server.ops.DirectoryChanges;
import org.fsnap.server.state.ClientTable;
import org.fsnap.server.state.ServerIdentity;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.state.StateTable;
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
    private final StateTable states;
    private final OwnerMapper owners;
    private final int leaseSeconds;
    private final DirectoryChanges directoryChanges;

    /** A server that is the only writer of its export's directories. */
    public ServerContext(VirtualFileSystem vfs, ServerIdentity identity, ClientTable clients,
                         SessionTable sessions, StateTable states, OwnerMapper owners,
                         int leaseSeconds) {
        this(vfs, identity, clients, sessions, states, owners, leaseSeconds, new DirectoryChanges(true));
    }

    public ServerContext(VirtualFileSystem vfs, ServerIdentity identity, ClientTable clients,
                         SessionTable sessions, StateTable states, OwnerMapper owners,
                         int leaseSeconds, DirectoryChanges directoryChanges) {
        this.directoryChanges = directoryChanges;
        this.vfs = vfs;
        this.identity = identity;
        this.clients = clients;
        this.sessions = sessions;
        this.states = states;
        this.owners = owners;
        this.leaseSeconds = leaseSeconds;
    }

    public StateTable states() {
        return states;
    }

    public OwnerMapper owners() {
        return owners;
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

    /** Runs directory changes and answers their change_info4. */
    public DirectoryChanges directoryChanges() {
        return directoryChanges;
    }
}
