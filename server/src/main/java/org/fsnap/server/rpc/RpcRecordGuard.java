package org.fsnap.server.rpc;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.dcache.oncrpc4j.rpc.RpcMessageParserTCP;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.Processor;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards oncrpc4j's TCP receive path against input that would make it allocate without
 * limit, and against garbage it would silently swallow.
 *
 * <p>Two weaknesses of oncrpc4j 3.4.2 are covered:
 * <ul>
 *   <li>{@link RpcMessageParserTCP} buffers a record until all of it has arrived, whatever
 *       the record-marking header claims (2 GiB per fragment, any number of fragments).</li>
 *   <li>The call header's AUTH_SYS credential is decoded with {@code xdrDecodeString} and
 *       {@code xdrDecodeIntVector}, which allocate the array a length field names (checked
 *       only for being non-negative) before looking at the data: a 60-byte call can ask for
 *       gigabytes.</li>
 * </ul>
 *
 * <p>This filter sits just before the record parser and follows the record marking of
 * RFC 5531 section 11 as bytes stream by, without consuming them. It copies at most the
 * first {@value #MAX_HEADER} bytes of each record to check the RPC header (section 9 and
 * appendix A). It closes the connection, as Linux's knfsd does with bad records, when
 * <ul>
 *   <li>a record (all fragments) would exceed the limit, or has over
 *       {@value #MAX_FRAGMENTS} fragments;</li>
 *   <li>a record's msg_type is neither CALL nor (when allowed) REPLY;</li>
 *   <li>a credential or verifier body is over 400 bytes, or an AUTH_SYS / RPCSEC_GSS
 *       credential's inner lengths do not fit its body (machine name at most 255 bytes,
 *       at most 16 groups);</li>
 *   <li>a record ends inside its RPC header.</li>
 * </ul>
 *
 * <p>Install after {@link OncRpcSvc#start()} with {@link #install(OncRpcSvc, int, boolean)}.
 */
public final class RpcRecordGuard extends BaseFilter {
    private static final Logger LOG = LoggerFactory.getLogger(RpcRecordGuard.class);
    private static final int LAST_FRAGMENT = 0x80000000;
    /**
     * Fragments per record: the parser rescans all of a record's fragment headers on every
     * read, so thousands of tiny fragments would cost quadratic time. Clients send one.
     */
    static final int MAX_FRAGMENTS = 1024;
    /** opaque_auth bodies are at most 400 bytes (RFC 5531 section 8.2). */
    static final int MAX_AUTH_BODY = 400;
    /** xid, msg_type, rpcvers, prog, vers, proc, credential, verifier flavor and length. */
    static final int MAX_HEADER = 24 + 8 + MAX_AUTH_BODY + 8;
    private static final int CALL = 0;
    private static final int REPLY = 1;
    private static final int AUTH_SYS = 1;
    private static final int RPCSEC_GSS = 6;
    private static final int MAX_MACHINE_NAME = 255;
    private static final int MAX_GIDS = 16;

    private final int maxRecordBytes;
    private final boolean allowReplies;
    private final Attribute<RecordState> state =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(RpcRecordGuard.class.getName());

    /**
     * @param maxRecordBytes the largest record accepted (all fragments together)
     * @param allowReplies whether clients may send REPLY messages (only with a back channel
     *     on which the server sends calls)
     */
    public RpcRecordGuard(int maxRecordBytes, boolean allowReplies) {
        if (maxRecordBytes < MAX_HEADER) {
            throw new IllegalArgumentException("maxRecordBytes " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
        this.allowReplies = allowReplies;
    }

    /** Where one connection is in its stream of fragments. */
    private static final class RecordState {
        /** Bytes of the fragment header read so far (0-3) and their value. */
        int headerBytes;
        int header;
        /** Payload bytes of the current fragment still to come. */
        long fragmentLeft;
        boolean lastFragment;
        /** Payload bytes of the current record announced so far. */
        long recordBytes;
        int fragments;
        /** The start of the record, kept until its RPC header has been checked. */
        final byte[] head = new byte[MAX_HEADER];
        int headLength;
        boolean headChecked;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (!(ctx.getMessage() instanceof Buffer buffer)) {
            return ctx.getInvokeAction();
        }
        Connection<?> connection = ctx.getConnection();
        RecordState s = state.get(connection);
        if (s == null) {
            s = new RecordState();
            state.set(connection, s);
        }
        String problem = scan(s, buffer);
        if (problem != null) {
            LOG.info("closing connection from {}: {}", connection.getPeerAddress(), problem);
            connection.closeSilently();
            return ctx.getStopAction();
        }
        return ctx.getInvokeAction();
    }

    /** Follows the record marking over the buffer's bytes; a reason to close, or null. */
    private String scan(RecordState s, Buffer b) {
        int pos = b.position();
        int end = b.limit();
        while (pos < end) {
            if (s.fragmentLeft > 0) {
                int n = (int) Math.min(s.fragmentLeft, end - pos);
                if (!s.headChecked) {
                    int copy = Math.min(n, MAX_HEADER - s.headLength);
                    for (int i = 0; i < copy; i++) {
                        s.head[s.headLength++] = b.get(pos + i);
                    }
                    String bad = checkHead(s);
                    if (bad != null) {
                        return bad;
                    }
                }
                pos += n;
                s.fragmentLeft -= n;
                if (s.fragmentLeft == 0 && s.lastFragment) {
                    String bad = endRecord(s);
                    if (bad != null) {
                        return bad;
                    }
                }
                continue;
            }
            s.header = (s.header << 8) | (b.get(pos++) & 0xff);
            if (++s.headerBytes < 4) {
                continue;
            }
            s.headerBytes = 0;
            long length = s.header & ~LAST_FRAGMENT;
            s.lastFragment = (s.header & LAST_FRAGMENT) != 0;
            s.header = 0;
            if (s.recordBytes + length > maxRecordBytes) {
                return "RPC record of " + (s.recordBytes + length) + "+ bytes exceeds the limit of "
                        + maxRecordBytes;
            }
            if (++s.fragments > MAX_FRAGMENTS) {
                return "RPC record of more than " + MAX_FRAGMENTS + " fragments";
            }
            s.recordBytes += length;
            s.fragmentLeft = length;
            if (s.lastFragment && length == 0) {
                String bad = endRecord(s);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private String checkHead(RecordState s) {
        int verdict = checkRpcHeader(s.head, s.headLength, allowReplies);
        if (verdict == HEADER_OK) {
            s.headChecked = true;
            return null;
        }
        return verdict == NEED_MORE ? null : HEADER_PROBLEMS[verdict];
    }

    private String endRecord(RecordState s) {
        String bad = s.headChecked ? null : "RPC record of " + s.recordBytes
                + " bytes ends inside its header";
        s.recordBytes = 0;
        s.fragments = 0;
        s.headLength = 0;
        s.headChecked = false;
        return bad;
    }

    static final int HEADER_OK = 0;
    static final int NEED_MORE = 1;
    static final int BAD_MSG_TYPE = 2;
    static final int UNEXPECTED_REPLY = 3;
    static final int BAD_CREDENTIAL = 4;
    static final int BAD_VERIFIER = 5;
    private static final String[] HEADER_PROBLEMS = {
        null, null, "RPC msg_type is neither CALL nor REPLY", "unexpected RPC REPLY from a client",
        "malformed RPC credential", "malformed RPC verifier"
    };

    /**
     * Checks the start of an RPC message: {@link #HEADER_OK} once the credential and
     * verifier are known to be well-formed, {@link #NEED_MORE} while bytes are missing, or
     * the problem found.
     */
    static int checkRpcHeader(byte[] h, int n, boolean allowReplies) {
        if (n < 8) {
            return NEED_MORE;
        }
        int msgType = intAt(h, 4);
        if (msgType == REPLY) {
            return allowReplies ? HEADER_OK : UNEXPECTED_REPLY;
        }
        if (msgType != CALL) {
            return BAD_MSG_TYPE;
        }
        int pos = 24; // xid, msg_type, rpcvers, prog, vers, proc
        if (n < pos + 8) {
            return NEED_MORE;
        }
        int flavor = intAt(h, pos);
        int len = intAt(h, pos + 4);
        if (len < 0 || len > MAX_AUTH_BODY) {
            return BAD_CREDENTIAL;
        }
        int body = pos + 8;
        int padded = (len + 3) & ~3;
        if (n < body + padded + 8) {
            return NEED_MORE;
        }
        if (flavor == AUTH_SYS && !authSysFits(h, body, len)
                || flavor == RPCSEC_GSS && !gssFits(h, body, len)) {
            return BAD_CREDENTIAL;
        }
        pos = body + padded;
        int verifierLength = intAt(h, pos + 4);
        if (verifierLength < 0 || verifierLength > MAX_AUTH_BODY) {
            return BAD_VERIFIER;
        }
        return HEADER_OK;
    }

    /** authsys_parms: stamp, machinename<255>, uid, gid, gids<16>, exactly filling the body. */
    private static boolean authSysFits(byte[] h, int body, int len) {
        int p = 4;
        if (p + 4 > len) {
            return false;
        }
        int nameLength = intAt(h, body + p);
        if (nameLength < 0 || nameLength > MAX_MACHINE_NAME) {
            return false;
        }
        p += 4 + ((nameLength + 3) & ~3) + 8;
        if (p + 4 > len) {
            return false;
        }
        int gids = intAt(h, body + p);
        if (gids < 0 || gids > MAX_GIDS) {
            return false;
        }
        return p + 4 + 4 * gids == len;
    }

    /** rpc_gss_cred_vers_1_t (RFC 2203): version, proc, seq, service, handle<>. */
    private static boolean gssFits(byte[] h, int body, int len) {
        if (len < 20) {
            return false;
        }
        long handle = intAt(h, body + 16) & 0xffffffffL;
        return 20 + ((handle + 3) & ~3L) <= len;
    }

    private static int intAt(byte[] h, int i) {
        return (h[i] & 0xff) << 24 | (h[i + 1] & 0xff) << 16 | (h[i + 2] & 0xff) << 8
                | (h[i + 3] & 0xff);
    }

    /**
     * Puts a guard in front of the record parser of every TCP transport of a started
     * service. oncrpc4j builds its filter chain in {@code start()} and offers no hook, so the
     * transports are reached by reflection. Installing twice is harmless.
     *
     * @return whether a guard is in place (false when the service's layout is unknown)
     */
    public static boolean install(OncRpcSvc svc, int maxRecordBytes, boolean allowReplies) {
        List<?> transports;
        try {
            Field f = OncRpcSvc.class.getDeclaredField("_transports");
            f.setAccessible(true);
            transports = (List<?>) f.get(svc);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot guard RPC records: oncrpc4j internals changed ({})", e.toString());
            return false;
        }
        boolean installed = false;
        for (Object t : transports) {
            if (!(t instanceof TCPNIOTransport tcp)) {
                continue;
            }
            Processor<?> processor = tcp.getProcessor();
            if (!(processor instanceof FilterChain chain)) {
                continue;
            }
            synchronized (chain) {
                if (chain.indexOfType(RpcRecordGuard.class) >= 0) {
                    installed = true;
                    continue;
                }
                int parser = chain.indexOfType(RpcMessageParserTCP.class);
                if (parser >= 0) {
                    chain.add(parser, new RpcRecordGuard(maxRecordBytes, allowReplies));
                    installed = true;
                }
            }
        }
        if (!installed) {
            LOG.warn("cannot guard RPC records: no TCP record parser found");
        }
        return installed;
    }
}
