package org.fsnap.server.ops.session;

import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.state.ChannelAttributes;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.Session;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * CREATE_SESSION (RFC 8881 section 18.36): confirms the client and opens a session. Its own
 * sequence id gives exactly-once semantics: a retransmission gets the first reply again.
 */
final class CreateSessionOperation implements Operation {
    private static final int FLAG_PERSIST = 0x1;
    private static final int FLAG_CONN_BACK_CHAN = 0x2;
    private static final int AUTH_NONE = 0;
    private static final int AUTH_SYS = 1;
    private static final int RPCSEC_GSS = 6;
    private static final int MAX_SEC_PARMS = 16;

    /** What this server grants at most on the fore channel. */
    static final ChannelAttributes FORE_LIMITS = new ChannelAttributes(0,
            1024 * 1024 + 64 * 1024, 1024 * 1024 + 64 * 1024, 64 * 1024, 64, 64);
    static final ChannelAttributes BACK_LIMITS = new ChannelAttributes(0,
            16 * 1024, 16 * 1024, 0, 4, 1);

    private final long clientId;
    private final int sequence;
    private final int flags;
    private final ChannelAttributes fore;
    private final ChannelAttributes back;

    private CreateSessionOperation(long clientId, int sequence, int flags, ChannelAttributes fore,
                                   ChannelAttributes back) {
        this.clientId = clientId;
        this.sequence = sequence;
        this.flags = flags;
        this.fore = fore;
        this.back = back;
    }

    static Operation decode(XdrInput in) throws XdrException {
        long clientId = in.readLong();
        int sequence = in.readInt();
        int flags = in.readInt();
        ChannelAttributes fore = ChannelAttributesCodec.decode(in);
        ChannelAttributes back = ChannelAttributesCodec.decode(in);
        in.readInt(); // csa_cb_program: no callbacks are ever sent
        int parms = in.readLength(MAX_SEC_PARMS);
        for (int i = 0; i < parms; i++) {
            skipCallbackSecParms(in);
        }
        return new CreateSessionOperation(clientId, sequence, flags, fore, back);
    }

    static void skipCallbackSecParms(XdrInput in) throws XdrException {
        int flavor = in.readInt();
        switch (flavor) {
            case AUTH_NONE -> { }
            case AUTH_SYS -> {
                in.readInt();
                in.readOpaque(255);
                in.readInt();
                in.readInt();
                int gids = in.readLength(16);
                for (int g = 0; g < gids; g++) {
                    in.readInt();
                }
            }
            case RPCSEC_GSS -> {
                in.readInt();
                in.readOpaque(1024);
                in.readOpaque(1024);
            }
            default -> throw new XdrException("unknown callback flavor " + flavor);
        }
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException {
        ClientRecord client = ctx.server().clients().get(clientId);
        Result result;
        synchronized (client) {
            int last = client.lastCreateSessionSeq();
            if (sequence == last && client.lastCreateSessionReply() instanceof Result cached) {
                return cached;
            }
            if (sequence != last + 1) {
                throw new NfsException(Nfs4Status.NFS4ERR_SEQ_MISORDERED,
                        "CREATE_SESSION sequence " + sequence + " after " + last);
            }
            if (fore.maxRequests() < 1 || fore.maxOperations() < 1) {
                throw new NfsException(Nfs4Status.NFS4ERR_TOOSMALL, "fore channel too small");
            }
            ChannelAttributes granted = fore.limitTo(FORE_LIMITS);
            ChannelAttributes backGranted = back.limitTo(BACK_LIMITS);
            ctx.server().clients().confirm(client);
            client.renew(System.nanoTime());
            Session session = ctx.server().sessions().create(client, granted, backGranted,
                    flags & FLAG_CONN_BACK_CHAN);
            // The back channel is accepted but never used: no delegations, no callbacks.
            result = new Result(session.sessionId(), sequence, flags & FLAG_CONN_BACK_CHAN,
                    granted, backGranted);
            client.recordCreateSession(sequence, result);
        }
        return result;
    }

    private record Result(byte[] sessionId, int sequence, int flags, ChannelAttributes fore,
                          ChannelAttributes back) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            out.writeFixedOpaque(sessionId).writeInt(sequence)
                    .writeInt(flags & ~FLAG_PERSIST);
            ChannelAttributesCodec.encode(fore, out);
            ChannelAttributesCodec.encode(back, out);
        }
    }
}
