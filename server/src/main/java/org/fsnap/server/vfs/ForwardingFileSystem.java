package org.fsnap.server.vfs;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A decorator that forwards every call to {@link #delegate()}. Layers (the {@code .fsnap}
 * snapshot view, caches) extend it and override only what they change.
 */
public abstract class ForwardingFileSystem implements VirtualFileSystem {

    protected abstract VirtualFileSystem delegate();

    @Override
    public Inode root() throws VfsException {
        return delegate().root();
    }

    @Override
    public Inode inodeOf(byte[] handle) throws VfsException {
        return delegate().inodeOf(handle);
    }

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        return delegate().lookup(caller, dir, name);
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        return delegate().parentOf(caller, dir);
    }

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        return delegate().getattr(inode);
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes change) throws VfsException {
        return delegate().setattr(caller, inode, change);
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        return delegate().access(caller, inode, requested);
    }

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        return delegate().create(caller, dir, name, type, attrs, linkTarget);
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        delegate().link(caller, target, dir, name);
    }

    @Override
    public void remove(Caller caller, Inode dir, String name) throws VfsException {
        delegate().remove(caller, dir, name);
    }

    @Override
    public void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException {
        delegate().rename(caller, fromDir, fromName, toDir, toName);
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        return delegate().readlink(caller, link);
    }

    @Override
    public DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries)
            throws VfsException {
        return delegate().list(caller, dir, cookie, maxEntries);
    }

    @Override
    public int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException {
        return delegate().read(caller, file, dst, offset);
    }

    @Override
    public FileView readView(Caller caller, Inode file, long offset, int count) throws VfsException {
        return delegate().readView(caller, file, offset, count);
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset,
                           Stability requested) throws VfsException {
        return delegate().write(caller, file, src, offset, requested);
    }

    @Override
    public void checkWritable(Caller caller, Inode inode) throws VfsException {
        delegate().checkWritable(caller, inode);
    }

    @Override
    public void commit(Inode file, long offset, long count) throws VfsException {
        delegate().commit(file, offset, count);
    }

    @Override
    public FsStat fsStat(Inode inode) throws VfsException {
        return delegate().fsStat(inode);
    }

    @Override
    public boolean xattrSupported(Inode inode) throws VfsException {
        return delegate().xattrSupported(inode);
    }

    @Override
    public byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        return delegate().getXattr(caller, inode, name);
    }

    @Override
    public void setXattr(Caller caller, Inode inode, String name, byte[] value, XattrSetMode mode)
            throws VfsException {
        delegate().setXattr(caller, inode, name, value, mode);
    }

    @Override
    public List<String> listXattrs(Caller caller, Inode inode) throws VfsException {
        return delegate().listXattrs(caller, inode);
    }

    @Override
    public void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        delegate().removeXattr(caller, inode, name);
    }
}
