package org.fsnap.server.vfs.namedattr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fsnap.server.ServerContext;
import org.fsnap.server.attr.OwnerMapper;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.ops.namedattr.OpenattrOperation;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.snapshot.SnapshotStackSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Named attributes (OPENATTR) as a view of user xattrs, snapshot control included. */
@Timeout(120)
class NamedAttributeViewTest extends SnapshotStackSupport {

    private Inode openattr(Inode object) throws Exception {
        ServerContext server = new ServerContext(fs, null, null, null, null, new OwnerMapper("x"), 90);
        CompoundContext ctx = new CompoundContext(server, ALICE, 1);
        ctx.setCurrentFh(object);
        assertEquals(Nfs4Status.NFS4_OK, new OpenattrOperation(false).execute(ctx).status());
        return ctx.currentFh();
    }

    private int openattrStatus(Inode object) {
        ServerContext server = new ServerContext(fs, null, null, null, null, new OwnerMapper("x"), 90);
        CompoundContext ctx = new CompoundContext(server, ALICE, 1);
        ctx.setCurrentFh(object);
        try {
            return new OpenattrOperation(true).execute(ctx).status();
        } catch (NfsException e) {
            return e.status();
        } catch (VfsException e) {
            return e.error().nfsStatus();
        }
    }

    private void put(Inode attr, String text, long offset) throws Exception {
        put(ALICE, attr, text, offset);
    }

    private void put(org.fsnap.server.vfs.Caller who, Inode attr, String text, long offset) throws Exception {
        fs.write(who, attr, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), offset, Stability.UNSTABLE);
    }

    @Test
    void attributesAreXattrs() throws Exception {
        Inode f = file(root(), "f", "data", ALICE, 0644);
        fs.setXattr(ALICE, f, "color", "blue".getBytes(StandardCharsets.UTF_8), XattrSetMode.EITHER);
        Inode dir = openattr(f);
        assertEquals(FileType.NAMED_ATTR_DIR, dir.type());
        assertEquals(FileType.NAMED_ATTR_DIR, fs.getattr(dir).type());
        assertEquals(List.of("color"), names(ALICE, dir));
        Inode color = fs.lookup(ALICE, dir, "color");
        assertEquals(FileType.NAMED_ATTR, color.type());
        assertEquals("blue", read(ALICE, color));
        Stat st = fs.getattr(color);
        assertEquals(4, st.size());
        assertTrue(st.fileId() < 0);
        assertEquals(f, fs.parentOf(ALICE, dir));

        // create, write at offsets, truncate, rename, remove: all land in user xattrs
        Inode shape = fs.create(ALICE, dir, "shape", FileType.REGULAR, SetAttributes.ofMode(0644), null);
        put(shape, "round", 0);
        put(shape, "-ish", 5);
        assertEquals("round-ish", new String(fs.getXattr(ALICE, f, "shape"), StandardCharsets.UTF_8));
        fs.setattr(ALICE, shape, new SetAttributes(null, null, null, 5L, null, null));
        assertEquals("round", read(ALICE, shape));
        fs.rename(ALICE, dir, "shape", dir, "form");
        assertEquals(List.of("color", "form"), names(ALICE, dir).stream().sorted().toList());
        fs.remove(ALICE, dir, "color");
        assertEquals(List.of("form"), fs.listXattrs(ALICE, f));
        assertVfs(VfsError.NOENT, () -> fs.lookup(ALICE, dir, "color"));
        assertVfs(VfsError.NOENT, () -> fs.remove(ALICE, dir, "color"));
        assertVfs(VfsError.EXIST, () -> fs.create(ALICE, dir, "form", FileType.REGULAR, SetAttributes.NONE, null));
        assertVfs(VfsError.BADTYPE, () -> fs.create(ALICE, dir, "sub", FileType.DIRECTORY, SetAttributes.NONE, null));
        assertVfs(VfsError.FBIG, () -> put(fs.lookup(ALICE, dir, "form"), "x", 65536));

        // handles come back
        Inode again = fs.inodeOf(fs.lookup(ALICE, dir, "form").handle());
        assertEquals("round", read(ALICE, again));
        assertEquals(dir, fs.inodeOf(dir.handle()));
        String longName = "n".repeat(200);
        Inode lng = fs.create(ALICE, dir, longName, FileType.REGULAR, SetAttributes.NONE, null);
        assertTrue(lng.handle().length <= Inode.MAX_HANDLE_SIZE);
        assertEquals(longName.length(), ((AttrInode.Attr) fs.inodeOf(lng.handle())).name.length());

        // permissions are the object's
        assertVfs(VfsError.ACCESS, () -> put(BOB, fs.lookup(BOB, dir, "form"), "x", 0));
    }

    @Test
    void snapshotControlThroughNamedAttributes() throws Exception {
        Inode f = file(root(), "f", "ABCDEFGHIJ", ALICE, 0644);
        Inode dir = openattr(f);
        Inode create = fs.lookup(ALICE, dir, "fsnap.create");
        put(create, "image1\n", 0);
        write(ALICE, f, "1234567890", 0);
        put(create, "image2", 0);
        Inode list = fs.lookup(ALICE, dir, "fsnap.list");
        assertEquals("image1\nimage2\n", read(ALICE, list));
        assertEquals(14, fs.getattr(list).size());
        put(fs.lookup(ALICE, dir, "fsnap.revert"), "image1", 0);
        assertEquals("ABCDEFGHIJ", read(ALICE, f));
        assertEquals("image1", read(ALICE, fs.lookup(ALICE, dir, "fsnap.current")));
        assertEquals(List.of(), names(ALICE, dir), "controls are never listed");
        assertEquals("", read(ALICE, create), "commands read as empty");
        fs.setattr(ALICE, create, new SetAttributes(null, null, null, 0L, null, null)); // O_TRUNC
        VfsException dup = org.junit.jupiter.api.Assertions.assertThrows(VfsException.class,
                () -> put(create, "image1", 0));
        assertEquals(VfsError.EXIST, dup.error());
        assertVfs(VfsError.ACCESS, () -> put(BOB, fs.lookup(BOB, dir, "fsnap.create"), "x", 0));
        assertVfs(VfsError.NOENT, () -> fs.lookup(ALICE, dir, "fsnap.bogus"));
    }

    @Test
    void openattrErrors() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        Inode dir = openattr(f);
        assertEquals(Nfs4Status.NFS4ERR_WRONG_TYPE, openattrStatus(dir));
        assertEquals(Nfs4Status.NFS4ERR_WRONG_TYPE, openattrStatus(fs.create(ALICE, dir, "a",
                FileType.REGULAR, SetAttributes.NONE, null)));
        Inode link = fs.create(ROOT, root(), "ln", FileType.SYMLINK, SetAttributes.NONE, "f");
        assertEquals(Nfs4Status.NFS4ERR_NOTSUPP, openattrStatus(link));
        control(ALICE, f, "fsnap.create", "s");
        Inode snap = fs.lookup(ROOT, fs.lookup(ROOT, fs.lookup(ROOT, root(), ".fsnap"), "f"), "s");
        assertEquals(Nfs4Status.NFS4_OK, openattrStatus(snap), "an empty, read-only attribute directory");
        Inode snapAttrs = openattr(snap);
        assertEquals(List.of(), names(ALICE, snapAttrs));
        assertVfs(VfsError.ROFS, () -> fs.create(ALICE, snapAttrs, "a", FileType.REGULAR, SetAttributes.NONE, null));
        assertEquals(Nfs4Status.NFS4_OK, openattrStatus(dir(root(), "d")), "directories have them");
    }
}
