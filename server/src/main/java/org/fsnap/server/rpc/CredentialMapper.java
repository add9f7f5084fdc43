package org.fsnap.server.rpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.fsnap.server.vfs.Caller;

/**
 * Turns an RPC credential into a {@link Caller}: AUTH_SYS as given, AUTH_NONE (and any other
 * flavour) as an anonymous caller (65534 until its export names its anonuid/anongid), each
 * with the client's address and source port.
 * Squashing is not done here: it depends on the export and the client's entry in it, so the
 * export gate ({@code vfs.export.ExportGate}) does it.
 */
public final class CredentialMapper {
    /** Where a call with no known peer appears to come from: matches only {@code *} entries. */
    static final InetAddress UNKNOWN_PEER = InetAddress.ofLiteral("0.0.0.0");

    public Caller map(RpcCall call) {
        InetSocketAddress remote = call.getTransport().getRemoteSocketAddress();
        RpcAuth auth = call.getCredential();
        if (auth instanceof RpcAuthTypeUnix unix) {
            return map(unix.uid(), unix.gid(), unix.gids(), remote);
        }
        return remote == null || remote.getAddress() == null
                ? Caller.anonymous(UNKNOWN_PEER, 65535)
                : Caller.anonymous(remote.getAddress(), remote.getPort());
    }

    /**
     * The caller for these credentials from {@code remote}. Never without a client address (a caller
     * without one is the server itself); an unknown peer is 0.0.0.0 from an unprivileged port.
     */
    static Caller map(int uid, int gid, int[] gids, InetSocketAddress remote) {
        if (remote == null || remote.getAddress() == null) {
            return new Caller(uid, gid, gids, UNKNOWN_PEER, 65535);
        }
        return new Caller(uid, gid, gids, remote.getAddress(), remote.getPort());
    }
}
