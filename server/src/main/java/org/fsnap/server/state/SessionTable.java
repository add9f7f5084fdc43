package org.fsnap.server.state;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;

/** Sessions by session id (RFC 8881 section 2.10). */
public final class SessionTable {
    public static final int SESSION_ID_SIZE = 16;

    private final Map<ByteBuffer, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public Session create(ClientRecord client, ChannelAttributes fore, ChannelAttributes back,
                          int flags) {
        byte[] id = new byte[SESSION_ID_SIZE];
        random.nextBytes(id);
        Session s = new Session(id, client, fore, back, flags);
        sessions.put(ByteBuffer.wrap(id), s);
        client.sessions().add(s);
        return s;
    }

    /**
     * The live session with this id.
     *
     * @throws NfsException NFS4ERR_BADSESSION when unknown, destroyed or its client expired
     */
    public Session get(byte[] id) throws NfsException {
        Session s = sessions.get(ByteBuffer.wrap(id));
        if (s == null || !s.client().sessions().contains(s)) {
            throw new NfsException(Nfs4Status.NFS4ERR_BADSESSION, "unknown session");
        }
        return s;
    }

    public void destroy(Session s) {
        sessions.remove(ByteBuffer.wrap(s.sessionId()));
        s.client().sessions().remove(s);
    }

    /** Forgets every session of a dropped client. */
    public void dropClient(ClientRecord client) {
        sessions.values().removeIf(s -> s.client() == client);
    }
}
