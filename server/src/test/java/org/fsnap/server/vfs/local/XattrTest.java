package org.fsnap.server.vfs.local;

import java.nio.file.Files;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.XattrSetMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XattrTest extends LocalFsTestSupport {

    @Test
    void setGetListRemoveWithModes() throws Exception {
        Inode f = file(ALICE, root(), "f", 0644);
        assertTrue(fs.xattrSupported(f));
        assertEquals(List.of(), fs.listXattrs(ALICE, f));
        assertVfs(VfsError.NOXATTR, () -> fs.getXattr(ALICE, f, "color"));
        assertVfs(VfsError.NOXATTR, () -> fs.setXattr(ALICE, f, "color", new byte[] {1},
                XattrSetMode.REPLACE));
        fs.setXattr(ALICE, f, "color", "blue".getBytes(), XattrSetMode.CREATE);
        assertVfs(VfsError.EXIST, () -> fs.setXattr(ALICE, f, "color", new byte[] {1},
                XattrSetMode.CREATE));
        fs.setXattr(ALICE, f, "color", "red".getBytes(), XattrSetMode.REPLACE);
        fs.setXattr(ALICE, f, "size", new byte[0], XattrSetMode.EITHER);
        assertEquals("red", new String(fs.getXattr(ALICE, f, "color")));
        assertArrayEquals(new byte[0], fs.getXattr(ALICE, f, "size"));
        assertEquals(List.of("color", "size"), fs.listXattrs(ALICE, f).stream().sorted().toList());
        // stored as user.* locally, prefix added and stripped
        UserDefinedFileAttributeView view = Files.getFileAttributeView(export.resolve("f"),
                UserDefinedFileAttributeView.class);
        assertTrue(view.list().contains("color"));
        fs.removeXattr(ALICE, f, "color");
        assertVfs(VfsError.NOXATTR, () -> fs.removeXattr(ALICE, f, "color"));
        assertEquals(List.of("size"), fs.listXattrs(ALICE, f));
    }

    @Test
    void limits() throws Exception {
        Inode f = file(ROOT, root(), "f", 0644);
        assertVfs(VfsError.XATTR2BIG, () -> fs.setXattr(ROOT, f, "big", new byte[65537],
                XattrSetMode.EITHER));
        // ext4 keeps xattrs within one block: 16 KiB does not fit
        assertVfs(VfsError.XATTR2BIG, () -> fs.setXattr(ROOT, f, "big", new byte[16384],
                XattrSetMode.EITHER));
        fs.setXattr(ROOT, f, "fits", new byte[2000], XattrSetMode.EITHER);
        assertVfs(VfsError.NAMETOOLONG, () -> fs.setXattr(ROOT, f, "n".repeat(251), new byte[1],
                XattrSetMode.EITHER));
        assertVfs(VfsError.INVAL, () -> fs.getXattr(ROOT, f, ""));
    }

    @Test
    void directoriesHaveXattrsAndTheKeyStaysHidden() throws Exception {
        Inode d = dir(ROOT, root(), "d", 0755);
        fs.setXattr(ROOT, d, "k", "v".getBytes(), XattrSetMode.EITHER);
        assertEquals("v", new String(fs.getXattr(ROOT, d, "k")));
        // the root carries the handle key as trusted.*; clients never see it
        assertFalse(fs.listXattrs(ROOT, root()).stream().anyMatch(n -> n.contains("fsnap")));
    }
}
