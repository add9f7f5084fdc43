package org.fsnap.server.state;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client records by client id and by owner, with the EXCHANGE_ID rules of RFC 8881
 * section 18.35.5, confirmation by CREATE_SESSION, and lease expiry.
 */
public final class ClientTable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTable.class);

    private final Map<Long, ClientRecord> byId = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, ClientRecord> confirmedByOwner = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, ClientRecord> unconfirmedByOwner = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final List<Consumer<ClientRecord>> removalListeners = new CopyOnWriteArrayList<>();
    private final ServerIdentity identity;
    private final ClientRecoveryStore recovery;
    private final GracePeriod grace;

    public ClientTable(ServerIdentity identity, ClientRecoveryStore recovery, GracePeriod grace) {
        this.identity = identity;
        this.recovery = recovery;
        this.grace = grace;
    }

    /** Called with every record that is dropped, so its state can be released. */
    public void onRemoval(Consumer<ClientRecord> listener) {
        removalListeners.add(listener);
    }

    /** The outcome of EXCHANGE_ID: the record to report and whether it is confirmed. */
    public record Exchange(ClientRecord client, boolean confirmed) {
    }

    public synchronized Exchange exchangeId(byte[] owner, byte[] verifier, boolean update, long now)
            throws NfsException {
        ByteBuffer key = ByteBuffer.wrap(owner.clone());
        ClientRecord confirmed = confirmedByOwner.get(key);
        if (update) {
            // Update of a confirmed record: only with the same verifier (cases 6-8).
            if (confirmed == null) {
                throw new NfsException(Nfs4Status.NFS4ERR_NOENT, "update of unknown client owner");
            }
            if (!confirmed.hasVerifier(verifier)) {
                throw new NfsException(Nfs4Status.NFS4ERR_NOT_SAME, "update with another verifier");
            }
            confirmed.renew(now);
            return new Exchange(confirmed, true);
        }
        if (confirmed != null && confirmed.hasVerifier(verifier)) {
            // Case 2: the same incarnation asks again.
            confirmed.renew(now);
            return new Exchange(confirmed, true);
        }
        // Cases 1, 4 and 5: a new incarnation; a stale unconfirmed record is replaced.
        ClientRecord stale = unconfirmedByOwner.remove(key);
        if (stale != null) {
            byId.remove(stale.clientId());
        }
        ClientRecord fresh = new ClientRecord(newClientId(), owner, verifier, now);
        fresh.setReclaiming(grace.mayReclaim(owner, now));
        unconfirmedByOwner.put(key, fresh);
        byId.put(fresh.clientId(), fresh);
        return new Exchange(fresh, false);
    }

    private long newClientId() {
        return ((long) identity.bootEpoch() << 32) | (counter.incrementAndGet() & 0xffffffffL);
    }

    /**
     * The record for a client id.
     *
     * @throws NfsException NFS4ERR_STALE_CLIENTID when unknown (expired, or from another boot)
     */
    public ClientRecord get(long clientId) throws NfsException {
        ClientRecord r = byId.get(clientId);
        if (r == null) {
            throw new NfsException(Nfs4Status.NFS4ERR_STALE_CLIENTID,
                    "unknown client id " + Long.toHexString(clientId));
        }
        return r;
    }

    /** Makes a record confirmed (first CREATE_SESSION); a previous incarnation is dropped. */
    public synchronized void confirm(ClientRecord record) {
        if (record.isConfirmed()) {
            return;
        }
        ByteBuffer key = ByteBuffer.wrap(record.ownerId());
        unconfirmedByOwner.remove(key, record);
        ClientRecord previous = confirmedByOwner.put(key, record);
        record.confirm();
        if (previous != null && previous != record) {
            LOG.info("{} replaces {} of the same owner (client restarted)", record, previous);
            drop(previous);
        }
        recovery.add(record.ownerId());
        LOG.info("{} confirmed{}", record, record.isReclaiming() ? " (may reclaim state)" : "");
    }

    /** DESTROY_CLIENTID: refused while sessions remain. */
    public synchronized void destroy(ClientRecord record) throws NfsException {
        if (!record.sessions().isEmpty()) {
            throw new NfsException(Nfs4Status.NFS4ERR_CLIENTID_BUSY, "client still has sessions");
        }
        remove(record);
        recovery.remove(record.ownerId());
    }

    private void remove(ClientRecord record) {
        ByteBuffer key = ByteBuffer.wrap(record.ownerId());
        confirmedByOwner.remove(key, record);
        unconfirmedByOwner.remove(key, record);
        drop(record);
    }

    private void drop(ClientRecord record) {
        byId.remove(record.clientId());
        record.sessions().clear();
        for (Consumer<ClientRecord> l : removalListeners) {
            l.accept(record);
        }
    }

    /** Drops clients whose lease ran out; returns how many. */
    public synchronized int expire(long now, long leaseNanos) {
        int n = 0;
        for (ClientRecord r : List.copyOf(byId.values())) {
            if (now - r.lastRenewNanos() > leaseNanos) {
                LOG.info("{} lease expired: releasing its state", r);
                remove(r);
                if (r.isConfirmed()) {
                    recovery.remove(r.ownerId());
                }
                n++;
            }
        }
        return n;
    }

    public GracePeriod grace() {
        return grace;
    }
}
