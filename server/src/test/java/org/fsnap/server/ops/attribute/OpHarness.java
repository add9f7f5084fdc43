package org.fsnap.server.ops.attribute;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fsnap.server.ServerContext;
import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.OwnerMapper;
import org.fsnap.server.attr.XdrBuffer;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.compound.OperationDecoder;
import org.fsnap.server.ops.OpRunner;
import org.fsnap.server.state.ServerIdentity;
import org.fsnap.server.state.ClientRecoveryStore;
import org.fsnap.server.state.ClientTable;
import org.fsnap.server.state.GracePeriod;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;

/**
 * Runs attribute operations the way the COMPOUND processor does: arguments decoded from XDR
 * bytes, failures turned into {@link Operation#failure}, results encoded to wire bytes.
 */
public final class OpHarness {
    public static final int LEASE = 90;

    public final VirtualFileSystem vfs;
    public final OwnerMapper owners;
    public final ServerContext server;

    public OpHarness(VirtualFileSystem vfs) {
        this(vfs, new OwnerMapper("fsnap.test"));
    }

    public OpHarness(VirtualFileSystem vfs, OwnerMapper owners) {
        this.vfs = vfs;
        this.owners = owners;
        ServerIdentity identity = new ServerIdentity("fsnap-test");
        ClientTable clients = new ClientTable(identity, noRecovery(),
                new GracePeriod(java.util.Set.of(), 0, 0));
        this.server = new ServerContext(vfs, identity, clients, new SessionTable(),
                new StateTable(identity, clients), owners, LEASE);
    }

    private static ClientRecoveryStore noRecovery() {
        try {
            return new ClientRecoveryStore(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public CompoundContext ctx(Caller caller) {
        return new CompoundContext(server, caller, 2);
    }

    public CompoundContext ctx(Caller caller, int minor) {
        return new CompoundContext(server, caller, minor);
    }

    /** Decodes the operation from its XDR arguments. */
    public static Operation decode(OperationDecoder decoder, XdrBuffer args) throws XdrException {
        return OpRunner.decode(decoder, args.toByteArray());
    }

    /** Executes like the COMPOUND processor: a thrown status becomes {@code failure}. */
    public static OpResult run(Operation op, CompoundContext ctx) {
        return OpRunner.run(op, ctx);
    }

    public static OpResult run(OperationDecoder decoder, XdrBuffer args, CompoundContext ctx)
            throws XdrException {
        return run(decode(decoder, args), ctx);
    }

    /** The result's bytes on the wire (status first). */
    public static Wire encode(OpResult result) {
        return new Wire(OpRunner.encode(result));
    }

    /** A reader of encoded results. */
    public static final class Wire {
        private final byte[] b;
        private int pos;

        public Wire(byte[] b) {
            this.b = b;
        }

        public int readInt() {
            int p = pos;
            pos += 4;
            return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8
                    | (b[p + 3] & 0xff);
        }

        public long readLong() {
            long hi = readInt() & 0xffffffffL;
            return hi << 32 | (readInt() & 0xffffffffL);
        }

        public boolean readBoolean() {
            int v = readInt();
            if (v != 0 && v != 1) {
                throw new AssertionError("bad boolean " + v);
            }
            return v == 1;
        }

        public byte[] readFixed(int n) {
            byte[] v = Arrays.copyOfRange(b, pos, pos + n);
            pos += (n + 3) & ~3;
            return v;
        }

        public byte[] readOpaque() {
            return readFixed(readInt());
        }

        public String readString() {
            return new String(readOpaque(), StandardCharsets.UTF_8);
        }

        public Bitmap4 readBitmap() {
            int n = readInt();
            int[] w = new int[n];
            for (int i = 0; i < n; i++) {
                w[i] = readInt();
            }
            return Bitmap4.ofWords(w);
        }

        public int remaining() {
            return b.length - pos;
        }

        public int length() {
            return b.length;
        }
    }
}
