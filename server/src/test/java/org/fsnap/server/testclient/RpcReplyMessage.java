package org.fsnap.server.testclient;

/**
 * A decoded RPC reply (RFC 5531 section 9): accepted with an accept_stat (and, for SUCCESS,
 * the procedure's result bytes) or denied with a reject_stat.
 */
public record RpcReplyMessage(int xid, boolean accepted, int acceptStat, int rejectStat,
                              int authStat, int mismatchLow, int mismatchHigh, byte[] results) {
    public static final int MSG_ACCEPTED = 0;
    public static final int MSG_DENIED = 1;

    public static final int SUCCESS = 0;
    public static final int PROG_UNAVAIL = 1;
    public static final int PROG_MISMATCH = 2;
    public static final int PROC_UNAVAIL = 3;
    public static final int GARBAGE_ARGS = 4;
    public static final int SYSTEM_ERR = 5;

    public static final int RPC_MISMATCH = 0;
    public static final int AUTH_ERROR = 1;

    public boolean isSuccess() {
        return accepted && acceptStat == SUCCESS;
    }

    /** Parses one reply record. */
    public static RpcReplyMessage parse(byte[] record) {
        XdrReader r = new XdrReader(record);
        int xid = r.readInt();
        int type = r.readInt();
        if (type != 1) {
            throw new XdrReader.XdrFormatException("not a REPLY: msg_type " + type);
        }
        int stat = r.readInt();
        if (stat == MSG_ACCEPTED) {
            r.readInt(); // verifier flavor
            byte[] verf = r.readOpaque();
            if (verf.length > 400) {
                throw new XdrReader.XdrFormatException("verifier of " + verf.length + " bytes");
            }
            int accept = r.readInt();
            int low = 0;
            int high = 0;
            if (accept == PROG_MISMATCH) {
                low = r.readInt();
                high = r.readInt();
            }
            byte[] results = accept == SUCCESS ? r.rest() : new byte[0];
            return new RpcReplyMessage(xid, true, accept, -1, -1, low, high, results);
        }
        if (stat == MSG_DENIED) {
            int reject = r.readInt();
            int low = 0;
            int high = 0;
            int auth = -1;
            if (reject == RPC_MISMATCH) {
                low = r.readInt();
                high = r.readInt();
            } else {
                auth = r.readInt();
            }
            return new RpcReplyMessage(xid, false, -1, reject, auth, low, high, new byte[0]);
        }
        throw new XdrReader.XdrFormatException("bad reply_stat " + stat);
    }

    @Override
    public String toString() {
        return accepted ? "RPC reply xid=" + xid + " accepted, accept_stat=" + acceptStat
                : "RPC reply xid=" + xid + " denied, reject_stat=" + rejectStat
                + (rejectStat == AUTH_ERROR ? " auth_stat=" + authStat : "");
    }
}
