package org.fsnap.server.rpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.fsnap.server.vfs.Caller;

/**
 * Turns an RPC credential into a {@link Caller}: AUTH_SYS as given, AUTH_NONE as the
 * anonymous user, and root squashed to the anonymous user unless the export allows root.
 */
public final class CredentialMapper {
    private final boolean rootSquash;
    private final int anonUid;
    private final int anonGid;

    public CredentialMapper(boolean rootSquash, int anonUid, int anonGid) {
        this.rootSquash = rootSquash;
        this.anonUid = anonUid;
        this.anonGid = anonGid;
    }

    public Caller map(RpcCall call) {
        InetAddress client = clientAddress(call);
        RpcAuth auth = call.getCredential();
        if (auth instanceof RpcAuthTypeUnix unix) {
            return map(unix.uid(), unix.gid(), unix.gids(), client);
        }
        return new Caller(anonUid, anonGid, new int[0], client);
    }

    Caller map(int uid, int gid, int[] gids, InetAddress client) {
        if (rootSquash && uid == 0) {
            return new Caller(anonUid, anonGid, new int[0], client);
        }
        return new Caller(uid, gid, gids, client);
    }

    private static InetAddress clientAddress(RpcCall call) {
        InetSocketAddress remote = call.getTransport().getRemoteSocketAddress();
        return remote == null ? null : remote.getAddress();
    }
}
