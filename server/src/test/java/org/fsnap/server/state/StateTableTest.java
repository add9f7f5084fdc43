package org.fsnap.server.state;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.state.StateTable.ACCESS_BOTH;
import static org.fsnap.server.state.StateTable.ACCESS_READ;
import static org.fsnap.server.state.StateTable.ACCESS_WRITE;
import static org.fsnap.server.state.StateTable.DENY_NONE;
import static org.fsnap.server.state.StateTable.DENY_WRITE;
import static org.fsnap.server.state.StateTable.READ_LT;
import static org.fsnap.server.state.StateTable.TO_END;
import static org.fsnap.server.state.StateTable.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateTableTest {
    private ServerIdentity identity;
    private ClientTable clients;
    private StateTable states;
    private ClientRecord a;
    private ClientRecord b;
    private final Inode f1 = new Inode(new byte[] {1}, FileType.REGULAR);
    private final Inode f2 = new Inode(new byte[] {2}, FileType.REGULAR);

    @BeforeEach
    void setUp() throws Exception {
        identity = new ServerIdentity("t");
        GracePeriod grace = new GracePeriod(Set.of(), 0, System.nanoTime());
        clients = new ClientTable(identity, new ClientRecoveryStore(null), grace);
        states = new StateTable(identity, clients);
        a = client("a");
        b = client("b");
    }

    private ClientRecord client(String owner) throws NfsException {
        ClientRecord c = clients.exchangeId(owner.getBytes(StandardCharsets.UTF_8), new byte[8],
                false, System.nanoTime()).client();
        clients.confirm(c);
        return c;
    }

    private static byte[] o(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int status(ThrowingRunnable r) {
        try {
            r.run();
            return NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    interface ThrowingRunnable {
        void run() throws NfsException;
    }

    @Test
    void stateidLayoutAndSeqids() throws NfsException {
        StateId s = states.open(a, o("x"), f1, ACCESS_READ, DENY_NONE).stateId();
        assertEquals(1, s.seqid());
        assertEquals(identity.bootEpoch(), ByteBuffer.wrap(s.other()).getInt(0));
        StateId s2 = states.open(a, o("x"), f1, ACCESS_WRITE, DENY_NONE).stateId();
        assertTrue(s.sameOther(s2));
        assertEquals(2, s2.seqid());
        assertEquals(NFS4ERR_OLD_STATEID, states.test(a, s));
        assertEquals(NFS4_OK, states.test(a, s2));
        assertEquals(NFS4_OK, states.test(a, new StateId(0, s.other())));
        assertEquals(NFS4ERR_BAD_STATEID, states.test(a, new StateId(3, s.other())));
        assertEquals(NFS4ERR_BAD_STATEID, states.test(b, s2));
        assertEquals(NFS4ERR_BAD_STATEID, states.test(a, StateId.ANONYMOUS));
        byte[] stale = s.other();
        ByteBuffer.wrap(stale).putInt(0, identity.bootEpoch() ^ 1);
        assertEquals(NFS4ERR_STALE_STATEID, states.test(a, new StateId(1, stale)));
    }

    @Test
    void undoOpenRestoresOrRemoves() throws NfsException {
        StateTable.OpenGrant g = states.open(a, o("x"), f1, ACCESS_READ, DENY_NONE);
        assertTrue(g.isNew());
        StateTable.OpenGrant up = states.open(a, o("x"), f1, ACCESS_WRITE, DENY_WRITE);
        assertFalse(up.isNew());
        states.undoOpen(up);
        assertEquals(NFS4_OK, states.test(a, g.stateId()), "seqid back to 1");
        // The deny of the undone upgrade is gone.
        states.open(b, o("y"), f1, ACCESS_WRITE, DENY_NONE);
        states.undoOpen(g);
        assertEquals(NFS4ERR_BAD_STATEID, states.test(a, g.stateId()));
        assertEquals(1, states.openCount(f1));
    }

    @Test
    void checkIoRules() throws NfsException {
        StateId r = states.open(a, o("r"), f1, ACCESS_READ, DENY_WRITE).stateId();
        assertTrue(states.checkIo(a, f1, r, false));
        assertEquals(NFS4ERR_OPENMODE, status(() -> states.checkIo(a, f1, r, true)));
        assertEquals(NFS4ERR_BAD_STATEID, status(() -> states.checkIo(a, f2, r, false)));
        assertFalse(states.checkIo(a, f1, StateId.ANONYMOUS, false));
        assertEquals(NFS4ERR_LOCKED, status(() -> states.checkIo(b, f1, StateId.ANONYMOUS, true)));
        assertEquals(NFS4ERR_LOCKED,
                status(() -> states.checkIo(b, f1, StateId.READ_BYPASS, true)));
        assertFalse(states.checkIo(b, f2, StateId.ANONYMOUS, true));
        assertEquals(NFS4ERR_BAD_STATEID, status(() -> states.checkIo(a, f1, StateId.INVALID,
                false)));
    }

    @Test
    void locksThroughTheTable() throws NfsException {
        StateId open = states.open(a, o("x"), f1, ACCESS_BOTH, DENY_NONE).stateId();
        StateTable.LockOutcome l = states.lockNewOwner(a, f1, open, o("l"), WRITE_LT, 0, 100);
        assertTrue(l.granted());
        StateOwner owner = new StateOwner(a.clientId(), o("l"));
        states.lock(a, f1, l.stateId(), READ_LT, 10, 10);
        assertEquals(3, states.locksOf(f1, owner).size());
        StateId u = states.unlock(a, f1, new StateId(0, l.stateId().other()), 0, TO_END);
        assertEquals(3, u.seqid());
        assertTrue(states.locksOf(f1, owner).isEmpty());
        assertNull(states.testLock(b, f1, o("l"), WRITE_LT, 0, TO_END));
        assertEquals(NFS4ERR_LOCKS_HELD, status(() -> states.free(a, open)));
        states.free(a, u);
        assertEquals(1, states.stateCount());
    }

    @Test
    void removedClientsStateIsReleased() throws NfsException {
        StateId open = states.open(a, o("x"), f1, ACCESS_BOTH, DENY_WRITE).stateId();
        states.lockNewOwner(a, f1, open, o("l"), WRITE_LT, 0, TO_END);
        states.open(a, o("x"), f2, ACCESS_READ, DENY_NONE);
        assertEquals(NFS4ERR_SHARE_DENIED,
                status(() -> states.open(b, o("y"), f1, ACCESS_WRITE, DENY_NONE)));
        // The same owner starting over (a new verifier) replaces the old incarnation.
        ClientRecord again = clients.exchangeId(o("a"), new byte[] {1, 1, 1, 1, 1, 1, 1, 1},
                false, System.nanoTime()).client();
        clients.confirm(again);
        assertEquals(0, states.stateCount());
        states.open(b, o("y"), f1, ACCESS_WRITE, DENY_NONE);
        assertEquals(NFS4ERR_BAD_STATEID, states.test(again, open));
    }

    @Test
    void concurrentOpensLocksAndClosesKeepTheTableConsistent() throws Exception {
        int threads = 8;
        int rounds = 2000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger denied = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ClientRecord c = t % 2 == 0 ? a : b;
            byte[] owner = o("owner" + t);
            workers.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        Inode f = i % 3 == 0 ? f2 : f1;
                        StateId open = states.open(c, owner, f, ACCESS_BOTH, DENY_NONE).stateId();
                        StateTable.LockOutcome l = states.lockNewOwner(c, f, open, owner,
                                i % 2 == 0 ? WRITE_LT : READ_LT, i % 50, 10);
                        if (l.granted()) {
                            states.checkIo(c, f, l.stateId(), true);
                            states.unlock(c, f, l.stateId(), 0, TO_END);
                        } else {
                            denied.incrementAndGet();
                        }
                        states.close(c, f, new StateId(0, open.other()));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, states.stateCount());
        assertEquals(0, states.openCount(f1));
        assertEquals(0, states.openCount(f2));
        assertThrows(NfsException.class, () -> states.free(a, StateId.ANONYMOUS));
    }
}
