package org.fsnap.server.vfs.local;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;

/**
 * A rough microbenchmark of the hot calls (not a test). Run from the server module with
 * {@code java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:<deps>
 * org.fsnap.server.vfs.local.LocalFsBench [dir]}.
 */
public final class LocalFsBench {
    private interface Op {
        void run(int i) throws Exception;
    }

    private static void time(String name, int n, Op op) throws Exception {
        for (int i = 0; i < Math.min(n, 20_000); i++) {
            op.run(i); // warm up
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run(i);
        }
        System.out.printf("%-40s %8.2f us/op%n", name, (System.nanoTime() - t0) / 1000.0 / n);
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
        Path export = Files.createTempDirectory(base, "fsnap-bench");
        Caller root = Caller.root();
        Caller user = Caller.of(1000, 1000);
        try (LocalFileSystem fs = new LocalFileSystem(export, Set.of())) {
            Inode dir = fs.create(root, fs.root(), "d", FileType.DIRECTORY, SetAttributes.ofMode(0777), null);
            Inode f = fs.create(user, dir, "f", FileType.REGULAR, SetAttributes.ofMode(0644), null);
            byte[] h = f.handle();
            Path p = export.resolve("d/f");
            time("Files.readAttributes unix:*", 100_000,
                    i -> Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS));
            time("Libc.statx by path", 100_000,
                    i -> Libc.statx(Libc.AT_FDCWD, p.toString(), Libc.AT_SYMLINK_NOFOLLOW, Statx.STATX_WANTED));
            time("getattr (cached fd)", 200_000, i -> fs.getattr(f));
            time("inodeOf (cached) + getattr", 200_000, i -> fs.getattr(fs.inodeOf(h)));
            time("inodeOf + getattr, cold cache", 20_000, i -> {
                fs.dropCaches();
                fs.getattr(fs.inodeOf(h));
            });
            time("lookup", 100_000, i -> fs.lookup(user, dir, "f"));
            time("access", 100_000, i -> fs.access(user, f, 0x3f));
            ByteBuffer four = ByteBuffer.allocate(4096);
            time("write 4 KiB unstable (heap)", 50_000, i -> fs.write(user, f, four.clear(), 0, Stability.UNSTABLE));
            ByteBuffer mb = ByteBuffer.allocate(1 << 20);
            time("write 1 MiB unstable (heap)", 500, i -> fs.write(user, f, mb.clear(), (long) (i % 64) << 20, Stability.UNSTABLE));
            ByteBuffer mbd = ByteBuffer.allocateDirect(1 << 20);
            time("read 1 MiB (direct)", 500, i -> fs.read(user, f, mbd.clear(), (long) (i % 64) << 20));
            time("read 1 MiB (heap)", 500, i -> fs.read(user, f, mb.clear(), (long) (i % 64) << 20));
            HandleCodec codec = new HandleCodec(new ExportIdentity(new byte[32], true));
            Libc.KernelHandle kh = Libc.nameToHandleAt(Libc.AT_FDCWD, p.toString(), 0, 110);
            time("HandleCodec.encode", 100_000, i -> codec.encode(kh));
            time("name_to_handle_at", 100_000, i -> Libc.nameToHandleAt(Libc.AT_FDCWD, p.toString(), 0, 110));
            Path nd = export.resolve("d");
            time("NIO createFile+delete (baseline)", 5_000, i -> {
                Path x = nd.resolve("x" + i);
                Files.createFile(x);
                Files.delete(x);
            });
            time("create+getattr+remove", 5_000, i -> {
                Inode n = fs.create(user, dir, "n" + i, FileType.REGULAR, SetAttributes.ofMode(0644), null);
                fs.getattr(n);
                fs.remove(user, dir, "n" + i);
            });
            Inode big = fs.create(root, fs.root(), "big", FileType.DIRECTORY, SetAttributes.ofMode(0755), null);
            for (int i = 0; i < 10_000; i++) {
                Files.createFile(export.resolve("big/entry-" + i));
            }
            Thread.sleep(100);
            time("readdir 10,000 entries, pages of 500", 20, i -> {
                long cookie = 0;
                while (true) {
                    DirectoryPage page = fs.list(root, big, cookie, 500);
                    if (page.eof()) {
                        break;
                    }
                    cookie = page.entries().getLast().cookie();
                }
            });
        } finally {
            try (Stream<Path> s = Files.walk(export)) {
                s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
