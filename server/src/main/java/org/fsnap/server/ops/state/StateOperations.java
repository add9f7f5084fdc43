package org.fsnap.server.ops.state;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;

/**
 * Registers the state operations: opens, I/O, locks and stateid management. Not offered
 * (so NFS4ERR_NOTSUPP): RELEASE_LOCKOWNER (NFSv4.0 only), DELEGPURGE and WANT_DELEGATION
 * (no delegations), OPENATTR, the pNFS layout operations, and the NFSv4.2 operations other
 * than SEEK.
 */
public final class StateOperations {
    private StateOperations() {
    }

    public static void register(OperationRegistry registry) {
        registry.register(OpCode.OPEN, OpenOperation::decode);
        registry.register(OpCode.OPEN_DOWNGRADE, OpenDowngradeOperation::decode);
        registry.register(OpCode.CLOSE, CloseOperation::decode);
        registry.register(OpCode.READ, ReadOperation::decode);
        registry.register(OpCode.WRITE, WriteOperation::decode);
        registry.register(OpCode.COMMIT, CommitOperation::decode);
        registry.register(OpCode.LOCK, LockOperation::decode);
        registry.register(OpCode.LOCKT, LocktOperation::decode);
        registry.register(OpCode.LOCKU, LockuOperation::decode);
        registry.register(OpCode.FREE_STATEID, FreeStateidOperation::decode);
        registry.register(OpCode.TEST_STATEID, TestStateidOperation::decode);
        registry.register(OpCode.DELEGRETURN, DelegReturnOperation::decode);
        registry.register(OpCode.GET_DIR_DELEGATION, GetDirDelegationOperation::decode);
        registry.register(OpCode.SEEK, SeekOperation::decode);
    }
}
