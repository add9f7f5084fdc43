package org.fsnap.server.rpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fsnap.server.nfs.OpCode;
import org.junit.jupiter.api.Test;

class WorkPlacementTest {

    @Test
    void metadataCompoundsRunInline() {
        assertTrue(WorkPlacement.standalone().runsInline(List.of(OpCode.SEQUENCE, OpCode.PUTFH, OpCode.REMOVE)));
        assertTrue(WorkPlacement.standalone().runsInline(List.of(OpCode.SEQUENCE, OpCode.PUTFH, OpCode.OPEN,
                OpCode.GETFH, OpCode.ACCESS, OpCode.GETATTR)));
        assertTrue(WorkPlacement.standalone().runsInline(List.of(OpCode.SEQUENCE, OpCode.PUTFH, OpCode.CLOSE)));
        assertTrue(WorkPlacement.standalone().runsInline(List.of()));
    }

    @Test
    void dataListingsSnapshotControlAndClientRecordsGoToTheWorkers() {
        for (int slow : new int[] {OpCode.READ, OpCode.WRITE, OpCode.COMMIT, OpCode.READDIR,
                OpCode.SETATTR, OpCode.GETXATTR, OpCode.SETXATTR, OpCode.LISTXATTRS, OpCode.REMOVEXATTR,
                OpCode.OPENATTR, OpCode.EXCHANGE_ID, OpCode.CREATE_SESSION, OpCode.DESTROY_CLIENTID,
                OpCode.RECLAIM_COMPLETE, OpCode.COPY}) {
            assertFalse(WorkPlacement.standalone().runsInline(List.of(OpCode.SEQUENCE, OpCode.PUTFH, slow)), "op " + slow);
        }
    }

    @Test
    void unknownAndIllegalOperationsGoToTheWorkers() {
        assertFalse(WorkPlacement.standalone().runsInline(List.of(OpCode.ILLEGAL)));
        assertFalse(WorkPlacement.standalone().runsInline(List.of(-1)));
        assertFalse(WorkPlacement.standalone().runsInline(List.of(OpCode.REMOVEXATTR + 1)));
    }

    @Test
    void aClusterNodeHandsOverWhatMayWaitForAClusterLock() {
        WorkPlacement node = WorkPlacement.clusterNode();
        for (int op : new int[] {OpCode.REMOVE, OpCode.RENAME, OpCode.LINK, OpCode.OPEN}) {
            assertTrue(WorkPlacement.standalone().runsInline(List.of(OpCode.SEQUENCE, OpCode.PUTFH, op)), "op " + op);
            assertFalse(node.runsInline(List.of(OpCode.SEQUENCE, OpCode.PUTFH, op)), "op " + op);
        }
        assertTrue(node.runsInline(List.of(OpCode.SEQUENCE, OpCode.PUTFH, OpCode.GETATTR, OpCode.CLOSE)));
    }
}
