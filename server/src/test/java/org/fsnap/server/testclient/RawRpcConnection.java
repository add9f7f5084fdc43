package org.fsnap.server.testclient;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ONC RPC over a plain TCP socket with record marking done here (RFC 5531 section 11), so
 * that tests can send anything: well-formed calls, garbage, truncated records, lying
 * fragment headers. Replies are read with a size cap and a timeout. Not thread-safe.
 */
public final class RawRpcConnection implements RpcChannel {
    public static final int LAST_FRAGMENT = 0x80000000;
    /** Largest reply record accepted; an answer beyond it is a broken server in these tests. */
    public static final int MAX_REPLY = 16 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int xid = ThreadLocalRandom.current().nextInt();
    private Duration timeout = Duration.ofSeconds(20);

    public RawRpcConnection(InetSocketAddress server) throws IOException {
        this(server, null);
    }

    /**
     * Connected from {@code local}: another loopback address (127.0.0.2) to look like another
     * client, or a port below 1024 (needs root) to look like a kernel client; null for any.
     */
    public RawRpcConnection(InetSocketAddress server, InetSocketAddress local) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        if (local != null) {
            socket.setReuseAddress(true);
            socket.bind(local);
        }
        socket.connect(server, 5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** How long reads wait for the server. */
    public RawRpcConnection timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    public int nextXid() {
        return ++xid;
    }

    /** A CALL message (without record marking) for the given procedure. */
    public static byte[] callMessage(int xid, int program, int version, int procedure,
                                     AuthSys cred, byte[] args) {
        XdrWriter w = new XdrWriter().writeInt(xid).writeInt(0).writeInt(2).writeInt(program)
                .writeInt(version).writeInt(procedure);
        cred.encode(w);
        w.writeInt(0).writeOpaque(new byte[0]); // verifier: AUTH_NONE
        return w.writeRaw(args).toByteArray();
    }

    /** Sends bytes exactly as given: no record marking. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code payload} as one record of one (last) fragment. */
    public void sendRecord(byte[] payload) throws IOException {
        sendFragment(payload, true);
    }

    /** Sends one fragment with a truthful header. */
    public void sendFragment(byte[] payload, boolean last) throws IOException {
        XdrWriter w = new XdrWriter().writeInt((last ? LAST_FRAGMENT : 0) | payload.length);
        sendRaw(w.writeRaw(payload).toByteArray());
    }

    /** Sends only a record-marking header, claiming {@code length} bytes to follow. */
    public void sendFragmentHeader(int length, boolean last) throws IOException {
        sendRaw(new XdrWriter().writeInt((last ? LAST_FRAGMENT : 0) | length).toByteArray());
    }

    /** Reads one whole reply record (all fragments). */
    public byte[] readRecord() throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        boolean last = false;
        while (!last) {
            int header = in.readInt();
            last = (header & LAST_FRAGMENT) != 0;
            int len = header & ~LAST_FRAGMENT;
            if (len > MAX_REPLY - record.size()) {
                throw new IOException("reply record over " + MAX_REPLY + " bytes");
            }
            byte[] frag = new byte[len];
            in.readFully(frag);
            record.writeBytes(frag);
        }
        return record.toByteArray();
    }

    public RpcReplyMessage readReply() throws IOException {
        return RpcReplyMessage.parse(readRecord());
    }

    /** What the server did after something was sent. */
    public enum Outcome { REPLIED, CLOSED, SILENT }

    /**
     * Waits up to {@code wait} for the server: a reply record, the connection closed (EOF
     * or reset), or nothing. A reply read here is returned by {@link #lastReply()}.
     */
    public Outcome awaitOutcome(Duration wait) throws IOException {
        Duration saved = timeout;
        timeout = wait;
        try {
            lastReply = readReply();
            return Outcome.REPLIED;
        } catch (EOFException e) {
            return Outcome.CLOSED;
        } catch (SocketTimeoutException e) {
            return Outcome.SILENT;
        } catch (SocketException e) {
            return Outcome.CLOSED; // connection reset
        } finally {
            timeout = saved;
        }
    }

    private RpcReplyMessage lastReply;

    public RpcReplyMessage lastReply() {
        return lastReply;
    }

    @Override
    public byte[] call(int program, int version, int procedure, AuthSys cred, byte[] args)
            throws IOException {
        RpcReplyMessage reply = callForReply(program, version, procedure, cred, args);
        if (!reply.isSuccess()) {
            throw new RpcCallFailedException(reply);
        }
        return reply.results();
    }

    /** One call; the reply whatever its status. */
    public RpcReplyMessage callForReply(int program, int version, int procedure, AuthSys cred,
                                        byte[] args) throws IOException {
        int id = nextXid();
        sendRecord(callMessage(id, program, version, procedure, cred, args));
        RpcReplyMessage reply = readReply();
        if (reply.xid() != id) {
            throw new IOException("reply xid " + reply.xid() + " for call " + id);
        }
        return reply;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
