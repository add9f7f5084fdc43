package org.fsnap.server.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTableTest {
    private static final byte[] OWNER = "linux-client-1".getBytes();
    private static final byte[] V1 = {1, 1, 1, 1, 1, 1, 1, 1};
    private static final byte[] V2 = {2, 2, 2, 2, 2, 2, 2, 2};

    @TempDir
    Path dir;

    private ClientTable table() throws Exception {
        return new ClientTable(new ServerIdentity("test"), new ClientRecoveryStore(dir),
                new GracePeriod(Set.of(), 0, 0));
    }

    @Test
    void sameIncarnationGetsTheSameConfirmedRecord() throws Exception {
        ClientTable t = table();
        ClientTable.Exchange first = t.exchangeId(OWNER, V1, false, 0);
        assertFalse(first.confirmed());
        assertEquals(1, first.client().nextCreateSessionSeq());
        t.confirm(first.client());
        ClientTable.Exchange again = t.exchangeId(OWNER, V1, false, 1);
        assertTrue(again.confirmed());
        assertSame(first.client(), again.client());
    }

    @Test
    void rebootedClientReplacesTheOldRecordOnConfirmation() throws Exception {
        ClientTable t = table();
        List<ClientRecord> removed = new ArrayList<>();
        t.onRemoval(removed::add);
        ClientRecord old = t.exchangeId(OWNER, V1, false, 0).client();
        t.confirm(old);
        ClientRecord fresh = t.exchangeId(OWNER, V2, false, 1).client();
        assertNotEquals(old.clientId(), fresh.clientId());
        assertSame(old, t.get(old.clientId()), "old record lives until the new one is confirmed");
        t.confirm(fresh);
        assertEquals(List.of(old), removed);
        NfsException e = assertThrows(NfsException.class, () -> t.get(old.clientId()));
        assertEquals(Nfs4Status.NFS4ERR_STALE_CLIENTID, e.status());
    }

    @Test
    void updateNeedsAConfirmedRecordWithTheSameVerifier() throws Exception {
        ClientTable t = table();
        assertEquals(Nfs4Status.NFS4ERR_NOENT,
                assertThrows(NfsException.class, () -> t.exchangeId(OWNER, V1, true, 0)).status());
        ClientRecord r = t.exchangeId(OWNER, V1, false, 0).client();
        t.confirm(r);
        assertEquals(Nfs4Status.NFS4ERR_NOT_SAME,
                assertThrows(NfsException.class, () -> t.exchangeId(OWNER, V2, true, 0)).status());
        assertSame(r, t.exchangeId(OWNER, V1, true, 0).client());
    }

    @Test
    void leaseExpiryDropsTheClient() throws Exception {
        ClientTable t = table();
        ClientRecord r = t.exchangeId(OWNER, V1, false, 0).client();
        t.confirm(r);
        r.renew(100);
        assertEquals(0, t.expire(150, 100));
        assertEquals(1, t.expire(201, 100));
        assertThrows(NfsException.class, () -> t.get(r.clientId()));
    }

    @Test
    void destroyIsRefusedWhileSessionsRemain() throws Exception {
        ClientTable t = table();
        ClientRecord r = t.exchangeId(OWNER, V1, false, 0).client();
        t.confirm(r);
        SessionTable sessions = new SessionTable();
        Session s = sessions.create(r, new ChannelAttributes(0, 1, 1, 1, 8, 4),
                new ChannelAttributes(0, 1, 1, 1, 1, 1), 0);
        assertEquals(Nfs4Status.NFS4ERR_CLIENTID_BUSY,
                assertThrows(NfsException.class, () -> t.destroy(r)).status());
        sessions.destroy(s);
        t.destroy(r);
        assertThrows(NfsException.class, () -> t.get(r.clientId()));
    }

    @Test
    void confirmedOwnersMayReclaimAfterRestart() throws Exception {
        ClientTable t = table();
        t.confirm(t.exchangeId(OWNER, V1, false, 0).client());
        // A restart: the recovery store is read again and a grace period begins.
        Set<byte[]> previous = new ClientRecoveryStore(dir).previousOwners();
        assertEquals(1, previous.size());
        GracePeriod grace = new GracePeriod(previous, 1_000, 0);
        ClientTable restarted = new ClientTable(new ServerIdentity("test"),
                new ClientRecoveryStore(dir), grace);
        ClientRecord again = restarted.exchangeId(OWNER, V1, false, 10).client();
        assertTrue(again.isReclaiming());
        assertTrue(grace.inGrace(10));
        grace.reclaimComplete(OWNER);
        assertFalse(grace.inGrace(11));
    }
}
