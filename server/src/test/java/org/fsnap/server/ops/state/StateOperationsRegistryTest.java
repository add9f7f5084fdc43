package org.fsnap.server.ops.state;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.ops.Nfs4Operations;
import org.junit.jupiter.api.Test;

class StateOperationsRegistryTest {

    @Test
    void registeredOnceAlongsideTheOtherGroups() {
        OperationRegistry r = Nfs4Operations.standard();
        for (int op : new int[] {OpCode.OPEN, OpCode.OPEN_DOWNGRADE, OpCode.CLOSE, OpCode.READ,
                OpCode.WRITE, OpCode.COMMIT, OpCode.LOCK, OpCode.LOCKT, OpCode.LOCKU,
                OpCode.FREE_STATEID, OpCode.TEST_STATEID, OpCode.DELEGRETURN,
                OpCode.GET_DIR_DELEGATION, OpCode.SEEK}) {
            assertNotNull(r.decoderFor(op), "opcode " + op);
        }
        for (int op : new int[] {OpCode.RELEASE_LOCKOWNER, OpCode.DELEGPURGE,
                OpCode.WANT_DELEGATION, OpCode.LAYOUTGET}) {
            assertNull(r.decoderFor(op), "opcode " + op + " stays NOTSUPP");
        }
    }
}
