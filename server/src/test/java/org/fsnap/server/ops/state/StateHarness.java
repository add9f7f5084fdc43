package org.fsnap.server.ops.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.fsnap.server.ServerContext;
import org.fsnap.server.attr.OwnerMapper;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.compound.OperationDecoder;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.OpRunner;
import org.fsnap.server.state.ChannelAttributes;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.ClientRecoveryStore;
import org.fsnap.server.state.ClientTable;
import org.fsnap.server.state.GracePeriod;
import org.fsnap.server.state.ServerIdentity;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.state.StateId;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.testclient.MemoryFileSystem;
import org.fsnap.server.testclient.XdrWriter;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;

/**
 * A server with real client, session and state tables around an in-memory filesystem, and
 * helpers to decode operations from XDR arguments and run them as the COMPOUND processor
 * does.
 */
final class StateHarness {
    static final ChannelAttributes CHANNEL =
            new ChannelAttributes(0, 1 << 20, 1 << 20, 64 << 10, 16, 8);

    /** The in-memory filesystem, or null when the harness runs over another one. */
    final MemoryFileSystem vfs;
    final VirtualFileSystem fs;
    final ServerIdentity identity = new ServerIdentity("state-test");
    final GracePeriod grace;
    final ClientTable clients;
    final SessionTable sessions = new SessionTable();
    final StateTable states;
    final ServerContext server;

    /** No grace period. */
    StateHarness() throws IOException {
        this(Set.of(), 0);
    }

    /** A grace period of {@code graceNanos} for the given owners of the previous boot. */
    StateHarness(Set<byte[]> previousOwners, long graceNanos) throws IOException {
        this(new MemoryFileSystem(), previousOwners, graceNanos);
    }

    /** Over any filesystem, without grace period. */
    StateHarness(VirtualFileSystem fs) throws IOException {
        this(fs, Set.of(), 0);
    }

    private StateHarness(VirtualFileSystem fs, Set<byte[]> previousOwners, long graceNanos)
            throws IOException {
        this.fs = fs;
        this.vfs = fs instanceof MemoryFileSystem m ? m : null;
        grace = new GracePeriod(previousOwners, graceNanos, System.nanoTime());
        clients = new ClientTable(identity, new ClientRecoveryStore(null), grace);
        clients.onRemoval(sessions::dropClient);
        states = new StateTable(identity, clients);
        server = new ServerContext(fs, identity, clients, sessions, states,
                new OwnerMapper("localdomain"), 90);
    }

    /** A confirmed client with one session. */
    Session session(String clientOwner) throws NfsException {
        ClientTable.Exchange x = clients.exchangeId(utf8(clientOwner), new byte[8], false,
                System.nanoTime());
        clients.confirm(x.client());
        return sessions.create(x.client(), CHANNEL, CHANNEL, 0);
    }

    CompoundContext ctx(Session session, Caller caller, Inode current) {
        return ctx(session, caller, current, 1);
    }

    CompoundContext ctx(Session session, Caller caller, Inode current, int minor) {
        CompoundContext ctx = new CompoundContext(server, caller, minor);
        ctx.bindSession(session, session.slot(0), false);
        if (current != null) {
            ctx.setCurrentFh(current);
        }
        return ctx;
    }

    static ClientRecord client(Session s) {
        return s.client();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- running

    static Operation decode(OperationDecoder decoder, XdrWriter args) throws XdrException {
        return OpRunner.decode(decoder, args.toByteArray());
    }

    /** The result as the COMPOUND processor would produce it, errors included. */
    static OpResult run(Operation op, CompoundContext ctx) {
        return OpRunner.run(op, ctx);
    }

    static int status(Operation op, CompoundContext ctx) {
        return OpRunner.status(op, ctx);
    }

    static OpResult run(OperationDecoder decoder, XdrWriter args, CompoundContext ctx)
            throws XdrException {
        return run(decode(decoder, args), ctx);
    }

    static int status(OperationDecoder decoder, XdrWriter args, CompoundContext ctx)
            throws XdrException {
        return run(decoder, args, ctx).status();
    }

    /** The wire bytes of a result. */
    static ByteBuffer encoded(OpResult result) {
        return OpRunner.encoded(result);
    }

    // ---------------------------------------------------------------- arguments

    static XdrWriter stateid(XdrWriter w, StateId id) {
        return w.writeInt(id.seqid()).writeFixedOpaque(id.other());
    }

    /** OPEN4args up to (not including) openhow. */
    static XdrWriter openHead(String owner, int access, int deny) {
        return new XdrWriter().writeInt(0).writeInt(access).writeInt(deny).writeLong(0)
                .writeOpaque(utf8(owner));
    }

    /** OPEN by name without create. */
    static XdrWriter openNoCreate(String owner, int access, int deny, String name) {
        return openHead(owner, access, deny).writeInt(OpenOperation.OPEN4_NOCREATE)
                .writeInt(OpenOperation.CLAIM_NULL).writeOpaque(utf8(name));
    }

    /** OPEN by name, UNCHECKED4 or GUARDED4, with an optional mode and size. */
    static XdrWriter openCreate(String owner, int access, int deny, int createMode, Integer mode,
                                Long size, String name) {
        XdrWriter w = openHead(owner, access, deny).writeInt(OpenOperation.OPEN4_CREATE)
                .writeInt(createMode);
        fattr(w, mode, size);
        return w.writeInt(OpenOperation.CLAIM_NULL).writeOpaque(utf8(name));
    }

    /** OPEN by name with EXCLUSIVE4_1, the verifier and an optional mode. */
    static XdrWriter openExclusive41(String owner, int access, long verifier, Integer mode,
                                     String name) {
        XdrWriter w = openHead(owner, access, 0).writeInt(OpenOperation.OPEN4_CREATE)
                .writeInt(OpenOperation.EXCLUSIVE4_1).writeLong(verifier);
        fattr(w, mode, null);
        return w.writeInt(OpenOperation.CLAIM_NULL).writeOpaque(utf8(name));
    }

    /** OPEN of the current filehandle: CLAIM_FH or CLAIM_PREVIOUS. */
    static XdrWriter openByHandle(String owner, int access, int deny, int claim) {
        XdrWriter w = openHead(owner, access, deny).writeInt(OpenOperation.OPEN4_NOCREATE)
                .writeInt(claim);
        if (claim == OpenOperation.CLAIM_PREVIOUS) {
            w.writeInt(0); // OPEN_DELEGATE_NONE
        }
        return w;
    }

    /** fattr4 with size (bit 4) and/or mode (bit 33). */
    static XdrWriter fattr(XdrWriter w, Integer mode, Long size) {
        int word0 = size != null ? 1 << 4 : 0;
        int word1 = mode != null ? 1 << 1 : 0;
        XdrWriter vals = new XdrWriter();
        if (size != null) {
            vals.writeLong(size);
        }
        if (mode != null) {
            vals.writeInt(mode);
        }
        if (word1 != 0) {
            w.writeBitmap(word0, word1);
        } else if (word0 != 0) {
            w.writeBitmap(word0);
        } else {
            w.writeBitmap();
        }
        return w.writeOpaque(vals.toByteArray());
    }

    static XdrWriter close(StateId id) {
        return stateid(new XdrWriter().writeInt(0), id);
    }

    static XdrWriter read(StateId id, long offset, int count) {
        return stateid(new XdrWriter(), id).writeLong(offset).writeInt(count);
    }

    static XdrWriter write(StateId id, long offset, int stable, byte[] data) {
        return stateid(new XdrWriter(), id).writeLong(offset).writeInt(stable).writeOpaque(data);
    }

    static XdrWriter lockNew(int type, long offset, long length, StateId open, String owner) {
        XdrWriter w = new XdrWriter().writeInt(type).writeBoolean(false).writeLong(offset)
                .writeLong(length).writeBoolean(true).writeInt(0);
        return stateid(w, open).writeInt(0).writeLong(0).writeOpaque(utf8(owner));
    }

    static XdrWriter lockNewReclaim(int type, long offset, long length, StateId open,
                                    String owner) {
        XdrWriter w = new XdrWriter().writeInt(type).writeBoolean(true).writeLong(offset)
                .writeLong(length).writeBoolean(true).writeInt(0);
        return stateid(w, open).writeInt(0).writeLong(0).writeOpaque(utf8(owner));
    }

    static XdrWriter lockExisting(int type, long offset, long length, StateId lock) {
        XdrWriter w = new XdrWriter().writeInt(type).writeBoolean(false).writeLong(offset)
                .writeLong(length).writeBoolean(false);
        return stateid(w, lock).writeInt(0);
    }

    static XdrWriter lockt(int type, long offset, long length, String owner) {
        return new XdrWriter().writeInt(type).writeLong(offset).writeLong(length).writeLong(0)
                .writeOpaque(utf8(owner));
    }

    static XdrWriter locku(int type, StateId lock, long offset, long length) {
        return stateid(new XdrWriter().writeInt(type).writeInt(0), lock).writeLong(offset)
                .writeLong(length);
    }

    static XdrWriter single(StateId id) {
        return stateid(new XdrWriter(), id);
    }
}
