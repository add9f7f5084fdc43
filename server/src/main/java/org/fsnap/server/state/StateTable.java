package org.fsnap.server.state;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.Inode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open and lock state (RFC 8881 sections 8 and 9): stateids, share reservations and
 * byte-range locks, for every client, in memory.
 *
 * <p>A stateid's "other" is the server's boot epoch (4 bytes) followed by a counter
 * (8 bytes), so stateids of an earlier boot are recognised as stale. Its seqid starts at 1
 * and moves on every change of the state; 0 in a request means "the current one".
 * In NFSv4.1 the owner seqids of OPEN, CLOSE and LOCK are not used (sessions give
 * exactly-once semantics), so none are kept.
 *
 * <p>Thread-safety: every public method is one short critical section on this table; none
 * does I/O. The filesystem work of an operation happens outside, before or after.
 */
public final class StateTable {
    private static final Logger LOG = LoggerFactory.getLogger(StateTable.class);

    /** OPEN4_SHARE_ACCESS_* and OPEN4_SHARE_DENY_* bits. */
    public static final int ACCESS_READ = 1;
    public static final int ACCESS_WRITE = 2;
    public static final int ACCESS_BOTH = 3;
    public static final int DENY_NONE = 0;
    public static final int DENY_READ = 1;
    public static final int DENY_WRITE = 2;
    public static final int DENY_BOTH = 3;
    /** nfs_lock_type4. */
    public static final int READ_LT = 1;
    public static final int WRITE_LT = 2;
    public static final int READW_LT = 3;
    public static final int WRITEW_LT = 4;
    /** length4 all ones: a lock up to the end of the file. */
    public static final long TO_END = ByteRangeLockTable.TO_END;

    private final ServerIdentity identity;
    private final Map<ByteBuffer, Stateful> byOther = new HashMap<>();
    private final Map<Inode, FileState> files = new HashMap<>();
    private long counter;

    /**
     * @param clients the client table: the state of every client it drops (expired lease,
     *     DESTROY_CLIENTID, a new incarnation of the client) is released here
     */
    public StateTable(ServerIdentity identity, ClientTable clients) {
        this.identity = identity;
        clients.onRemoval(this::releaseClient);
    }

    /** The outcome of OPEN: the stateid to return, and what undoes it if the OPEN fails later. */
    public static final class OpenGrant {
        private final StateId stateId;
        private final OpenState state;
        private final ShareReservation previous;
        private final int previousSeqid;

        private OpenGrant(StateId stateId, OpenState state, ShareReservation previous,
                          int previousSeqid) {
            this.stateId = stateId;
            this.state = state;
            this.previous = previous;
            this.previousSeqid = previousSeqid;
        }

        public StateId stateId() {
            return stateId;
        }

        /** Whether this OPEN created the open (rather than adding to one of the same owner). */
        public boolean isNew() {
            return previous == null;
        }
    }

    /** The outcome of LOCK: the lock stateid, or the lock that denied it. */
    public record LockOutcome(StateId stateId, LockDenied denied) {
        public boolean granted() {
            return denied == null;
        }
    }

    // ---------------------------------------------------------------- OPEN, OPEN_DOWNGRADE, CLOSE

    /**
     * Opens {@code file} for the open-owner {@code owner} of {@code client}, or adds the access
     * and deny to that owner's existing open of it (the stateid keeps its "other" and its seqid
     * moves on).
     *
     * @throws NfsException NFS4ERR_SHARE_DENIED when another open denies what is asked, or asks
     *     what is denied; NFS4ERR_INVAL for bad access or deny values
     */
    public synchronized OpenGrant open(ClientRecord client, byte[] owner, Inode file, int access,
                                       int deny) throws NfsException {
        checkShare(access, deny);
        StateOwner key = new StateOwner(client.clientId(), owner);
        FileState f = files.get(file);
        OpenState mine = f == null ? null : f.openOf(key);
        if (f != null) {
            for (OpenState o : f.opens) {
                if (o != mine && o.share.conflictsWith(access, deny)) {
                    throw new NfsException(Nfs4Status.NFS4ERR_SHARE_DENIED,
                            "share reservation of " + o.owner);
                }
            }
        } else {
            f = new FileState(file);
            files.put(file, f);
        }
        if (mine != null) {
            ShareReservation previous = mine.share;
            int previousSeqid = mine.seqid();
            mine.share = previous.plus(access, deny);
            return new OpenGrant(mine.bump(), mine, previous, previousSeqid);
        }
        OpenState s = new OpenState(newOther(), client, f, key, ShareReservation.of(access, deny));
        f.opens.add(s);
        byOther.put(ByteBuffer.wrap(s.other), s);
        return new OpenGrant(s.stateId(), s, null, 0);
    }

    /** Takes back an OPEN whose operation failed after the grant (e.g. its truncation). */
    public synchronized void undoOpen(OpenGrant grant) {
        OpenState s = grant.state;
        if (byOther.get(ByteBuffer.wrap(s.other)) != s) {
            return;
        }
        if (grant.previous == null) {
            removeOpen(s);
        } else {
            s.share = grant.previous;
            s.restoreSeqid(grant.previousSeqid);
        }
    }

    /**
     * OPEN_DOWNGRADE: reduces an open to {@code access}/{@code deny}, which must be the union
     * of some of the OPENs merged into it.
     *
     * @throws NfsException NFS4ERR_INVAL when that is not so; stateid errors
     */
    public synchronized StateId downgrade(ClientRecord client, Inode file, StateId id, int access,
                                          int deny) throws NfsException {
        checkShare(access, deny);
        OpenState s = openState(client, file, id);
        ShareReservation lower = s.share.downgradeTo(access, deny);
        if (lower == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "not a downgrade of " + s.share);
        }
        s.share = lower;
        return s.bump();
    }

    /** CLOSE: ends an open, with the lock states derived from it and their locks. */
    public synchronized void close(ClientRecord client, Inode file, StateId id)
            throws NfsException {
        removeOpen(openState(client, file, id));
    }

    // ---------------------------------------------------------------- READ, WRITE

    /**
     * Checks the stateid of a READ or WRITE (or a size-changing SETATTR: {@code write}) of
     * {@code file}.
     *
     * @return true when the stateid is an open or lock stateid (access was checked at OPEN);
     *     false for the anonymous and READ-bypass stateids, whose caller must check permission
     * @throws NfsException NFS4ERR_LOCKED when an open denies a special stateid's access,
     *     NFS4ERR_OPENMODE when the open lacks the access, stateid errors
     */
    public synchronized boolean checkIo(ClientRecord client, Inode file, StateId id, boolean write)
            throws NfsException {
        boolean bypass = StateId.READ_BYPASS.equals(id);
        if (StateId.ANONYMOUS.equals(id) || bypass) {
            if (!bypass || write) {
                FileState f = files.get(file);
                int denied = write ? DENY_WRITE : DENY_READ;
                if (f != null) {
                    for (OpenState o : f.opens) {
                        if ((o.share.deny() & denied) != 0) {
                            throw new NfsException(Nfs4Status.NFS4ERR_LOCKED,
                                    "share reservation of " + o.owner + " denies it");
                        }
                    }
                }
            }
            return false;
        }
        Stateful s = find(client, id);
        if (!s.file.inode.equals(file)) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "stateid of another file");
        }
        if ((s.access() & (write ? ACCESS_WRITE : ACCESS_READ)) == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_OPENMODE,
                    "open without " + (write ? "write" : "read") + " access");
        }
        return true;
    }

    // ---------------------------------------------------------------- LOCK, LOCKT, LOCKU

    /**
     * LOCK for a lock-owner new to this file (open_to_lock_owner4): creates its lock stateid
     * from the open stateid {@code openId}, unless the owner already has one for the file.
     * Nothing is created when the lock is denied.
     */
    public synchronized LockOutcome lockNewOwner(ClientRecord client, Inode file, StateId openId,
                                                 byte[] lockOwner, int lockType, long offset,
                                                 long length) throws NfsException {
        boolean write = isWrite(lockType);
        long end = ByteRangeLockTable.endOf(offset, length);
        OpenState open = openState(client, file, openId);
        checkLockMode(open, write);
        StateOwner owner = new StateOwner(client.clientId(), lockOwner);
        FileState f = open.file;
        ByteRangeLockTable.Lock conflict = f.locks.conflict(owner, offset, end, write);
        if (conflict != null) {
            return new LockOutcome(null, conflict.denied());
        }
        LockState ls = f.lockStates.get(owner);
        StateId result;
        if (ls == null) {
            ls = new LockState(newOther(), client, f, owner, open);
            f.lockStates.put(owner, ls);
            open.lockStates.add(ls);
            byOther.put(ByteBuffer.wrap(ls.other), ls);
            result = ls.stateId();
        } else {
            result = ls.bump();
        }
        f.locks.lock(owner, offset, end, write);
        return new LockOutcome(result, null);
    }

    /** LOCK with an existing lock stateid (exist_lock_owner4). */
    public synchronized LockOutcome lock(ClientRecord client, Inode file, StateId lockId,
                                         int lockType, long offset, long length)
            throws NfsException {
        boolean write = isWrite(lockType);
        long end = ByteRangeLockTable.endOf(offset, length);
        LockState ls = lockState(client, file, lockId);
        checkLockMode(ls.open, write);
        ByteRangeLockTable.Lock conflict = ls.file.locks.conflict(ls.owner, offset, end, write);
        if (conflict != null) {
            return new LockOutcome(null, conflict.denied());
        }
        ls.file.locks.lock(ls.owner, offset, end, write);
        return new LockOutcome(ls.bump(), null);
    }

    /** LOCKT: the lock that would deny this request, or null. Creates no state. */
    public synchronized LockDenied testLock(ClientRecord client, Inode file, byte[] lockOwner,
                                            int lockType, long offset, long length)
            throws NfsException {
        boolean write = isWrite(lockType);
        long end = ByteRangeLockTable.endOf(offset, length);
        FileState f = files.get(file);
        if (f == null) {
            return null;
        }
        ByteRangeLockTable.Lock conflict =
                f.locks.conflict(new StateOwner(client.clientId(), lockOwner), offset, end, write);
        return conflict == null ? null : conflict.denied();
    }

    /** LOCKU: releases the owner's locks in the range (those sticking out are split). */
    public synchronized StateId unlock(ClientRecord client, Inode file, StateId lockId,
                                       long offset, long length) throws NfsException {
        long end = ByteRangeLockTable.endOf(offset, length);
        LockState ls = lockState(client, file, lockId);
        ls.file.locks.unlock(ls.owner, offset, end);
        return ls.bump();
    }

    // ---------------------------------------------------------------- FREE_STATEID, TEST_STATEID

    /**
     * FREE_STATEID: forgets a lock stateid that holds no locks.
     *
     * @throws NfsException NFS4ERR_LOCKS_HELD for an open stateid (CLOSE ends it) or a lock
     *     stateid whose owner still holds locks on the file; stateid errors
     */
    public synchronized void free(ClientRecord client, StateId id) throws NfsException {
        Stateful s = find(client, id);
        if (!(s instanceof LockState ls)) {
            throw new NfsException(Nfs4Status.NFS4ERR_LOCKS_HELD, "open stateid: CLOSE it");
        }
        if (ls.file.locks.holdsAny(ls.owner)) {
            throw new NfsException(Nfs4Status.NFS4ERR_LOCKS_HELD, "locks still held");
        }
        removeLockState(ls);
    }

    /** TEST_STATEID: the status this stateid would get if the client used it now. */
    public synchronized int test(ClientRecord client, StateId id) {
        try {
            find(client, id);
            return Nfs4Status.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    /**
     * DELEGRETURN and other delegation stateids: this server grants no delegations, so every
     * stateid is wrong; this tells which error fits.
     */
    public NfsException notADelegation(StateId id) {
        if (!id.isSpecial() && epochOf(id) != identity.bootEpoch()) {
            return new NfsException(Nfs4Status.NFS4ERR_STALE_STATEID, "stateid of an earlier boot");
        }
        return new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "no such delegation");
    }

    // ---------------------------------------------------------------- lifetime

    /** Releases every open and lock of a client (called when the client table drops it). */
    public synchronized void releaseClient(ClientRecord client) {
        List<OpenState> opens = new ArrayList<>();
        for (Stateful s : byOther.values()) {
            if (s.client == client && s instanceof OpenState o) {
                opens.add(o);
            }
        }
        for (OpenState o : opens) {
            removeOpen(o);
        }
        if (!opens.isEmpty()) {
            LOG.info("{}: released {} open(s) and their locks", client, opens.size());
        }
    }

    /** How many stateids are live (opens plus lock states). */
    public synchronized int stateCount() {
        return byOther.size();
    }

    /** How many opens {@code file} has now. */
    public synchronized int openCount(Inode file) {
        FileState f = files.get(file);
        return f == null ? 0 : f.opens.size();
    }

    // ---------------------------------------------------------------- internals

    synchronized List<ByteRangeLockTable.Lock> locksOf(Inode file, StateOwner owner) {
        FileState f = files.get(file);
        return f == null ? List.of() : f.locks.locksOf(owner);
    }

    private static void checkShare(int access, int deny) throws NfsException {
        if (access < ACCESS_READ || access > ACCESS_BOTH) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "share_access " + access);
        }
        if (deny < DENY_NONE || deny > DENY_BOTH) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "share_deny " + deny);
        }
    }

    private static boolean isWrite(int lockType) throws NfsException {
        return switch (lockType) {
            case READ_LT, READW_LT -> false;
            case WRITE_LT, WRITEW_LT -> true;
            default -> throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "lock type " + lockType);
        };
    }

    private static void checkLockMode(OpenState open, boolean write) throws NfsException {
        if ((open.access() & (write ? ACCESS_WRITE : ACCESS_READ)) == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_OPENMODE,
                    (write ? "write" : "read") + " lock on a file not open for it");
        }
    }

    private byte[] newOther() {
        return ByteBuffer.allocate(StateId.OTHER_SIZE).putInt(identity.bootEpoch())
                .putLong(++counter).array();
    }

    private static int epochOf(StateId id) {
        return ByteBuffer.wrap(id.other()).getInt(0);
    }

    /**
     * The state a non-special stateid names, for this client (RFC 8881 section 8.2.2-8.2.3).
     */
    private Stateful find(ClientRecord client, StateId id) throws NfsException {
        if (id.isSpecial()) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "special stateid " + id);
        }
        byte[] other = id.other();
        if (ByteBuffer.wrap(other).getInt(0) != identity.bootEpoch()) {
            throw new NfsException(Nfs4Status.NFS4ERR_STALE_STATEID, "stateid of an earlier boot");
        }
        Stateful s = byOther.get(ByteBuffer.wrap(other));
        if (s == null || s.client != client) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "unknown stateid " + id);
        }
        if (id.seqid() != 0) {
            int c = Integer.compareUnsigned(id.seqid(), s.seqid());
            if (c > 0) {
                throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "seqid from the future");
            }
            if (c < 0) {
                throw new NfsException(Nfs4Status.NFS4ERR_OLD_STATEID, "superseded seqid");
            }
        }
        return s;
    }

    private OpenState openState(ClientRecord client, Inode file, StateId id) throws NfsException {
        Stateful s = find(client, id);
        if (!(s instanceof OpenState o)) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "not an open stateid");
        }
        if (!o.file.inode.equals(file)) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "open of another file");
        }
        return o;
    }

    private LockState lockState(ClientRecord client, Inode file, StateId id) throws NfsException {
        Stateful s = find(client, id);
        if (!(s instanceof LockState l)) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "not a lock stateid");
        }
        if (!l.file.inode.equals(file)) {
            throw new NfsException(Nfs4Status.NFS4ERR_BAD_STATEID, "lock of another file");
        }
        return l;
    }

    private void removeOpen(OpenState o) {
        for (LockState ls : List.copyOf(o.lockStates)) {
            removeLockState(ls);
        }
        FileState f = o.file;
        f.opens.remove(o);
        byOther.remove(ByteBuffer.wrap(o.other));
        if (f.opens.isEmpty()) {
            files.remove(f.inode, f);
        }
    }

    private void removeLockState(LockState ls) {
        ls.file.locks.releaseAll(ls.owner);
        ls.file.lockStates.remove(ls.owner, ls);
        ls.open.lockStates.remove(ls);
        byOther.remove(ByteBuffer.wrap(ls.other));
    }
}
