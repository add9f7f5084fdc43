package org.fsnap.server.rpc;

import java.util.List;
import org.fsnap.server.nfs.OpCode;

/**
 * Decides where a COMPOUND runs: at once on the I/O thread that read it, or on the worker pool.
 *
 * <p>Metadata work (look up, open, create, remove, close, attributes) is a few system calls;
 * handing it to another thread costs a wake-up that on a busy machine is longer than the work
 * itself (with the Linux client creating and removing 500 small files, a hand-off for every
 * call made it take twice as long). Everything that moves file data, lists directories or may
 * wait for long (a disk flush, snapshot control with its clones and cluster locks, client
 * records written to disk) goes to the pool, so that it never holds up the other connections
 * served by the same I/O thread.
 */
public final class WorkPlacement {
    private static final int[] METADATA = {
            OpCode.SEQUENCE, OpCode.PUTFH, OpCode.PUTROOTFH, OpCode.PUTPUBFH, OpCode.GETFH,
            OpCode.SAVEFH, OpCode.RESTOREFH, OpCode.LOOKUP, OpCode.LOOKUPP, OpCode.GETATTR,
            OpCode.ACCESS, OpCode.VERIFY, OpCode.NVERIFY, OpCode.OPEN, OpCode.CLOSE,
            OpCode.OPEN_DOWNGRADE, OpCode.CREATE, OpCode.REMOVE, OpCode.RENAME, OpCode.LINK,
            OpCode.READLINK, OpCode.LOCK, OpCode.LOCKT, OpCode.LOCKU, OpCode.TEST_STATEID,
            OpCode.FREE_STATEID, OpCode.DELEGRETURN, OpCode.SECINFO, OpCode.SECINFO_NO_NAME,
            OpCode.BIND_CONN_TO_SESSION, OpCode.DESTROY_SESSION};
    /**
     * Metadata that can reach a file's snapshot lock: removing, renaming or linking a file with
     * snapshots updates its history, and opening with truncation waits for a snapshot being taken.
     * On a cluster node that lock is the cluster's, which may wait for seconds.
     */
    private static final int[] MAY_WAIT_FOR_THE_CLUSTER = {OpCode.REMOVE, OpCode.RENAME, OpCode.LINK, OpCode.OPEN};

    private final boolean[] quick = new boolean[OpCode.REMOVEXATTR + 1];

    private WorkPlacement(int[] inline, int[] except) {
        for (int op : inline) {
            quick[op] = true;
        }
        for (int op : except) {
            quick[op] = false;
        }
    }

    /**
     * A server alone with its export. A snapshot being taken of a file holds up a REMOVE or
     * truncating OPEN of that same file on the I/O thread for as long as the snapshot takes.
     */
    public static WorkPlacement standalone() {
        return new WorkPlacement(METADATA, new int[0]);
    }

    /** A node of a snapshot cluster: nothing that may wait for a cluster lock runs inline. */
    public static WorkPlacement clusterNode() {
        return new WorkPlacement(METADATA, MAY_WAIT_FOR_THE_CLUSTER);
    }

    /** Whether every operation of the COMPOUND is quick metadata work. */
    boolean runsInline(List<Integer> opcodes) {
        for (int op : opcodes) {
            if (op < 0 || op >= quick.length || !quick[op]) {
                return false;
            }
        }
        return true;
    }
}
