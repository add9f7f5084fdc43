package org.fsnap.server.testclient;

import static org.fsnap.server.testclient.Nfs4.*;

/**
 * Knows the shape of each operation's result body (nfs_resop4 after the status), so a
 * COMPOUND reply can be cut into per-operation results.
 */
final class ResultBodies {
    private ResultBodies() {
    }

    /** Whether the body of {@code opcode} with {@code status} is known to the client. */
    static boolean skip(int opcode, int status, XdrReader r) {
        if (opcode == OP_SETATTR) {
            r.readBitmap(); // attrsset is in every arm
            return true;
        }
        if ((opcode == OP_LOCK || opcode == OP_LOCKT) && status == NFS4ERR_DENIED) {
            lockDenied(r);
            return true;
        }
        if (status != NFS4_OK) {
            return true; // every other error arm is void
        }
        switch (opcode) {
            case OP_ACCESS -> r.skip(8);
            case OP_CLOSE, OP_LOCKU, OP_OPEN_DOWNGRADE -> Stateid.decode(r);
            case OP_LOCK -> Stateid.decode(r);
            case OP_COMMIT -> r.skip(8);
            case OP_CREATE -> {
                changeInfo(r);
                r.readBitmap();
            }
            case OP_GETATTR -> Fattr.decode(r);
            case OP_GETFH -> r.readOpaque();
            case OP_LINK, OP_REMOVE -> changeInfo(r);
            case OP_RENAME -> {
                changeInfo(r);
                changeInfo(r);
            }
            case OP_OPEN -> open(r);
            case OP_READ -> {
                r.readBoolean();
                r.readOpaque();
            }
            case OP_READDIR -> readdir(r);
            case OP_READLINK -> r.readOpaque();
            case OP_SECINFO, OP_SECINFO_NO_NAME -> secinfo(r);
            case OP_WRITE -> r.skip(16);
            case OP_EXCHANGE_ID -> exchangeId(r);
            case OP_CREATE_SESSION -> {
                r.skip(16 + 8);
                channelAttrs(r);
                channelAttrs(r);
            }
            case OP_SEQUENCE -> r.skip(16 + 20);
            case OP_BIND_CONN_TO_SESSION -> r.skip(16 + 8);
            case OP_TEST_STATEID -> {
                int n = r.readInt();
                for (int i = 0; i < n; i++) {
                    r.readInt();
                }
            }
            case OP_SEEK -> r.skip(12);
            case OP_LOCKT, OP_LOOKUP, OP_LOOKUPP, OP_NVERIFY, OP_VERIFY, OP_PUTFH, OP_PUTPUBFH,
                 OP_PUTROOTFH, OP_RESTOREFH, OP_SAVEFH, OP_FREE_STATEID, OP_DELEGRETURN,
                 OP_DELEGPURGE, OP_RECLAIM_COMPLETE, OP_DESTROY_SESSION, OP_DESTROY_CLIENTID,
                 OP_RELEASE_LOCKOWNER, OP_BACKCHANNEL_CTL, OP_ALLOCATE, OP_DEALLOCATE,
                 OP_ILLEGAL -> {
                // void
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    static void changeInfo(XdrReader r) {
        r.readBoolean();
        r.readLong();
        r.readLong();
    }

    static void lockDenied(XdrReader r) {
        r.readLong();
        r.readLong();
        r.readInt();
        r.readLong();
        r.readOpaque();
    }

    static void channelAttrs(XdrReader r) {
        r.skip(24);
        int ird = r.readInt();
        if (ird > 1) {
            throw new XdrReader.XdrFormatException("ca_rdma_ird of " + ird);
        }
        r.skip(4 * ird);
    }

    static void secinfo(XdrReader r) {
        int n = r.readInt();
        for (int i = 0; i < n; i++) {
            if (r.readInt() == RPCSEC_GSS) {
                r.readOpaque();
                r.readInt();
                r.readInt();
            }
        }
    }

    static void readdir(XdrReader r) {
        r.skip(8);
        while (r.readBoolean()) {
            r.readLong();
            r.readOpaque();
            Fattr.decode(r);
        }
        r.readBoolean();
    }

    static void nfsace(XdrReader r) {
        r.skip(12);
        r.readOpaque();
    }

    static int open(XdrReader r) {
        Stateid.decode(r);
        changeInfo(r);
        r.readInt(); // rflags
        r.readBitmap();
        int delegation = r.readInt();
        switch (delegation) {
            case OPEN_DELEGATE_NONE -> {
            }
            case OPEN_DELEGATE_READ -> {
                Stateid.decode(r);
                r.readBoolean();
                nfsace(r);
            }
            case OPEN_DELEGATE_WRITE -> {
                Stateid.decode(r);
                r.readBoolean();
                int limitBy = r.readInt();
                if (limitBy == 1) {
                    r.readLong();
                } else {
                    r.skip(8);
                }
                nfsace(r);
            }
            case OPEN_DELEGATE_NONE_EXT -> {
                int why = r.readInt();
                if (why == 7 || why == 8) {
                    r.readBoolean();
                }
            }
            default -> throw new XdrReader.XdrFormatException("open_delegation_type4 " + delegation);
        }
        return delegation;
    }

    static void exchangeId(XdrReader r) {
        r.skip(16); // clientid, sequenceid, flags
        int how = r.readInt();
        if (how == SP4_MACH_CRED) {
            r.readBitmap();
            r.readBitmap();
        } else if (how == SP4_SSV) {
            r.readBitmap();
            r.readBitmap();
            r.skip(16);
            int handles = r.readInt();
            for (int i = 0; i < handles; i++) {
                r.readOpaque();
            }
        }
        r.readLong();
        r.readOpaque();
        r.readOpaque();
        int impl = r.readInt();
        for (int i = 0; i < impl; i++) {
            r.readOpaque();
            r.readOpaque();
            r.skip(12);
        }
    }
}
