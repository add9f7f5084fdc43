package org.fsnap.server.vfs.namedattr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.ForwardingFileSystem;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.snapshot.Hashing;

/**
 * NFSv4 named attributes (OPENATTR, RFC 8881 section 5.3) as a view of the extended
 * attributes of the filesystem below: an object's named attribute directory lists its user
 * xattrs, a named attribute's content is the xattr's value. LOOKUP, OPEN, READ, WRITE,
 * READDIR, REMOVE, RENAME and GETATTR inside work through the ordinary operations.
 *
 * <p>Everything goes down through the xattr calls of the filesystem below, so the snapshot
 * control works here too: writing {@code NAME} into the attribute {@code fsnap.create}
 * creates snapshot NAME, reading {@code fsnap.list} lists. The {@code commands} given to the
 * constructor are such write-only names: they can be looked up and written, read as empty,
 * and are never listed; query names (readable controls) can be looked up and read because the
 * xattr below answers them.
 *
 * <p>Every object that can carry xattrs (regular files and directories) has an attribute
 * directory; it always exists, so OPENATTR's createdir changes nothing. A value is at most
 * 64 KiB (XATTR_SIZE_MAX): a WRITE beyond that is NFS4ERR_FBIG.
 */
public final class NamedAttributeView extends ForwardingFileSystem implements NamedAttributeSupport {
    /** XATTR_SIZE_MAX. */
    static final int MAX_VALUE = 65536;

    private final VirtualFileSystem below;
    private final Set<String> commands;

    public NamedAttributeView(VirtualFileSystem below, Set<String> commands) {
        this.below = below;
        this.commands = Set.copyOf(commands);
    }

    @Override
    protected VirtualFileSystem delegate() {
        return below;
    }

    @Override
    public Inode openAttributes(Caller caller, Inode object, boolean createDir) throws VfsException {
        if (object instanceof AttrInode) {
            throw new VfsException(VfsError.WRONG_TYPE, "named attributes have no named attributes");
        }
        FileType t = object.type();
        if ((t != FileType.REGULAR && t != FileType.DIRECTORY) || !below.xattrSupported(object)) {
            throw new VfsException(VfsError.NOTSUPP, "no named attributes on this object");
        }
        return new AttrInode.Dir(object);
    }

    // ------------------------------------------------------------------ handles and names

    @Override
    public Inode inodeOf(byte[] handle) throws VfsException {
        if (!AttrInode.isAttrHandle(handle)) {
            return below.inodeOf(handle);
        }
        AttrInode.Decoded d = AttrInode.decode(handle);
        Inode object = below.inodeOf(d.objectHandle());
        if (d.kind() == AttrInode.KIND_DIR) {
            return new AttrInode.Dir(object);
        }
        if (!d.hashed()) {
            return new AttrInode.Attr(object, d.name());
        }
        List<String> candidates = new ArrayList<>(below.listXattrs(Caller.root(), object));
        candidates.addAll(commands);
        for (String n : candidates) {
            if (Hashing.nameDigest(n) == d.digest()) {
                return new AttrInode.Attr(object, n);
            }
        }
        throw new VfsException(VfsError.STALE, "named attribute was removed");
    }

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        return switch (dir) {
            case AttrInode.Dir d -> {
                if (!commands.contains(name)) {
                    valueOf(caller, d.object, name, VfsError.NOENT);
                }
                yield new AttrInode.Attr(d.object, name);
            }
            case AttrInode.Attr a -> throw new VfsException(VfsError.NOTDIR, "a named attribute");
            default -> below.lookup(caller, dir, name);
        };
    }

    /** The attribute's value; {@code missing} when there is none (or the name is refused). */
    private byte[] valueOf(Caller caller, Inode object, String name, VfsError missing)
            throws VfsException {
        if (commands.contains(name)) {
            return new byte[0];
        }
        try {
            return below.getXattr(caller, object, name);
        } catch (VfsException e) {
            if (e.error() == VfsError.NOXATTR || e.error() == VfsError.INVAL) {
                throw new VfsException(missing, "no named attribute " + name);
            }
            throw e;
        }
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        return switch (dir) {
            case AttrInode.Dir d -> d.object;
            case AttrInode.Attr a -> throw new VfsException(VfsError.NOTDIR, "a named attribute");
            default -> below.parentOf(caller, dir);
        };
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        return switch (inode) {
            case AttrInode.Dir d -> dirStat(below.getattr(d.object));
            case AttrInode.Attr a -> attrStat(below.getattr(a.object), a.name,
                    valueOf(Caller.root(), a.object, a.name, VfsError.STALE).length);
            default -> below.getattr(inode);
        };
    }

    private static Stat dirStat(Stat o) {
        int rw = o.mode() & 0666;
        int mode = rw | ((rw & 0444) >> 2);
        long id = Hashing.virtualFileId(Hashing.hasher().add("attrdir").add(o.fileId()).value());
        return new Stat(FileType.NAMED_ATTR_DIR, id, o.fsidMajor(), o.fsidMinor(), mode, 2, o.uid(),
                o.gid(), 0, 0, o.change(), o.atimeNanos(), o.ctimeNanos(), o.ctimeNanos(),
                o.createTimeNanos(), 0, 0);
    }

    private static Stat attrStat(Stat o, String name, int size) {
        long id = Hashing.virtualFileId(Hashing.hasher().add("attr").add(o.fileId()).add(name).value());
        return new Stat(FileType.NAMED_ATTR, id, o.fsidMajor(), o.fsidMinor(), o.mode() & 0666, 1,
                o.uid(), o.gid(), size, size, o.change(), o.atimeNanos(), o.ctimeNanos(), o.ctimeNanos(),
                o.createTimeNanos(), 0, 0);
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes change) throws VfsException {
        return switch (inode) {
            case AttrInode.Dir d -> getattr(d);
            case AttrInode.Attr a -> {
                if (change.size() != null && !commands.contains(a.name)) {
                    resize(caller, a, change.size());
                }
                yield getattr(a);
            }
            default -> below.setattr(caller, inode, change);
        };
    }

    private void resize(Caller caller, AttrInode.Attr a, long size) throws VfsException {
        if (size > MAX_VALUE) {
            throw new VfsException(VfsError.FBIG, "named attributes hold at most 64 KiB");
        }
        byte[] old = valueOf(caller, a.object, a.name, VfsError.STALE);
        if (old.length != size) {
            byte[] now = new byte[(int) size];
            System.arraycopy(old, 0, now, 0, Math.min(old.length, now.length));
            below.setXattr(caller, a.object, a.name, now, XattrSetMode.REPLACE);
        }
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        if (!(inode instanceof AttrInode a)) {
            return below.access(caller, inode, requested);
        }
        int onObject = below.access(caller, a.object, Access.READ | Access.MODIFY);
        boolean dir = a instanceof AttrInode.Dir;
        int granted = 0;
        if ((onObject & Access.READ) != 0) {
            granted |= Access.READ | (dir ? Access.LOOKUP : 0);
        }
        if ((onObject & Access.MODIFY) != 0) {
            granted |= Access.MODIFY | Access.EXTEND | (dir ? Access.DELETE : 0);
        }
        return granted & requested;
    }

    // ------------------------------------------------------------------ namespace changes

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        return switch (dir) {
            case AttrInode.Dir d -> {
                if (type != FileType.REGULAR && type != FileType.NAMED_ATTR) {
                    throw new VfsException(VfsError.BADTYPE, "named attributes are plain values");
                }
                if (commands.contains(name)) {
                    throw new VfsException(VfsError.EXIST, name + " always exists");
                }
                below.setXattr(caller, d.object, name, new byte[0], XattrSetMode.CREATE);
                yield new AttrInode.Attr(d.object, name);
            }
            case AttrInode.Attr a -> throw new VfsException(VfsError.NOTDIR, "a named attribute");
            default -> below.create(caller, dir, name, type, attrs, linkTarget);
        };
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        if (target instanceof AttrInode || dir instanceof AttrInode) {
            throw new VfsException(VfsError.XDEV, "named attributes cannot be linked");
        }
        below.link(caller, target, dir, name);
    }

    @Override
    public void remove(Caller caller, Inode dir, String name) throws VfsException {
        switch (dir) {
            case AttrInode.Dir d -> {
                try {
                    below.removeXattr(caller, d.object, name);
                } catch (VfsException e) {
                    if (e.error() == VfsError.NOXATTR) {
                        throw new VfsException(VfsError.NOENT, "no named attribute " + name);
                    }
                    throw e;
                }
            }
            case AttrInode.Attr a -> throw new VfsException(VfsError.NOTDIR, "a named attribute");
            default -> below.remove(caller, dir, name);
        }
    }

    @Override
    public void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException {
        if (!(fromDir instanceof AttrInode) && !(toDir instanceof AttrInode)) {
            below.rename(caller, fromDir, fromName, toDir, toName);
            return;
        }
        if (!(fromDir instanceof AttrInode.Dir from) || !(toDir instanceof AttrInode.Dir to)
                || !from.object.equals(to.object)) {
            throw new VfsException(VfsError.XDEV, "named attributes move only within their directory");
        }
        if (commands.contains(fromName) || commands.contains(toName)) {
            throw new VfsException(VfsError.INVAL, "snapshot commands cannot be renamed");
        }
        if (fromName.equals(toName)) {
            valueOf(caller, from.object, fromName, VfsError.NOENT);
            return;
        }
        byte[] value = valueOf(caller, from.object, fromName, VfsError.NOENT);
        below.setXattr(caller, from.object, toName, value, XattrSetMode.EITHER);
        below.removeXattr(caller, from.object, fromName);
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        if (link instanceof AttrInode) {
            throw new VfsException(VfsError.WRONG_TYPE, "not a symlink");
        }
        return below.readlink(caller, link);
    }

    @Override
    public DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries)
            throws VfsException {
        return switch (dir) {
            case AttrInode.Dir d -> listAttributes(caller, d, cookie, maxEntries);
            case AttrInode.Attr a -> throw new VfsException(VfsError.NOTDIR, "a named attribute");
            default -> below.list(caller, dir, cookie, maxEntries);
        };
    }

    private DirectoryPage listAttributes(Caller caller, AttrInode.Dir d, long cookie, int max)
            throws VfsException {
        Stat o = below.getattr(d.object);
        List<DirectoryEntry> all = new ArrayList<>();
        for (String n : below.listXattrs(caller, d.object)) {
            int size;
            try {
                size = below.getXattr(Caller.root(), d.object, n).length;
            } catch (VfsException e) {
                if (e.error() == VfsError.NOXATTR) {
                    continue; // removed meanwhile
                }
                throw e;
            }
            all.add(new DirectoryEntry(n, Hashing.cookieOf(n), new AttrInode.Attr(d.object, n),
                    attrStat(o, n, size)));
        }
        all.sort(Comparator.comparingLong(DirectoryEntry::cookie));
        List<DirectoryEntry> page = new ArrayList<>();
        int i = 0;
        while (i < all.size() && all.get(i).cookie() <= cookie) {
            i++;
        }
        while (i < all.size() && page.size() < max) {
            page.add(all.get(i++));
        }
        return new DirectoryPage(page, 1, i >= all.size());
    }

    // ------------------------------------------------------------------ data

    @Override
    public int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException {
        return switch (file) {
            case AttrInode.Dir d -> throw new VfsException(VfsError.ISDIR, "a named attribute directory");
            case AttrInode.Attr a -> {
                if (offset < 0) {
                    throw new VfsException(VfsError.INVAL, "negative offset");
                }
                byte[] value = valueOf(caller, a.object, a.name, VfsError.STALE);
                if (offset >= value.length) {
                    yield -1;
                }
                int n = (int) Math.min(dst.remaining(), value.length - offset);
                dst.put(value, (int) offset, n);
                yield n;
            }
            default -> below.read(caller, file, dst, offset);
        };
    }

    /** Named attributes are copied ({@link #read}); files' bytes are lent by the layer below. */
    @Override
    public FileView readView(Caller caller, Inode file, long offset, int count) throws VfsException {
        return file instanceof AttrInode ? null : below.readView(caller, file, offset, count);
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset,
                           Stability requested) throws VfsException {
        return switch (file) {
            case AttrInode.Dir d -> throw new VfsException(VfsError.ISDIR, "a named attribute directory");
            case AttrInode.Attr a -> {
                writeAttribute(caller, a, src, offset);
                yield Stability.FILE_SYNC; // xattrs are written through
            }
            default -> below.write(caller, file, src, offset, requested);
        };
    }

    private void writeAttribute(Caller caller, AttrInode.Attr a, ByteBuffer src, long offset)
            throws VfsException {
        if (offset < 0) {
            throw new VfsException(VfsError.INVAL, "negative offset");
        }
        byte[] data = new byte[src.remaining()];
        src.get(data);
        if (commands.contains(a.name)) {
            // a command acts on what one WRITE brings: the whole argument at offset 0
            if (offset != 0) {
                throw new VfsException(VfsError.INVAL, "write a snapshot command in one piece");
            }
            below.setXattr(caller, a.object, a.name, data, XattrSetMode.EITHER);
            return;
        }
        long end = offset + data.length;
        if (end > MAX_VALUE) {
            throw new VfsException(VfsError.FBIG, "named attributes hold at most 64 KiB");
        }
        byte[] old;
        try {
            old = below.getXattr(caller, a.object, a.name);
        } catch (VfsException e) {
            if (e.error() != VfsError.NOXATTR) {
                throw e;
            }
            old = new byte[0];
        }
        byte[] now = old.length >= end ? old : java.util.Arrays.copyOf(old, (int) end);
        System.arraycopy(data, 0, now, (int) offset, data.length);
        below.setXattr(caller, a.object, a.name, now, XattrSetMode.EITHER);
    }

    @Override
    public void commit(Inode file, long offset, long count) throws VfsException {
        if (file instanceof AttrInode) {
            return; // written through already
        }
        below.commit(file, offset, count);
    }

    @Override
    public FsStat fsStat(Inode inode) throws VfsException {
        return below.fsStat(inode instanceof AttrInode a ? a.object : inode);
    }

    // ------------------------------------------------------------------ xattrs of attributes

    @Override
    public boolean xattrSupported(Inode inode) throws VfsException {
        return !(inode instanceof AttrInode) && below.xattrSupported(inode);
    }

    @Override
    public byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        if (inode instanceof AttrInode) {
            throw new VfsException(VfsError.NOTSUPP, "named attributes have no extended attributes");
        }
        return below.getXattr(caller, inode, name);
    }

    @Override
    public void setXattr(Caller caller, Inode inode, String name, byte[] value, XattrSetMode mode)
            throws VfsException {
        if (inode instanceof AttrInode) {
            throw new VfsException(VfsError.NOTSUPP, "named attributes have no extended attributes");
        }
        below.setXattr(caller, inode, name, value, mode);
    }

    @Override
    public List<String> listXattrs(Caller caller, Inode inode) throws VfsException {
        if (inode instanceof AttrInode) {
            throw new VfsException(VfsError.NOTSUPP, "named attributes have no extended attributes");
        }
        return below.listXattrs(caller, inode);
    }

    @Override
    public void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        if (inode instanceof AttrInode) {
            throw new VfsException(VfsError.NOTSUPP, "named attributes have no extended attributes");
        }
        below.removeXattr(caller, inode, name);
    }
}
