package org.fsnap.server.ops.namespace;

import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.DecodedAttributes;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.nfs.StrictUtf8;
import org.fsnap.server.ops.ChangeInfo;
import org.fsnap.server.ops.DirectoryChanges;
import org.fsnap.server.ops.ComponentName;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * CREATE (RFC 8881 section 18.4): a non-regular object (directory, symbolic link, socket,
 * FIFO) named {@code objname} in the current directory, which afterwards is the current
 * filehandle. Regular files are made by OPEN: NF4REG is NFS4ERR_BADTYPE, as are the named
 * attribute types. Block and character devices are refused with NFS4ERR_BADTYPE too: the
 * filesystem seam has no way to carry their device numbers.
 */
public final class CreateOperation implements Operation {
    /** Symbolic link text: Linux's PATH_MAX less the terminating NUL. */
    static final int MAX_LINK_BYTES = 4095;
    /** Decoding bound of linkdata: longer text is still read so NAMETOOLONG can be answered. */
    static final int MAX_LINK_WIRE_BYTES = 65536;

    private final int objtype;
    private final byte[] linkdata;
    private final byte[] objname;
    private final CreateAttributes createattrs;

    CreateOperation(int objtype, byte[] linkdata, byte[] objname, CreateAttributes createattrs) {
        this.objtype = objtype;
        this.linkdata = linkdata;
        this.objname = objname;
        this.createattrs = createattrs;
    }

    public static Operation decode(XdrInput in) throws XdrException {
        int type = in.readInt();
        byte[] linkdata = null;
        if (type == FileType.SYMLINK.nfsType()) {
            linkdata = in.readOpaque(MAX_LINK_WIRE_BYTES);
        } else if (type == FileType.BLOCK_DEVICE.nfsType()
                || type == FileType.CHAR_DEVICE.nfsType()) {
            in.readInt(); // specdata1
            in.readInt(); // specdata2
        }
        // Every other type, known or not, has a void arm ("default: void").
        byte[] objname = Names.readComponent(in);
        return new CreateOperation(type, linkdata, objname, CreateAttributes.decode(in));
    }

    @Override
    public OpResult execute(CompoundContext ctx) throws NfsException, VfsException {
        Inode dir = Names.directory(ctx.currentFh(), false);
        FileType type = creatableType(objtype);
        String name = ComponentName.validate(objname);
        String target = type == FileType.SYMLINK ? linkText(linkdata) : null;
        DecodedAttributes attrs = createattrs.convert(ctx);
        VirtualFileSystem vfs = ctx.vfs();
        DirectoryChanges.Changed<Inode> created = ctx.server().directoryChanges().in(vfs, dir,
                () -> vfs.create(ctx.caller(), dir, name, type, attrs.changes(), target));
        ctx.setCurrentFh(created.value());
        return new Result(created.info(), attrs.attrsSet());
    }

    private static FileType creatableType(int nfsType) throws NfsException {
        FileType type = FileType.ofNfsType(nfsType);
        if (type == FileType.DIRECTORY || type == FileType.SYMLINK || type == FileType.SOCKET
                || type == FileType.FIFO) {
            return type;
        }
        throw new NfsException(Nfs4Status.NFS4ERR_BADTYPE, "CREATE of type " + nfsType);
    }

    /** linktext4: non-empty UTF-8 without NUL, at most {@link #MAX_LINK_BYTES} bytes. */
    static String linkText(byte[] raw) throws NfsException {
        if (raw.length == 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "empty symbolic link text");
        }
        if (raw.length > MAX_LINK_BYTES) {
            throw new NfsException(Nfs4Status.NFS4ERR_NAMETOOLONG, "symbolic link text too long");
        }
        String text = StrictUtf8.decode(raw, Nfs4Status.NFS4ERR_INVAL,
                "symbolic link text is not UTF-8");
        if (text.indexOf('\0') >= 0) {
            throw new NfsException(Nfs4Status.NFS4ERR_INVAL, "NUL in symbolic link text");
        }
        return text;
    }

    /** CREATE4resok: cinfo, attrset. */
    record Result(ChangeInfo cinfo, Bitmap4 attrset) implements OpResult.Ok {
        @Override
        public void encodeBody(XdrOutput out) {
            cinfo.encode(out);
            attrset.encode(out);
        }
    }
}
