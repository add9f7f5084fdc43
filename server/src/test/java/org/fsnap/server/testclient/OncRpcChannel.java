package org.fsnap.server.testclient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.OncRpcException;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeNone;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcTransport;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** RPC calls through oncrpc4j's client side (its own record marking and xid matching). */
public final class OncRpcChannel implements RpcChannel {
    private final OncRpcClient client;
    private final RpcTransport transport;
    private final long timeoutMillis;

    public OncRpcChannel(InetSocketAddress server, long timeoutMillis) throws IOException {
        this.client = new OncRpcClient(server.getAddress(), IpProtocolType.TCP, server.getPort());
        this.transport = client.connect(5, TimeUnit.SECONDS);
        this.timeoutMillis = timeoutMillis;
    }

    private static RpcAuth auth(AuthSys cred) {
        return cred.isNone() ? new RpcAuthTypeNone()
                : new RpcAuthTypeUnix(cred.uid(), cred.gid(), cred.gids(), cred.stamp(),
                        cred.machineName());
    }

    @Override
    public byte[] call(int program, int version, int procedure, AuthSys cred, byte[] args)
            throws IOException {
        RpcCall call = new RpcCall(program, version, auth(cred), transport);
        Raw result = new Raw(null);
        try {
            call.call(procedure, new Raw(args), result, timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no reply within " + timeoutMillis + " ms", e);
        } catch (OncRpcException e) {
            throw new RpcCallFailedException(e.toString());
        }
        return result.bytes;
    }

    /** Pre-encoded arguments out, all result bytes in. */
    private static final class Raw implements XdrAble {
        byte[] bytes;

        Raw(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void xdrEncode(XdrEncodingStream xdr) {
            xdr.xdrEncodeOpaque(bytes, 0, bytes.length);
        }

        @Override
        public void xdrDecode(XdrDecodingStream xdr) throws IOException {
            Xdr x = (Xdr) xdr;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (x.hasMoreData()) {
                int v = x.xdrDecodeInt();
                out.write(v >>> 24);
                out.write(v >>> 16);
                out.write(v >>> 8);
                out.write(v);
            }
            bytes = out.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
