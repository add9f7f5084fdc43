package org.fsnap.server.compound;

import org.fsnap.server.ServerContext;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.Slot;
import org.fsnap.server.state.StateId;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * What one COMPOUND carries from operation to operation (RFC 8881 section 16.2.3): the
 * current and saved filehandles and stateids, the session and slot from SEQUENCE, and who
 * the caller is. One per request; not shared between threads.
 */
public final class CompoundContext {
    private final ServerContext server;
    private final Caller caller;
    private final int minorVersion;
    private Inode currentFh;
    private Inode savedFh;
    private StateId currentStateId;
    private StateId savedStateId;
    private Session session;
    private Slot slot;
    private boolean cacheThis;
    private byte[] replay;
    private int position;
    private int operationCount;

    public CompoundContext(ServerContext server, Caller caller, int minorVersion) {
        this.server = server;
        this.caller = caller;
        this.minorVersion = minorVersion;
    }

    public ServerContext server() {
        return server;
    }

    public VirtualFileSystem vfs() {
        return server.vfs();
    }

    public Caller caller() {
        return caller;
    }

    public int minorVersion() {
        return minorVersion;
    }

    /** The current filehandle; NFS4ERR_NOFILEHANDLE when none is set. */
    public Inode currentFh() throws NfsException {
        if (currentFh == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOFILEHANDLE);
        }
        return currentFh;
    }

    public boolean hasCurrentFh() {
        return currentFh != null;
    }

    /** Sets the current filehandle; the current stateid no longer applies to it. */
    public void setCurrentFh(Inode inode) {
        currentFh = inode;
        currentStateId = null;
    }

    public Inode savedFh() throws NfsException {
        if (savedFh == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOFILEHANDLE);
        }
        return savedFh;
    }

    public void saveFh() throws NfsException {
        savedFh = currentFh();
        savedStateId = currentStateId;
    }

    public void restoreFh() throws NfsException {
        if (savedFh == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_RESTOREFH);
        }
        currentFh = savedFh;
        currentStateId = savedStateId;
    }

    public void setCurrentStateId(StateId id) {
        currentStateId = id;
    }

    /**
     * Replaces the special "current stateid" by the one an earlier operation set
     * (RFC 8881 section 16.2.3.1.2); other stateids pass unchanged.
     */
    public StateId resolve(StateId id) throws NfsException {
        if (!id.isCurrent()) {
            return id;
        }
        if (currentStateId == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "no current stateid");
        }
        return currentStateId;
    }

    public Session session() {
        return session;
    }

    /** The client of this compound's session; NFS4ERR_OP_NOT_IN_SESSION without one. */
    public ClientRecord client() throws NfsException {
        if (session == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_OP_NOT_IN_SESSION);
        }
        return session.client();
    }

    public Slot slot() {
        return slot;
    }

    public boolean cacheThis() {
        return cacheThis;
    }

    /** Set by SEQUENCE once the request is admitted on a slot. */
    public void bindSession(Session session, Slot slot, boolean cacheThis) {
        this.session = session;
        this.slot = slot;
        this.cacheThis = cacheThis;
    }

    /** Set by SEQUENCE for a retransmission: the whole cached reply to send again. */
    public void replayWith(byte[] reply) {
        this.replay = reply;
    }

    public byte[] replay() {
        return replay;
    }

    /** Index of the operation executing now (0 = first) and how many the COMPOUND holds. */
    public int position() {
        return position;
    }

    public int operationCount() {
        return operationCount;
    }

    void moveTo(int position, int operationCount) {
        this.position = position;
        this.operationCount = operationCount;
    }

    public boolean isLastOperation() {
        return position == operationCount - 1;
    }
}
