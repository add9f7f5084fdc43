package org.fsnap.server.ops.state;

import java.nio.ByteBuffer;
import org.fsnap.server.attr.AttributeId;
import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.DecodedAttributes;
import org.fsnap.server.attr.Fattr4;
import org.fsnap.server.attr.Fattr4Decoder;
import org.fsnap.server.attr.SupportedAttributes;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.ChangeInfo;
import org.fsnap.server.ops.DirectoryChanges;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.state.ClientRecord;
import org.fsnap.server.state.StateId;
import org.fsnap.server.state.StateOwner;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * OPEN (RFC 8881 section 18.16): opens (and maybe creates) a regular file for an open-owner,
 * with a share reservation, and makes it the current filehandle and its stateid the current
 * stateid.
 *
 * <p>Claims: CLAIM_NULL (name in the current directory), CLAIM_FH (the current filehandle),
 * CLAIM_PREVIOUS (reclaim in the grace period after a restart). No delegations are ever
 * granted, so the delegation claims fail: CLAIM_DELEGATE_CUR / CLAIM_DELEG_CUR_FH with the
 * stateid error their delegation stateid deserves, the _PREV ones with NFS4ERR_NOTSUPP.
 *
 * <p>Creation: UNCHECKED4, GUARDED4, EXCLUSIVE4 and EXCLUSIVE4_1. The exclusive-create
 * verifier is kept, like knfsd does, in the new file's time_access (first four bytes, as
 * seconds) and time_modify (last four): a retransmission finding a regular file with those
 * times succeeds, anything else gets NFS4ERR_EXIST. The attrset then includes time_access
 * and time_modify so that the client sets the real times afterwards.
 *
 * <p>Inside a named attribute directory (after OPENATTR) the same applies to named
 * attributes: they are opened, created, read and written like regular files.
 *
 * <p>Permission: opening for reading needs read (or execute) permission, for writing write
 * permission, except on a file this OPEN created (as open(O_CREAT) with a mode that forbids
 * the access still succeeds) and, for reclaims, on a file the caller owns.
 */
final class OpenOperation implements Operation {
    static final int OPEN4_NOCREATE = 0;
    static final int OPEN4_CREATE = 1;

    static final int UNCHECKED4 = 0;
    static final int GUARDED4 = 1;
    static final int EXCLUSIVE4 = 2;
    static final int EXCLUSIVE4_1 = 3;

    static final int CLAIM_NULL = 0;
    static final int CLAIM_PREVIOUS = 1;
    static final int CLAIM_DELEGATE_CUR = 2;
    static final int CLAIM_DELEGATE_PREV = 3;
    static final int CLAIM_FH = 4;
    static final int CLAIM_DELEG_CUR_FH = 5;
    static final int CLAIM_DELEG_PREV_FH = 6;

    static final int ACCESS_MASK = 0x3;
    static final int WANT_DELEG_MASK = 0xff00;
    static final int WANT_NO_PREFERENCE = 0x0000;
    static final int WANT_NO_DELEG = 0x0400;
    static final int WANT_CANCEL = 0x0500;
    static final int WANT_SIGNAL_DELEG_WHEN_RESRC_AVAIL = 0x10000;
    static final int WANT_PUSH_DELEG_WHEN_UNCONTENDED = 0x20000;
    private static final int KNOWN_ACCESS_BITS = ACCESS_MASK | WANT_DELEG_MASK
            | WANT_SIGNAL_DELEG_WHEN_RESRC_AVAIL | WANT_PUSH_DELEG_WHEN_UNCONTENDED;

    static final int OPEN4_RESULT_LOCKTYPE_POSIX = 0x4;

    static final int OPEN_DELEGATE_NONE = 0;
    static final int OPEN_DELEGATE_NONE_EXT = 3;
    static final int WND4_NOT_WANTED = 0;
    static final int WND4_RESOURCE = 2;
    static final int WND4_CANCELLED = 7;

    static final int VERIFIER_SIZE = 8;

    /** What the verifier of an exclusive create is stored in (and reported in attrset). */
    private static final Bitmap4 VERIFIER_ATTRS =
            Bitmap4.of(AttributeId.TIME_ACCESS, AttributeId.TIME_MODIFY);

    private final int shareAccess;
    private final int shareDeny;
    private final byte[] owner;
    private final int openType;
    private final int createMode;
    private final Fattr4 createAttrs;
    private final byte[] verifier;
    private final int claim;
    private final byte[] name;
    private final StateId delegateStateId;

    private OpenOperation(int shareAccess, int shareDeny, byte[] owner, int openType,
                          int createMode, Fattr4 createAttrs, byte[] verifier, int claim,
                          byte[] name, StateId delegateStateId) {
        this.shareAccess = shareAccess;
        this.shareDeny = shareDeny;
        this.owner = owner;
        this.openType = openType;
        this.createMode = createMode;
        this.createAttrs = createAttrs;
        this.verifier = verifier;
        this.claim = claim;
        this.name = name;
        this.delegateStateId = delegateStateId;
    }

    static Operation decode(XdrInput in) throws XdrException {
        in.readInt(); // seqid: not used in NFSv4.1
        int shareAccess = in.readInt();
        int shareDeny = in.readInt();
        in.readLong(); // clientid of the open_owner4: the session's client is the one that counts
        byte[] owner = in.readOpaque(StateOwner.MAX_OWNER_BYTES);
        int openType = in.readInt();
        int createMode = -1;
        Fattr4 attrs = Fattr4.EMPTY;
        byte[] verifier = null;
        if (openType == OPEN4_CREATE) {
            createMode = in.readInt();
            switch (createMode) {
                case UNCHECKED4, GUARDED4 -> attrs = Fattr4.decode(in);
                case EXCLUSIVE4 -> verifier = in.readFixedOpaque(VERIFIER_SIZE);
                case EXCLUSIVE4_1 -> {
                    verifier = in.readFixedOpaque(VERIFIER_SIZE);
                    attrs = Fattr4.decode(in);
                }
                default -> throw new XdrException("bad createmode4 " + createMode);
            }
        } else if (openType != OPEN4_NOCREATE) {
            throw new XdrException("bad opentype4 " + openType);
        }
        int claim = in.readInt();
        byte[] name = null;
        StateId delegateStateId = null;
        switch (claim) {
            case CLAIM_NULL, CLAIM_DELEGATE_PREV -> name = in.readOpaque(ComponentName.MAX_WIRE_BYTES);
            case CLAIM_PREVIOUS -> in.readInt(); // delegate_type: we never granted any
            case CLAIM_DELEGATE_CUR -> {
                delegateStateId = StateId.decode(in);
                name = in.readOpaque(ComponentName.MAX_WIRE_BYTES);
            }
            case CLAIM_DELEG_CUR_FH -> delegateStateId = StateId.decode(in);
            case CLAIM_FH, CLAIM_DELEG_PREV_FH -> {
                // the current filehandle is the file
            }
            default -> throw new XdrException("bad open_claim_type4 " + claim);
        }
        return new OpenOperation(shareAccess, shareDeny, owner, openType, createMode, attrs,
                verifier, claim, name, delegateStateId);
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode current = ctx.currentFh();
        ClientRecord client = ctx.client();
        int access = shareAccess & ACCESS_MASK;
        int want = shareAccess & WANT_DELEG_MASK;
        if ((shareAccess & ~KNOWN_ACCESS_BITS) != 0 || want > WANT_CANCEL
                || access == 0 || shareDeny < 0 || shareDeny > StateTable.DENY_BOTH) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL,
                    "share_access " + Integer.toHexString(shareAccess) + " share_deny " + shareDeny);
        }
        return switch (claim) {
            case CLAIM_NULL -> openByName(ctx, client, current, access);
            case CLAIM_FH -> {
                StateChecks.requireNoGrace(ctx);
                yield openByHandle(ctx, client, current, access, false);
            }
            case CLAIM_PREVIOUS -> {
                StateChecks.requireReclaim(ctx, client);
                yield openByHandle(ctx, client, current, access, true);
            }
            case CLAIM_DELEGATE_CUR, CLAIM_DELEG_CUR_FH ->
                    throw ctx.server().states().notADelegation(ctx.resolve(delegateStateId));
            default -> throw new NfsException(Nfs4Status.NFS4ERR_NOTSUPP,
                    "delegation reclaim: this server grants no delegations");
        };
    }

    /** CLAIM_NULL: the name in the current directory, created as the create mode says. */
    private OpResult openByName(CompoundContext ctx, ClientRecord client, Inode dir, int access)
            throws NfsException, VfsException {
        if (dir.type() != FileType.DIRECTORY && dir.type() != FileType.NAMED_ATTR_DIR) {
            throw new NfsException(Nfs4Status.NFS4ERR_NOTDIR, "CLAIM_NULL needs a directory");
        }
        String component = ComponentName.validate(name);
        StateChecks.requireNoGrace(ctx);
        VirtualFileSystem vfs = ctx.vfs();
        DirectoryChanges changes = ctx.server().directoryChanges();
        ChangeInfo unchanged = changes.unchanged(ChangeInfo.changeOf(vfs, dir));
        if (openType == OPEN4_NOCREATE) {
            Inode file = vfs.lookup(ctx.caller(), dir, component);
            return finish(ctx, client, file, access, Opened.existing(), unchanged);
        }
        DecodedAttributes attrs = createAttributes(ctx);
        Inode existing = lookupOrNull(ctx, dir, component);
        for (int attempt = 0; ; attempt++) {
            if (existing != null) {
                Opened how = openExisting(ctx, existing, attrs);
                return finish(ctx, client, existing, access, how, unchanged);
            }
            try {
                DirectoryChanges.Changed<Inode> created = changes.in(vfs, dir, () -> {
                    Inode file = vfs.create(ctx.caller(), dir, component, FileType.REGULAR,
                            initialAttributes(attrs), null);
                    if (verifier != null) {
                        stampVerifier(vfs, file);
                    }
                    return file;
                });
                Bitmap4 attrset = verifier != null ? attrs.attrsSet().or(VERIFIER_ATTRS) : attrs.attrsSet();
                return finish(ctx, client, created.value(), access, Opened.created(attrset), created.info());
            } catch (VfsException e) {
                if (e.error() != VfsError.EXIST || attempt > 0) {
                    throw e;
                }
                // Someone created it between our lookup and create: treat it as existing.
                existing = vfs.lookup(ctx.caller(), dir, component);
            }
        }
    }

    /** CLAIM_FH and CLAIM_PREVIOUS: the current filehandle is the file. */
    private OpResult openByHandle(CompoundContext ctx, ClientRecord client, Inode file, int access,
                                  boolean reclaim) throws NfsException, VfsException {
        ChangeInfo unchanged = ctx.server().directoryChanges().unchanged(ChangeInfo.changeOf(ctx.vfs(), file));
        Opened how = Opened.existing();
        if (openType == OPEN4_CREATE && !reclaim) {
            how = openExisting(ctx, file, createAttributes(ctx));
        }
        if (reclaim) {
            how = Opened.reclaimed();
        }
        return finish(ctx, client, file, access, how, unchanged);
    }

    /** The createattrs, checked before anything is created. */
    private DecodedAttributes createAttributes(CompoundContext ctx) throws NfsException {
        DecodedAttributes attrs = Fattr4Decoder.toSetAttributes(createAttrs, ctx.server().owners());
        if (createMode == EXCLUSIVE4_1
                && !SupportedAttributes.EXCLCREAT.containsAll(attrs.attrsSet())) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL,
                    "EXCLUSIVE4_1 createattrs outside suppattr_exclcreat");
        }
        return attrs;
    }

    /** An existing object met by a create: RFC 8881 section 18.16.3 per create mode. */
    private Opened openExisting(CompoundContext ctx, Inode existing, DecodedAttributes attrs)
            throws NfsException, VfsException {
        switch (createMode) {
            case UNCHECKED4 -> {
                Long size = attrs.changes().size();
                return size != null && size == 0 ? Opened.truncating() : Opened.existing();
            }
            case GUARDED4 -> throw new NfsException(Nfs4Status.NFS4ERR_EXIST, "GUARDED4 create");
            default -> {
                if ((existing.type() == FileType.REGULAR || existing.type() == FileType.NAMED_ATTR)
                        && verifierMatches(ctx.vfs().getattr(existing))) {
                    // A retransmitted exclusive create: answer as the first time.
                    return Opened.created(attrs.attrsSet().or(VERIFIER_ATTRS));
                }
                throw new NfsException(Nfs4Status.NFS4ERR_EXIST, "exclusive create");
            }
        }
    }

    private static Inode lookupOrNull(CompoundContext ctx, Inode dir, String component)
            throws VfsException {
        try {
            return ctx.vfs().lookup(ctx.caller(), dir, component);
        } catch (VfsException e) {
            if (e.error() == VfsError.NOENT) {
                return null;
            }
            throw e;
        }
    }

    private SetAttributes initialAttributes(DecodedAttributes attrs) {
        SetAttributes a = attrs.changes();
        if (verifier == null) {
            return a;
        }
        return new SetAttributes(a.mode(), a.uid(), a.gid(), a.size(), verifierAtime(),
                verifierMtime());
    }

    private long verifierAtime() {
        return (ByteBuffer.wrap(verifier).getInt(0) & 0xffffffffL) * 1_000_000_000L;
    }

    private long verifierMtime() {
        return (ByteBuffer.wrap(verifier).getInt(4) & 0xffffffffL) * 1_000_000_000L;
    }

    private boolean verifierMatches(Stat stat) {
        return verifier != null && stat.atimeNanos() == verifierAtime()
                && stat.mtimeNanos() == verifierMtime();
    }

    /** Makes sure the new file carries the verifier, whether or not create() applied times. */
    private void stampVerifier(VirtualFileSystem vfs, Inode file) throws VfsException {
        if (!verifierMatches(vfs.getattr(file))) {
            vfs.setattr(StateChecks.OPENED, file, new SetAttributes(null, null, null, null,
                    verifierAtime(), verifierMtime()));
        }
    }

    /** How the file came to be opened. */
    private record Opened(boolean created, boolean truncate, boolean reclaim, Bitmap4 attrset) {
        static Opened existing() {
            return new Opened(false, false, false, Bitmap4.EMPTY);
        }

        static Opened truncating() {
            return new Opened(false, true, false, Bitmap4.of(AttributeId.SIZE));
        }

        static Opened created(Bitmap4 attrset) {
            return new Opened(true, false, false, attrset);
        }

        static Opened reclaimed() {
            return new Opened(false, false, true, Bitmap4.EMPTY);
        }
    }

    private OpResult finish(CompoundContext ctx, ClientRecord client, Inode file, int access,
                            Opened how, ChangeInfo cinfo) throws NfsException, VfsException {
        StateChecks.requireRegular(file);
        boolean read = (access & StateTable.ACCESS_READ) != 0;
        boolean write = (access & StateTable.ACCESS_WRITE) != 0;
        if (!how.created && !(how.reclaim && ctx.vfs().getattr(file).uid() == ctx.caller().uid())) {
            StateChecks.requireAccess(ctx, file, read, write);
        }
        StateTable states = ctx.server().states();
        StateTable.OpenGrant grant = states.open(client, owner, file, access, shareDeny);
        if (how.truncate) {
            try {
                ctx.vfs().setattr(ctx.caller(), file,
                        new SetAttributes(null, null, null, 0L, null, null));
            } catch (VfsException e) {
                states.undoOpen(grant);
                throw e;
            }
        }
        ctx.setCurrentFh(file);
        ctx.setCurrentStateId(grant.stateId());
        return new Result(grant.stateId(), cinfo, how.attrset, shareAccess & WANT_DELEG_MASK);
    }

    /** OPEN4resok; the delegation is always none, with a reason when one was asked for. */
    record Result(StateId stateId, ChangeInfo cinfo, Bitmap4 attrset, int want)
            implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            stateId.encode(out);
            cinfo.encode(out);
            out.writeInt(OPEN4_RESULT_LOCKTYPE_POSIX);
            attrset.encode(out);
            switch (want) {
                case WANT_NO_PREFERENCE -> out.writeInt(OPEN_DELEGATE_NONE);
                case WANT_NO_DELEG -> out.writeInt(OPEN_DELEGATE_NONE_EXT).writeInt(WND4_NOT_WANTED);
                case WANT_CANCEL -> out.writeInt(OPEN_DELEGATE_NONE_EXT).writeInt(WND4_CANCELLED);
                // A delegation was wanted: none to give; we will not signal one later.
                default -> out.writeInt(OPEN_DELEGATE_NONE_EXT).writeInt(WND4_RESOURCE)
                        .writeBoolean(false);
            }
        }
    }
}
