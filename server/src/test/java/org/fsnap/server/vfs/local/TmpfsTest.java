package org.fsnap.server.vfs.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** tmpfs has export operations too: handles work there (within one boot). */
class TmpfsTest {
    @Test
    void handlesOnTmpfs() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"),
                "no tmpfs at /dev/shm");
        Path export = Files.createTempDirectory(shm, "fsnap-vfs-test");
        try {
            byte[] h;
            try (LocalFileSystem fs = new LocalFileSystem(export, Set.of())) {
                Inode f = fs.create(Caller.root(), fs.root(), "f", FileType.REGULAR,
                        SetAttributes.ofMode(0600), null);
                h = f.handle();
            }
            Files.move(export.resolve("f"), export.resolve("g"));
            try (LocalFileSystem fs = new LocalFileSystem(export, Set.of())) {
                Inode f = fs.inodeOf(h);
                assertEquals(f, fs.lookup(Caller.root(), fs.root(), "g"));
                assertEquals(0600, fs.getattr(f).mode());
            }
        } finally {
            try (Stream<Path> s = Files.walk(export)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
